#include "emo/camera.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "emo/error.hpp"

namespace emo::vision {

struct Camera::Impl {
    std::string source;
    bool device = false;
    cv::VideoCapture capture;
    std::chrono::steady_clock::time_point opened;
    cv::Mat mat;
};

Camera::Camera(const std::string& source) : impl_(std::make_unique<Impl>()) {
    impl_->source = source;
    impl_->device = !source.empty() && source.size() < 4 &&
                    std::all_of(source.begin(), source.end(), [](char c) { return c >= '0' && c <= '9'; });
    // OpenCV's own warning on a missing device would repeat the error below, less clearly.
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_ERROR);
    try {
        if (impl_->device) impl_->capture.open(std::stoi(source), cv::CAP_V4L2);
        else impl_->capture.open(source, cv::CAP_FFMPEG);
    } catch (const cv::Exception& e) {
        throw InputError("camera " + source, std::string("cannot open: ") + e.what());
    }
    if (!impl_->capture.isOpened()) {
        throw InputError("camera " + source, impl_->device ? "cannot open /dev/video" + source + " (missing or busy)"
                                                           : "cannot open (not a video FFmpeg can read)");
    }
    impl_->opened = std::chrono::steady_clock::now();
}

Camera::Camera(Camera&&) noexcept = default;
Camera::~Camera() = default;
const std::string& Camera::source() const { return impl_->source; }

bool Camera::read(Frame& frame) {
    auto& s = *impl_;
    try {
        if (!s.capture.read(s.mat) || s.mat.empty()) return false;
    } catch (const cv::Exception&) {
        return false;
    }
    if (s.mat.type() != CV_8UC3) return false;
    frame.width = s.mat.cols;
    frame.height = s.mat.rows;
    frame.rgb.resize(std::size_t(frame.width) * std::size_t(frame.height) * 3);
    cv::Mat rgb(s.mat.rows, s.mat.cols, CV_8UC3, frame.rgb.data());
    cv::cvtColor(s.mat, rgb, cv::COLOR_BGR2RGB);
    frame.seconds = s.device ? std::chrono::duration<double>(std::chrono::steady_clock::now() - s.opened).count()
                             : s.capture.get(cv::CAP_PROP_POS_MSEC) / 1000.0;
    return true;
}

std::vector<std::string> Camera::devices() {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/dev", ec)) {
        const auto name = e.path().filename().string();
        if (name.rfind("video", 0) == 0) out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace emo::vision
