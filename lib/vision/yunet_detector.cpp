// YuNet (libfacedetection) through OpenCV's FaceDetectorYN: boxes, five landmarks and a score.
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect/face.hpp>

#include <algorithm>
#include <cstdint>

#include "detector_backend.hpp"
#include "emo/error.hpp"

namespace emo::vision::detail {
namespace {

class YunetDetector : public DetectorBackend {
public:
    YunetDetector(const DetectorOptions& opts, const std::string& model) : opts_(opts), model_(model) {
        require_file(model, "detector.model");
        nets_.push_back({create(), 0});
    }

    std::vector<FaceBox> detect(const cv::Mat& gray, int min_side) override {
        cv::cvtColor(gray, bgr_, cv::COLOR_GRAY2BGR);  // the network takes three channels
        // Its pooling layers fail on inputs under 64 px a side: pad right and bottom.
        if (bgr_.cols < kMinInput || bgr_.rows < kMinInput) {
            cv::copyMakeBorder(bgr_, bgr_, 0, std::max(0, kMinInput - bgr_.rows), 0, std::max(0, kMinInput - bgr_.cols),
                               cv::BORDER_CONSTANT, cv::Scalar::all(0));
        }
        cv::Mat found;  // one row per face: x, y, w, h, 5 landmark (x, y) pairs, score
        net_for(bgr_.size()).detect(bgr_, found);
        std::vector<FaceBox> boxes;
        const cv::Rect image(0, 0, gray.cols, gray.rows);
        for (int i = 0; i < found.rows; ++i) {
            const float* r = found.ptr<float>(i);
            const cv::Rect box =
                cv::Rect(cv::Point(int(r[0]), int(r[1])), cv::Point(int(r[0] + r[2]), int(r[1] + r[3]))) & image;
            if (std::min(box.width, box.height) < min_side) continue;
            FaceBox face{box.x, box.y, box.width, box.height, r[14], {}};
            for (int k = 0; k < 5; ++k) face.landmarks.emplace_back(r[4 + 2 * k], r[5 + 2 * k]);
            boxes.push_back(std::move(face));
        }
        return boxes;
    }

private:
    struct Slot {
        cv::Ptr<cv::FaceDetectorYN> net;
        std::uint64_t last_used;
    };

    cv::Ptr<cv::FaceDetectorYN> create() const {
        cv::Ptr<cv::FaceDetectorYN> net;
        try {
            net =
                cv::FaceDetectorYN::create(model_, "", cv::Size(320, 320), opts_.score_threshold, opts_.nms_threshold);
        } catch (const cv::Exception& e) {
            throw ConfigError("detector.model: " + model_ + ": not a YuNet model OpenCV can load: " + e.msg);
        }
        if (!net) throw ConfigError("detector.model: " + model_ + ": not a YuNet model OpenCV can load");
        return net;
    }

    // A network whose input size changes allocates its layers again, which costs about as much as
    // a search of a 640x480 image. FaceDetector searches whole images and, between them, 128 px
    // crops to refine landmarks: each size in use keeps a network of its own.
    cv::FaceDetectorYN& net_for(cv::Size size) {
        ++uses_;
        for (auto& slot : nets_) {
            if (slot.net->getInputSize() == size) {
                slot.last_used = uses_;
                return *slot.net;
            }
        }
        auto* slot = &*std::min_element(nets_.begin(), nets_.end(),
                                        [](const Slot& a, const Slot& b) { return a.last_used < b.last_used; });
        if (slot->last_used != 0 && nets_.size() < kSizesKept) slot = &nets_.emplace_back(Slot{create(), 0});
        slot->net->setInputSize(size);
        slot->last_used = uses_;
        return *slot->net;
    }

    static constexpr int kMinInput = 64;
    static constexpr std::size_t kSizesKept = 2;
    DetectorOptions opts_;
    std::string model_;
    std::vector<Slot> nets_;
    std::uint64_t uses_ = 0;
    cv::Mat bgr_;
};

}  // namespace

std::unique_ptr<DetectorBackend> make_yunet(const DetectorOptions& opts, const std::string& model) {
    return std::make_unique<YunetDetector>(opts, model);
}

}  // namespace emo::vision::detail
