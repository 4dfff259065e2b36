#pragma once
// Between the public types of emo.hpp and the library's internal ones.
#include "emo/emo.hpp"
#include "emo/models.hpp"
#include "emo/video.hpp"

namespace emo::api {

vision::CropMode crop_mode(Crop crop);
Box box_of(const vision::FaceBox& box);
SpeechResult speech_result(const models::ClipPrediction& p, const std::vector<std::string>& labels);
ImageResult image_result(const models::ImagePrediction& p, const std::vector<std::string>& labels);
VideoSegment video_segment(const video::Segment& s);

}  // namespace emo::api
