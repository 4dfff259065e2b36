// OpenCV's DNN face detector (SSD/res10-style networks with a [1, 1, N, 7] output).
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>

#include "detector_backend.hpp"
#include "emo/error.hpp"

namespace emo::vision::detail {
namespace {

class DnnDetector : public DetectorBackend {
public:
    explicit DnnDetector(const DetectorOptions& opts) : opts_(opts) {
        require_file(opts.model, "detector.model");
        if (!opts.config.empty()) require_file(opts.config, "detector.config");
        try {
            net_ = cv::dnn::readNet(opts.model, opts.config);
        } catch (const cv::Exception& e) {
            throw ConfigError("detector.model: " + opts.model + ": cannot load network: " + e.msg);
        }
        if (net_.empty()) throw ConfigError("detector.model: " + opts.model + ": cannot load network");
    }

    std::vector<FaceBox> detect(const cv::Mat& gray, int min_side) override {
        cv::Mat bgr;
        cv::cvtColor(gray, bgr, cv::COLOR_GRAY2BGR);
        net_.setInput(cv::dnn::blobFromImage(bgr, 1.0, cv::Size(300, 300), cv::Scalar(104, 177, 123)));
        const cv::Mat out = net_.forward();  // [1, 1, N, 7]: _, _, score, x0, y0, x1, y1 (relative)
        const cv::Mat rows(out.size[2], out.size[3], CV_32F, const_cast<float*>(out.ptr<float>()));
        std::vector<FaceBox> boxes;
        for (int i = 0; i < rows.rows; ++i) {
            const float score = rows.at<float>(i, 2);
            if (score < opts_.score_threshold) continue;
            const int x0 = std::clamp(int(rows.at<float>(i, 3) * float(gray.cols)), 0, gray.cols - 1);
            const int y0 = std::clamp(int(rows.at<float>(i, 4) * float(gray.rows)), 0, gray.rows - 1);
            const int x1 = std::clamp(int(rows.at<float>(i, 5) * float(gray.cols)), 0, gray.cols);
            const int y1 = std::clamp(int(rows.at<float>(i, 6) * float(gray.rows)), 0, gray.rows);
            if (x1 - x0 >= min_side && y1 - y0 >= min_side) boxes.push_back({x0, y0, x1 - x0, y1 - y0, score, {}});
        }
        return boxes;
    }

private:
    DetectorOptions opts_;
    cv::dnn::Net net_;
};

}  // namespace

std::unique_ptr<DetectorBackend> make_dnn(const DetectorOptions& opts) { return std::make_unique<DnnDetector>(opts); }

}  // namespace emo::vision::detail
