// YuNet (libfacedetection) through OpenCV's FaceDetectorYN: boxes, five landmarks and a score.
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect/face.hpp>

#include <algorithm>

#include "detector_backend.hpp"
#include "emo/error.hpp"

namespace emo::vision::detail {
namespace {

class YunetDetector : public DetectorBackend {
public:
    YunetDetector(const DetectorOptions& opts, const std::string& model) {
        require_file(model, "detector.model");
        try {
            net_ = cv::FaceDetectorYN::create(model, "", cv::Size(320, 320), opts.score_threshold, opts.nms_threshold);
        } catch (const cv::Exception& e) {
            throw ConfigError("detector.model: " + model + ": not a YuNet model OpenCV can load: " + e.msg);
        }
        if (!net_) throw ConfigError("detector.model: " + model + ": not a YuNet model OpenCV can load");
    }

    std::vector<FaceBox> detect(const cv::Mat& gray, int min_side) override {
        cv::cvtColor(gray, bgr_, cv::COLOR_GRAY2BGR);  // the network takes three channels
        // Its pooling layers fail on inputs under 64 px a side: pad right and bottom.
        if (bgr_.cols < kMinInput || bgr_.rows < kMinInput) {
            cv::copyMakeBorder(bgr_, bgr_, 0, std::max(0, kMinInput - bgr_.rows), 0, std::max(0, kMinInput - bgr_.cols),
                               cv::BORDER_CONSTANT, cv::Scalar::all(0));
        }
        if (net_->getInputSize() != bgr_.size()) net_->setInputSize(bgr_.size());
        cv::Mat found;  // one row per face: x, y, w, h, 5 landmark (x, y) pairs, score
        net_->detect(bgr_, found);
        std::vector<FaceBox> boxes;
        const cv::Rect image(0, 0, gray.cols, gray.rows);
        for (int i = 0; i < found.rows; ++i) {
            const float* r = found.ptr<float>(i);
            const cv::Rect box = cv::Rect(cv::Point(int(r[0]), int(r[1])), cv::Point(int(r[0] + r[2]), int(r[1] + r[3]))) & image;
            if (std::min(box.width, box.height) < min_side) continue;
            FaceBox face{box.x, box.y, box.width, box.height, r[14], {}};
            for (int k = 0; k < 5; ++k) face.landmarks.emplace_back(r[4 + 2 * k], r[5 + 2 * k]);
            boxes.push_back(std::move(face));
        }
        return boxes;
    }

private:
    static constexpr int kMinInput = 64;
    cv::Ptr<cv::FaceDetectorYN> net_;
    cv::Mat bgr_;
};

}  // namespace

std::unique_ptr<DetectorBackend> make_yunet(const DetectorOptions& opts, const std::string& model) {
    return std::make_unique<YunetDetector>(opts, model);
}

}  // namespace emo::vision::detail
