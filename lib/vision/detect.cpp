// Face detection: OpenCV's Haar cascade (default) or its DNN detector (SSD/res10-style networks).
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <algorithm>
#include <filesystem>

#include "emo/error.hpp"
#include "emo/vision.hpp"

namespace emo::vision {
namespace {
const char* const kDebianCascade = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

void require_file(const std::string& path, const std::string& key) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw ConfigError(key + ": " + (path.empty() ? std::string("no file given") : path + ": file not found"));
    }
}
}  // namespace

struct FaceDetector::Impl {
    cv::CascadeClassifier cascade;
    mutable cv::dnn::Net net;  // forward() is not const
};

FaceDetector::FaceDetector(const FaceInputOptions& opts) : opts_(opts), impl_(std::make_unique<Impl>()) {
    opts_.validate();
    if (opts_.detector == Detector::kHaar) {
        const std::string path = opts_.haar_cascade.empty() ? kDebianCascade : opts_.haar_cascade;
        require_file(path, "input.haar_cascade (install Debian's opencv-data)");
        if (!impl_->cascade.load(path)) throw ConfigError("input.haar_cascade: " + path + ": not a Haar cascade");
        return;
    }
    require_file(opts_.dnn_model, "input.dnn_model");
    if (!opts_.dnn_config.empty()) require_file(opts_.dnn_config, "input.dnn_config");
    try {
        impl_->net = cv::dnn::readNet(opts_.dnn_model, opts_.dnn_config);
    } catch (const cv::Exception& e) {
        throw ConfigError("input.dnn_model: " + opts_.dnn_model + ": cannot load network: " + e.msg);
    }
    if (impl_->net.empty()) throw ConfigError("input.dnn_model: " + opts_.dnn_model + ": cannot load network");
}

FaceDetector::FaceDetector(FaceDetector&&) noexcept = default;
FaceDetector& FaceDetector::operator=(FaceDetector&&) noexcept = default;
FaceDetector::~FaceDetector() = default;

std::vector<FaceDetector> detectors_for(const FaceInputOptions& opts, unsigned workers) {
    std::vector<FaceDetector> detectors;
    detectors.reserve(workers);
    for (unsigned w = 0; w < workers; ++w) detectors.emplace_back(opts);
    return detectors;
}

std::vector<FaceBox> FaceDetector::detect(const cv::Mat& gray) const {
    if (gray.empty()) return {};
    // Detection runs on a copy no larger than max_detect_side; boxes are scaled back.
    const int longest = std::max(gray.cols, gray.rows);
    const double scale = longest > opts_.max_detect_side ? double(opts_.max_detect_side) / longest : 1.0;
    cv::Mat small = gray;
    if (scale < 1.0) cv::resize(gray, small, cv::Size(), scale, scale, cv::INTER_AREA);
    const int min_side = std::max(
        12, int(opts_.min_face_fraction * float(std::min(small.cols, small.rows))));

    std::vector<FaceBox> boxes;
    if (opts_.detector == Detector::kHaar) {
        cv::Mat equalised;
        cv::equalizeHist(small, equalised);
        std::vector<cv::Rect> found;
        impl_->cascade.detectMultiScale(equalised, found, opts_.scale_factor, opts_.min_neighbors, 0,
                                        cv::Size(min_side, min_side));
        for (const auto& r : found) boxes.push_back({r.x, r.y, r.width, r.height, 1.0f});
    } else {
        cv::Mat bgr;
        cv::cvtColor(small, bgr, cv::COLOR_GRAY2BGR);
        const auto blob = cv::dnn::blobFromImage(bgr, 1.0, cv::Size(300, 300), cv::Scalar(104, 177, 123));
        impl_->net.setInput(blob);
        const cv::Mat out = impl_->net.forward();  // [1, 1, N, 7]: _, _, score, x0, y0, x1, y1 (relative)
        const cv::Mat rows(out.size[2], out.size[3], CV_32F, const_cast<float*>(out.ptr<float>()));
        for (int i = 0; i < rows.rows; ++i) {
            const float score = rows.at<float>(i, 2);
            if (score < opts_.dnn_threshold) continue;
            const int x0 = std::clamp(int(rows.at<float>(i, 3) * float(small.cols)), 0, small.cols - 1);
            const int y0 = std::clamp(int(rows.at<float>(i, 4) * float(small.rows)), 0, small.rows - 1);
            const int x1 = std::clamp(int(rows.at<float>(i, 5) * float(small.cols)), 0, small.cols);
            const int y1 = std::clamp(int(rows.at<float>(i, 6) * float(small.rows)), 0, small.rows);
            if (x1 - x0 >= min_side && y1 - y0 >= min_side) boxes.push_back({x0, y0, x1 - x0, y1 - y0, score});
        }
    }
    for (auto& b : boxes) {
        b.x = int(b.x / scale);
        b.y = int(b.y / scale);
        b.width = std::min(int(b.width / scale), gray.cols - b.x);
        b.height = std::min(int(b.height / scale), gray.rows - b.y);
    }
    std::sort(boxes.begin(), boxes.end(),
              [](const FaceBox& a, const FaceBox& b) { return a.width * a.height > b.width * b.height; });
    return boxes;
}

}  // namespace emo::vision
