#pragma once
#include <opencv2/core.hpp>

#include <vector>

#include "emo/vision.hpp"

namespace emo::vision::detail {
// A size x size crop with the five landmarks (image pixels) moved as near to kAlignedLandmarks as
// one similarity transform can. Empty when the landmarks are degenerate or the face is outside the image.
// The image -> crop transform that aligned_face applies (zero when the landmarks are degenerate).
cv::Matx23d alignment_transform(const std::vector<cv::Point2f>& landmarks, int size);
// `gray` under `transform`, size x size; empty when the transform is degenerate or shows no pixel.
cv::Mat warp_face(const cv::Mat& gray, cv::Matx23d transform, int size);
cv::Mat aligned_face(const cv::Mat& gray, const std::vector<cv::Point2f>& landmarks, int size);
}  // namespace emo::vision::detail
