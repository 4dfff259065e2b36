#include <opencv2/imgproc.hpp>

#include <sstream>

#include "emo/config.hpp"
#include "emo/precision.hpp"
#include "predictor_impl.hpp"
#include "results.hpp"
#include "settings.hpp"

namespace emo {
namespace {

models::Placement apply_settings(const PredictorOptions& o) {
    if (o.detect_side != 0 && !(o.detect_side >= 64 && o.detect_side <= 8192)) {
        throw ConfigError("PredictorOptions::detect_side: expected 64..8192 pixels (0: the model's), got " +
                          std::to_string(o.detect_side));
    }
    if (!(o.silence_db <= 0)) {
        std::ostringstream got;
        got << o.silence_db;
        throw ConfigError("PredictorOptions::silence_db: expected a negative dBFS level (0: the model's), got " +
                          got.str());
    }
    return api::apply_settings(o.threads, o.device, o.precision, "PredictorOptions");
}

// An InputError from a batch result's message ("path: what").
InputError input_error(const std::string& path, const std::string& message) {
    const std::string prefix = path + ": ";
    return InputError(path, message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message);
}

cv::Mat gray_from_pixels(const std::uint8_t* pixels, int width, int height, int channels, std::size_t stride) {
    if (channels != 1 && channels != 3 && channels != 4) {
        throw ConfigError("image: expected 1 (gray), 3 (RGB) or 4 (RGBA) channels, got " + std::to_string(channels));
    }
    if (pixels == nullptr || width <= 0 || height <= 0) {
        throw ConfigError("image: expected pixels of a positive size, got " + std::to_string(width) + "x" +
                          std::to_string(height));
    }
    const std::size_t row = std::size_t(width) * std::size_t(channels);
    if (stride == 0) stride = row;
    if (stride < row) {
        throw ConfigError("image: stride " + std::to_string(stride) + " is less than a row (" + std::to_string(row) +
                          " bytes)");
    }
    const cv::Mat wrapped(height, width, CV_8UC(channels), const_cast<std::uint8_t*>(pixels), stride);
    cv::Mat gray;
    if (channels == 1) gray = wrapped.clone();
    else cv::cvtColor(wrapped, gray, channels == 3 ? cv::COLOR_RGB2GRAY : cv::COLOR_RGBA2GRAY);
    return gray;
}

// The configured model file, else the shipped one; loaded in the precision and on the device asked for.
template <class Model>
std::unique_ptr<Model> load_model(const std::string& configured, const char* modality, const models::Placement& where,
                                  std::string& path) {
    path = configured.empty() ? default_model_path(modality) : configured;
    return std::make_unique<Model>(Model::load(path, where));
}

}  // namespace

ImageResult Predictor::Impl::predict_gray(const cv::Mat& gray, std::string source) {
    const auto& model = face_model();
    const auto mode = api::crop_mode(options.crop);
    ImageResult out;
    out.source = std::move(source);
    out.precision = precision_name(model.precision());
    out.width = gray.cols;
    out.height = gray.rows;
    const auto faces = detectors->with([&](const vision::FaceDetector& detector) {
        out.found_by = vision::used_whole(gray, detector.options(), mode) ? "whole image" : detector.name();
        return vision::find_faces(gray, detector, mode);
    });
    std::vector<std::uint8_t> pixels;
    for (const auto& f : faces) pixels.insert(pixels.end(), f.pixels.datastart, f.pixels.dataend);
    const auto probs = model.predict(pixels.data(), faces.size());
    for (std::size_t i = 0; i < faces.size(); ++i) {
        out.faces.push_back({api::box_of(faces[i].box), {model.metadata().labels, probs[i]}});
    }
    return out;
}

const models::SpeechModel& Predictor::Impl::speech_model() {
    std::call_once(speech_once, [&] {
        speech = load_model<models::SpeechModel>(options.speech_model, "speech", placement, speech_path);
        speech_activity = speech->config().input.voice_activity;
        if (options.silence_db < 0) speech_activity.speech_db = options.silence_db;
        featurizers = std::make_unique<api::ObjectPool<models::SpeechFeaturizer>>(
            [input = speech->config().input] { return models::SpeechFeaturizer(input); });
    });
    return *speech;
}

const models::FaceModel& Predictor::Impl::face_model() {
    std::call_once(face_once, [&] {
        face = load_model<models::FaceModel>(options.face_model, "face", placement, face_path);
        face->set_flip_average(options.flip_average);
        if (options.detect_side > 0) face->set_detector_max_side(options.detect_side);
        detectors = std::make_unique<api::ObjectPool<vision::FaceDetector>>(
            [input = face->config().input] { return vision::FaceDetector(input); });
    });
    return *face;
}

const audio::VoiceActivityOptions* Predictor::Impl::voice_activity() {
    speech_model();
    return options.detect_speech ? &speech_activity : nullptr;
}

Predictor::Predictor(PredictorOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->placement = apply_settings(options);  // validates now, not at the first prediction
    impl_->options = std::move(options);
}
Predictor::Predictor(Predictor&&) noexcept = default;
Predictor& Predictor::operator=(Predictor&&) noexcept = default;
Predictor::~Predictor() = default;

SpeechResult Predictor::predict_audio(const std::string& path) const {
    auto result = predict_audio_files({path}).front();
    if (!result.error.empty()) throw input_error(path, result.error);
    return result;
}

SpeechResult Predictor::predict_audio(const float* samples, std::size_t count, int sample_rate) const {
    if (sample_rate <= 0) throw ConfigError("sample_rate: expected > 0 Hz, got " + std::to_string(sample_rate));
    const auto& model = impl_->speech_model();
    const int rate = model.config().input.features.sample_rate;
    const auto resampled = audio::resample(std::vector<float>(samples, samples + count), sample_rate, rate);
    SpeechResult out;
    out.precision = precision_name(model.precision());
    const auto* voice_activity = impl_->voice_activity();
    if (voice_activity && !audio::has_speech(resampled, rate, *voice_activity)) {
        out.no_speech = true;
        return out;
    }
    auto features = impl_->featurizers->with(
        [&](models::SpeechFeaturizer& featurizer) { return featurizer.featurize_samples(resampled); });
    if (features.num_frames == 0) {  // shorter than one feature frame
        out.no_speech = true;
        return out;
    }
    std::vector<audio::Features> clips;
    clips.push_back(std::move(features));
    out.scores = {model.metadata().labels, model.predict(std::move(clips)).front()};
    return out;
}

ImageResult Predictor::predict_image(const std::string& path) const {
    return impl_->predict_gray(vision::read_gray(path), path);
}

ImageResult Predictor::predict_image(const std::uint8_t* pixels, int width, int height, int channels,
                                     std::size_t stride) const {
    return impl_->predict_gray(gray_from_pixels(pixels, width, height, channels, stride), "");
}

std::vector<SpeechResult> Predictor::predict_audio_files(const std::vector<std::string>& paths,
                                                         const std::vector<std::string>& speakers) const {
    if (!speakers.empty() && speakers.size() != paths.size()) {
        throw ConfigError("speakers: one per path expected, got " + std::to_string(speakers.size()) + " for " +
                          std::to_string(paths.size()) + " paths");
    }
    const auto& model = impl_->speech_model();
    const auto groups =
        speakers.empty() ? std::vector<int>{} : models::speaker_groups(speakers, models::SpeakerGrouping::kSpeaker);
    const auto predictions =
        models::predict_speech_files(model, paths, impl_->options.threads, impl_->voice_activity(), groups);
    std::vector<SpeechResult> out;
    out.reserve(predictions.size());
    for (const auto& p : predictions) out.push_back(api::speech_result(p, model.metadata().labels));
    return out;
}

std::vector<ImageResult> Predictor::predict_image_files(const std::vector<std::string>& paths) const {
    const auto& model = impl_->face_model();
    const auto predictions =
        models::predict_image_files(model, paths, api::crop_mode(impl_->options.crop), impl_->options.threads);
    std::vector<ImageResult> out;
    out.reserve(predictions.size());
    for (const auto& p : predictions) out.push_back(api::image_result(p, model.metadata().labels));
    return out;
}

double Predictor::speech_segment_seconds() const { return impl_->speech_model().config().input.segment_seconds; }

std::vector<std::string> Predictor::speech_labels() const { return impl_->speech_model().metadata().labels; }
std::vector<std::string> Predictor::face_labels() const { return impl_->face_model().metadata().labels; }

std::string Predictor::speech_model_path() const {
    impl_->speech_model();
    return impl_->speech_path;
}
std::string Predictor::face_model_path() const {
    impl_->face_model();
    return impl_->face_path;
}

bool Predictor::speech_normalizes_by_speaker() const { return impl_->speech_model().config().input.speaker_norm; }

std::string Predictor::precision() const { return precision_name(impl_->placement.precision); }

bool is_image_file(const std::string& path) { return vision::is_image_file(path); }

}  // namespace emo
