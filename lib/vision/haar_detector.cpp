// OpenCV's Haar cascade: the detector when YuNet's model file is not available.
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "detector_backend.hpp"
#include "emo/error.hpp"

namespace emo::vision::detail {
namespace {

class HaarDetector : public DetectorBackend {
public:
    HaarDetector(const DetectorOptions& opts, const std::string& cascade) : opts_(opts) {
        require_file(cascade, "detector.haar_cascade (install Debian's opencv-data)");
        if (!cascade_.load(cascade)) throw ConfigError("detector.haar_cascade: " + cascade + ": not a Haar cascade");
    }

    std::vector<FaceBox> detect(const cv::Mat& gray, int min_side) override {
        cv::equalizeHist(gray, equalised_);
        std::vector<cv::Rect> found;
        cascade_.detectMultiScale(equalised_, found, opts_.scale_factor, opts_.min_neighbors, 0,
                                  cv::Size(min_side, min_side));
        std::vector<FaceBox> boxes;
        for (const auto& r : found) boxes.push_back({r.x, r.y, r.width, r.height, 1.0f, {}});
        return boxes;
    }

private:
    DetectorOptions opts_;
    cv::CascadeClassifier cascade_;
    cv::Mat equalised_;
};

}  // namespace

std::unique_ptr<DetectorBackend> make_haar(const DetectorOptions& opts, const std::string& cascade) {
    return std::make_unique<HaarDetector>(opts, cascade);
}

}  // namespace emo::vision::detail
