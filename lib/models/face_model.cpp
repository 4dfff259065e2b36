#include <algorithm>
#include <thread>

#include "emo/argmax.hpp"
#include "emo/error.hpp"
#include "emo/face_cnn.hpp"

namespace emo::models {

struct FaceModel::Impl {
    std::string path;
    ModelMetadata meta;
    config::FaceConfig config;
    FaceCnn net{nullptr};
    Precision precision = Precision::kFp32;
};

FaceModel::FaceModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FaceModel::FaceModel(FaceModel&&) noexcept = default;
FaceModel& FaceModel::operator=(FaceModel&&) noexcept = default;
FaceModel::~FaceModel() = default;

FaceModel FaceModel::load(const std::string& path, const Placement& where) {
    const Placement placement = resolved(where);  // refused before the file is read
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->net = load_face_network(path, impl->meta, impl->config);
    impl->net->to(device_named(placement.device));
    impl->precision = placement.precision;
    impl->net->fold_for_inference(impl->precision);  // a FaceModel only predicts
    return FaceModel(std::move(impl));
}

const ModelMetadata& FaceModel::metadata() const { return impl_->meta; }
const config::FaceConfig& FaceModel::config() const { return impl_->config; }
const std::string& FaceModel::path() const { return impl_->path; }
Precision FaceModel::precision() const { return impl_->precision; }

void FaceModel::set_detector_max_side(int pixels) {
    auto detector = impl_->config.input.detector;
    detector.max_side = pixels;
    detector.validate();
    impl_->config.input.detector = detector;
}
void FaceModel::set_flip_average(bool on) { impl_->config.flip_average = on; }

std::vector<std::vector<float>> FaceModel::predict(const std::uint8_t* pixels, std::size_t count,
                                                   int batch_size) const {
    if (count == 0) return {};
    const auto faces =
        face_tensor(pixels, count, impl_->config.input.size, impl_->meta.feature_mean[0], impl_->meta.feature_std[0]);
    return predict_face_tensor(impl_->net, faces, impl_->config.flip_average, batch_size);
}

std::vector<ImagePrediction> predict_image_files(const FaceModel& model, const std::vector<std::string>& files,
                                                 vision::CropMode mode, int threads) {
    std::vector<ImagePrediction> out(files.size());
    std::vector<std::vector<vision::Face>> faces(files.size());
    const unsigned workers = std::max(1u, threads > 0 ? unsigned(threads) : std::thread::hardware_concurrency());
    const auto detectors = vision::detectors_for(model.config().input, workers);
    std::vector<std::thread> pool;
    for (unsigned w = 0; w < workers; ++w) {
        pool.emplace_back([&, w] {
            for (std::size_t i = w; i < files.size(); i += workers) {
                out[i].file = files[i];
                out[i].precision = precision_name(model.precision());
                try {
                    const cv::Mat gray = vision::read_gray(files[i]);
                    out[i].width = gray.cols;
                    out[i].height = gray.rows;
                    faces[i] = vision::find_faces(gray, detectors[w], mode);
                    out[i].found_by =
                        vision::used_whole(gray, detectors[w].options(), mode) ? "whole image" : detectors[w].name();
                } catch (const std::exception& e) {
                    out[i].error = e.what();
                }
            }
        });
    }
    for (auto& t : pool) t.join();

    const auto side = std::size_t(model.config().input.size) * std::size_t(model.config().input.size);
    std::vector<std::uint8_t> pixels;
    for (const auto& per_file : faces)
        for (const auto& f : per_file) pixels.insert(pixels.end(), f.pixels.datastart, f.pixels.dataend);
    const auto probs = model.predict(pixels.data(), pixels.size() / side);
    const auto& labels = model.metadata().labels;
    std::size_t k = 0;
    for (std::size_t i = 0; i < files.size(); ++i) {
        for (const auto& f : faces[i]) {
            const auto& p = probs[k++];
            const auto best = core::argmax(p);
            out[i].faces.push_back({f.box, labels[best], p[best], p});
        }
    }
    return out;
}

}  // namespace emo::models
