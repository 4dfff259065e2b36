// From a decoded image to the faces the model sees.
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <sstream>

#include "align.hpp"
#include "emo/error.hpp"
#include "emo/vision.hpp"

namespace emo::vision {
namespace {
void require(bool ok, const std::string& key, const std::string& expected, double got) {
    if (ok) return;
    std::ostringstream ss;
    ss << key << ": expected " << expected << ", got " << got;
    throw ConfigError(ss.str());
}
}  // namespace

void DetectorOptions::validate() const {
    require(score_threshold >= 0.0f && score_threshold <= 1.0f, "detector.score_threshold", "0..1", score_threshold);
    require(nms_threshold > 0.0f && nms_threshold <= 1.0f, "detector.nms_threshold", "0 < x <= 1", nms_threshold);
    require(min_face_fraction >= 0.0f && min_face_fraction < 1.0f, "detector.min_face_fraction", "0 <= x < 1",
            min_face_fraction);
    require(max_side >= 64 && max_side <= 8192, "detector.max_side", "64..8192 pixels", max_side);
    require(scale_factor > 1.0f && scale_factor <= 2.0f, "detector.scale_factor", "1 < x <= 2", scale_factor);
    require(min_neighbors >= 0, "detector.min_neighbors", ">= 0", min_neighbors);
}

void FaceInputOptions::validate() const {
    require(size >= 8 && size <= 512, "input.size", "8..512 pixels", size);
    detector.validate();
    require(margin >= 0.0f && margin <= 1.0f, "input.margin", "0..1", margin);
    require(whole_max_side >= 0, "input.whole_max_side", ">= 0 pixels", whole_max_side);
}

bool looks_like_face_crop(const cv::Mat& gray, const FaceInputOptions& opts) {
    const int longest = std::max(gray.cols, gray.rows), shortest = std::min(gray.cols, gray.rows);
    return longest <= opts.whole_max_side && shortest * 5 >= longest * 4;  // aspect within 1.25
}

cv::Mat normalise_face(const cv::Mat& gray, const FaceBox& box, const FaceInputOptions& opts) {
    if (opts.align && box.landmarks.size() >= 2) {
        cv::Mat aligned = detail::aligned_face(gray, box.landmarks, opts.size);
        if (!aligned.empty()) return aligned;
    }
    const int dx = int(opts.margin * float(box.width)), dy = int(opts.margin * float(box.height));
    const cv::Rect wanted(box.x - dx, box.y - dy, box.width + 2 * dx, box.height + 2 * dy);
    const cv::Rect region = wanted & cv::Rect(0, 0, gray.cols, gray.rows);
    if (region.empty()) throw RuntimeError("face box lies outside the image");
    const cv::Mat crop = gray(region);
    const bool shrinking = crop.cols > opts.size || crop.rows > opts.size;
    cv::Mat out;
    cv::resize(crop, out, cv::Size(opts.size, opts.size), 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
    return out;
}

bool used_whole(const cv::Mat& gray, const FaceInputOptions& opts, CropMode mode) {
    return mode == CropMode::kWhole || (mode == CropMode::kAuto && looks_like_face_crop(gray, opts));
}

std::vector<Face> find_faces(const cv::Mat& gray, const FaceDetector& detector, CropMode mode) {
    const auto& opts = detector.options();
    if (used_whole(gray, opts, mode)) {
        FaceBox box{0, 0, gray.cols, gray.rows, 1.0f, {}};
        FaceInputOptions no_margin = opts;
        no_margin.margin = 0.0f;
        return {{box, normalise_face(gray, box, no_margin)}};
    }
    std::vector<Face> faces;
    for (const auto& box : detector.detect(gray)) faces.push_back({box, normalise_face(gray, box, opts)});
    return faces;
}

}  // namespace emo::vision
