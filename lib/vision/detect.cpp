// FaceDetector: picks the detector, searches a copy downscaled for it, maps boxes back.
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "align.hpp"
#include "detector_backend.hpp"
#include "emo/error.hpp"

namespace emo::vision {
namespace {
const char* const kDebianCascade = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";
const char* const kYunetFile = "yunet/face_detection_yunet_2022mar.onnx";

bool is_file(const std::string& path) {
    std::error_code ec;
    return !path.empty() && std::filesystem::is_regular_file(path, ec);
}

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

std::vector<std::string> model_dirs() {
    std::vector<std::string> dirs;
    if (!env("EMO_MODELS_DIR").empty()) dirs.push_back(env("EMO_MODELS_DIR"));
    if (!env("XDG_DATA_HOME").empty()) dirs.push_back(env("XDG_DATA_HOME") + "/emo/models");
    else if (!env("HOME").empty()) dirs.push_back(env("HOME") + "/.local/share/emo/models");
    dirs.push_back("/usr/local/share/emo/models");
    dirs.push_back("/usr/share/emo/models");
    return dirs;
}

// YuNet's landmarks on a tilted face are off by several degrees (about 8 at 30 degrees of tilt);
// searched again on the face turned upright, they are within about 2 (docs/faces.md). The second
// search's landmarks, mapped back, replace the first's. Faces that already look upright are left
// as found: on them the second search gains nothing and would cost a third of the detection time.
void refine_landmarks(FaceBox& box, const cv::Mat& gray, detail::DetectorBackend& backend) {
    constexpr double kUprightDegrees = 8.0;
    const cv::Point2f eyes = box.landmarks[1] - box.landmarks[0];
    if (std::abs(std::atan2(eyes.y, eyes.x)) * 180.0 / CV_PI < kUprightDegrees) return;
    constexpr int kSide = 128;
    const cv::Matx23d to_upright = detail::alignment_transform(box.landmarks, kSide);
    const cv::Mat upright = detail::warp_face(gray, to_upright, kSide);
    if (upright.empty()) return;
    const auto found = backend.detect(upright, kSide / 4);
    const FaceBox* central = nullptr;
    double best = kSide / 4.0;  // the face must be near the crop's centre
    for (const auto& f : found) {
        const double d = std::hypot(f.x + f.width / 2.0 - kSide / 2.0, f.y + f.height / 2.0 - kSide / 2.0);
        if (f.landmarks.size() == box.landmarks.size() && d < best) best = d, central = &f;
    }
    if (!central) return;
    cv::Matx23d back;
    cv::invertAffineTransform(to_upright, back);
    for (std::size_t i = 0; i < box.landmarks.size(); ++i) {
        const auto& p = central->landmarks[i];
        box.landmarks[i] = cv::Point2f(float(back(0, 0) * p.x + back(0, 1) * p.y + back(0, 2)),
                                       float(back(1, 0) * p.x + back(1, 1) * p.y + back(1, 2)));
    }
}

void scale_box(FaceBox& b, double scale, const cv::Mat& image) {
    b.x = int(b.x / scale);
    b.y = int(b.y / scale);
    b.width = std::min(int(b.width / scale), image.cols - b.x);
    b.height = std::min(int(b.height / scale), image.rows - b.y);
    for (auto& p : b.landmarks) p *= float(1.0 / scale);
}
}  // namespace

namespace detail {
void require_file(const std::string& path, const std::string& key) {
    if (!is_file(path))
        throw ConfigError(key + ": " + (path.empty() ? std::string("no file given") : path + ": file not found"));
}
}  // namespace detail

std::string find_yunet_model(const std::string& configured) {
    if (!configured.empty()) {
        detail::require_file(configured, "detector.model");
        return configured;
    }
    if (!env("EMO_YUNET_MODEL").empty()) {
        detail::require_file(env("EMO_YUNET_MODEL"), "EMO_YUNET_MODEL");
        return env("EMO_YUNET_MODEL");
    }
    for (const auto& dir : model_dirs()) {
        if (is_file(dir + "/" + kYunetFile)) return dir + "/" + kYunetFile;
    }
    return "";
}

struct FaceDetector::Impl {
    std::string name, model_file;
    std::unique_ptr<detail::DetectorBackend> backend;
};

FaceDetector::FaceDetector(const FaceInputOptions& opts) : opts_(opts), impl_(std::make_unique<Impl>()) {
    opts_.validate();
    const auto& d = opts_.detector;
    auto kind = d.kind;
    std::string yunet;
    if (kind == DetectorKind::kAuto || kind == DetectorKind::kYunet) {
        yunet = find_yunet_model(d.model);
        if (yunet.empty() && kind == DetectorKind::kYunet) {
            throw ConfigError(
                "detector.model: YuNet's face_detection_yunet_2022mar.onnx not found: set detector.model or "
                "EMO_YUNET_MODEL, or install it (README, 'Face detection')");
        }
        kind = yunet.empty() ? DetectorKind::kHaar : DetectorKind::kYunet;
    }
    switch (kind) {
        case DetectorKind::kYunet:
            impl_->name = "yunet";
            impl_->model_file = yunet;
            impl_->backend = detail::make_yunet(d, yunet);
            break;
        case DetectorKind::kDnn:
            impl_->name = "dnn";
            impl_->model_file = d.model;
            impl_->backend = detail::make_dnn(d);
            break;
        default:
            impl_->name = "haar";
            impl_->model_file = d.haar_cascade.empty() ? kDebianCascade : d.haar_cascade;
            impl_->backend = detail::make_haar(d, impl_->model_file);
    }
}

FaceDetector::FaceDetector(FaceDetector&&) noexcept = default;
FaceDetector& FaceDetector::operator=(FaceDetector&&) noexcept = default;
FaceDetector::~FaceDetector() = default;

const std::string& FaceDetector::name() const { return impl_->name; }
const std::string& FaceDetector::model_file() const { return impl_->model_file; }

std::vector<FaceDetector> detectors_for(const FaceInputOptions& opts, unsigned workers) {
    std::vector<FaceDetector> detectors;
    detectors.reserve(workers);
    for (unsigned w = 0; w < workers; ++w) detectors.emplace_back(opts);
    return detectors;
}

std::vector<FaceBox> FaceDetector::detect(const cv::Mat& gray) const {
    if (gray.empty()) return {};
    const auto& d = opts_.detector;
    const int longest = std::max(gray.cols, gray.rows);
    const double scale = longest > d.max_side ? double(d.max_side) / longest : 1.0;
    cv::Mat small = gray;
    if (scale < 1.0) cv::resize(gray, small, cv::Size(), scale, scale, cv::INTER_AREA);
    const int min_side = std::max(10, int(d.min_face_fraction * float(std::min(small.cols, small.rows))));
    auto boxes = impl_->backend->detect(small, min_side);
    for (auto& b : boxes) {
        scale_box(b, scale, gray);
        if (b.landmarks.size() == 5) refine_landmarks(b, gray, *impl_->backend);
    }
    std::stable_sort(boxes.begin(), boxes.end(),
                     [](const FaceBox& a, const FaceBox& b) { return a.width * a.height > b.width * b.height; });
    return boxes;
}

}  // namespace emo::vision
