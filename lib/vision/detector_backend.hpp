#pragma once
// The face detectors FaceDetector can run. Each searches an 8-bit grayscale image that FaceDetector
// has already downscaled for it, and answers in that image's pixels.
#include <memory>
#include <string>
#include <vector>

#include "emo/vision.hpp"

namespace emo::vision::detail {

class DetectorBackend {
public:
    virtual ~DetectorBackend() = default;
    // Faces no smaller than min_side pixels, clipped to the image.
    virtual std::vector<FaceBox> detect(const cv::Mat& gray, int min_side) = 0;
};

// Each throws ConfigError naming the config key and the file when the model cannot be loaded.
std::unique_ptr<DetectorBackend> make_yunet(const DetectorOptions& opts, const std::string& model);
std::unique_ptr<DetectorBackend> make_haar(const DetectorOptions& opts, const std::string& cascade);
std::unique_ptr<DetectorBackend> make_dnn(const DetectorOptions& opts);

// ConfigError "KEY: PATH: file not found" (or "no file given") unless `path` is a regular file.
void require_file(const std::string& path, const std::string& key);

}  // namespace emo::vision::detail
