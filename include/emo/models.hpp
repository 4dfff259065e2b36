#pragma once
// Models and model files. One file holds the weights and everything needed to use them: labels,
// the resolved config (features, preprocessing), normalisation statistics, provenance, metrics.
// LibTorch stays behind Impl: this header is cheap to include.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emo/audio.hpp"
#include "emo/config.hpp"
#include "emo/data.hpp"

namespace emo::models {

inline constexpr int kModelFormatVersion = 1;

struct ModelMetadata {
    int format_version = kModelFormatVersion;
    std::string modality = "speech";
    std::vector<std::string> labels;               // output order
    std::string config_yaml;                       // resolved config the model was trained with
    std::vector<float> feature_mean, feature_std;  // per feature dimension, from training data
    std::string trained_on;                        // dataset source and split
    std::string created;                           // ISO 8601 UTC
    std::string emo_version;
    // Validation metrics at the saved epoch: the emo-eval --json object plus "epoch".
    nlohmann::json metrics = nlohmann::json::object();
    // Where the training data came from: {"path": absolute dataset path, "split": ...} (empty when
    // unknown); fine-tuning draws its replay sample from it.
    nlohmann::json training_data = nlohmann::json::object();
    // Every training stage that led to this model, oldest first: per stage the parent model, data,
    // config, and validation metrics before and after. A document each stage appends to, kept as JSON.
    nlohmann::json lineage = nlohmann::json::array();
    // Speech: the logits are divided by it before the softmax (calibration.fit_temperature); 1: as trained.
    float temperature = 1.0f;
};

// Decode -> resample -> trim -> features for one clip, as the model's config prescribes.
// Optionally cached on disk (training). Throws InputError for an unreadable clip.
class SpeechFeaturizer {
public:
    explicit SpeechFeaturizer(const config::SpeechInputOptions& input, std::string cache_dir = "",
                              bool use_cache = false);
    // With `voice_activity`, a clip without speech (audio::has_speech) gives 0 frames instead.
    audio::Features featurize(const std::string& path, const audio::VoiceActivityOptions* voice_activity = nullptr);
    // Mono samples already at input().features.sample_rate: trimmed, then featurized. Too short or
    // silent input gives 0 frames, not an error.
    audio::Features featurize_samples(const std::vector<float>& samples);
    const config::SpeechInputOptions& input() const { return input_; }

private:
    config::SpeechInputOptions input_;
    audio::FeatureExtractor extractor_;
    std::unique_ptr<data::FeatureCache> cache_;
};
// Featurizes many clips on `threads` workers (0: all cores). Unreadable clips throw the first error
// unless `errors` is given, where per-clip messages are stored ("" for success). With
// `voice_activity`, clips without speech give 0 frames.
std::vector<audio::Features> featurize_all(const config::SpeechInputOptions& input,
                                           const std::vector<std::string>& paths, const std::string& cache_dir,
                                           bool use_cache, int threads, std::vector<std::string>* errors = nullptr,
                                           const audio::VoiceActivityOptions* voice_activity = nullptr);

// Per-band normalisation as the model applies it, in place: with input.utterance_norm the clip's own per-band
// mean is subtracted; with input.speaker_norm `speaker_mean` (its speaker's, see speaker_means), or the clip's
// own mean when null; then (x - mean) / std.
void normalise(audio::Features& f, const config::SpeechInputOptions& input, const std::vector<float>& mean,
               const std::vector<float>& std, const std::vector<float>* speaker_mean = nullptr);
// For each clip, the per-band mean over every frame of the clips in its group (group[i]: any id; clips with
// the same id are one speaker). Throws RuntimeError when the sizes differ.
std::vector<std::vector<float>> speaker_means(const std::vector<audio::Features>& clips, const std::vector<int>& group);
// How predictions group clips for input.speaker_norm: kNone, each clip alone (its own mean stands in for its
// speaker's); kBatch, every clip of the call is one speaker; kSpeaker, by the speaker given per clip.
enum class SpeakerGrouping { kNone, kBatch, kSpeaker };
// "none" | "batch" | "speaker"; throws ConfigError naming `what` otherwise.
SpeakerGrouping parse_speaker_grouping(const std::string& name, const std::string& what);
// Group ids for `speakers` (one name per clip) under `grouping`.
std::vector<int> speaker_groups(const std::vector<std::string>& speakers, SpeakerGrouping grouping);

// Where a loaded model runs and in which precision: a value each load takes, so models on different
// devices or in different precisions can live side by side in one process.
struct Placement {
    std::string device = "cpu";              // cpu, cuda or cuda:N
    Precision precision = Precision::kAuto;  // auto: bf16 where the CPU has AMX-BF16 or AVX512-BF16
};
// `where` with its precision resolved for its device (kFp32 or kBf16). Throws ConfigError naming the
// device, or `precision_setting`, and why when this machine cannot run it (Debian's LibTorch has no
// CUDA; bf16 needs AMX-BF16 or AVX512-BF16).
Placement resolved(const Placement& where, const std::string& precision_setting = "precision");

class SpeechModel {
public:
    // Loads and validates a model file, on `where.device` in `where.precision`. Throws InputError for a
    // missing, truncated or foreign file, or one from another modality or an incompatible format version;
    // ConfigError for a placement this machine cannot run.
    static SpeechModel load(const std::string& path, const Placement& where = {});
    SpeechModel(SpeechModel&&) noexcept;
    SpeechModel& operator=(SpeechModel&&) noexcept;
    ~SpeechModel();

    // Class probabilities for each clip's raw features (as SpeechFeaturizer gives them). Clips are
    // cut into segment windows (half overlap), scored in batches, and window probabilities averaged.
    // `groups` (empty, or one id per clip): clips of one speaker for input.speaker_norm (see speaker_means).
    std::vector<std::vector<float>> predict(std::vector<audio::Features> clips, int batch_size = 64,
                                            const std::vector<int>& groups = {}) const;

    const ModelMetadata& metadata() const;
    const config::SpeechConfig& config() const;
    const std::string& path() const;
    Precision precision() const;  // what its network runs in (its Placement, resolved)

private:
    struct Impl;
    explicit SpeechModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
    friend struct SpeechModelAccess;
};

// One clip's prediction; `error` is set (and the rest empty) when the clip could not be read.
struct ClipPrediction {
    std::string file, error;
    bool no_speech = false;     // nothing to score: no label, no scores
    std::string label;          // argmax of scores
    float confidence = 0.0f;    // its probability
    std::vector<float> scores;  // over model.metadata().labels, sum to 1
    std::string precision;      // what the network ran in: "fp32" or "bf16"
};
// Decodes and featurizes `files` on `threads` workers, then scores them in batches. With
// `voice_activity`, clips without speech are not scored but marked no_speech. `groups` (empty, or one id per
// file): which files are one speaker, for a model trained with input.speaker_norm.
std::vector<ClipPrediction> predict_speech_files(const SpeechModel& model, const std::vector<std::string>& files,
                                                 int threads = 0,
                                                 const audio::VoiceActivityOptions* voice_activity = nullptr,
                                                 const std::vector<int>& groups = {});

class FaceModel {
public:
    // Loads and validates a face model file. Throws like SpeechModel::load.
    static FaceModel load(const std::string& path, const Placement& where = {});
    FaceModel(FaceModel&&) noexcept;
    FaceModel& operator=(FaceModel&&) noexcept;
    ~FaceModel();

    // Class probabilities for `count` faces already normalised to the model's input (size x size
    // bytes each, as vision::find_faces and data::FaceImages hold them), in batches.
    // On oneDNN's layout batches of 32 measured fastest on a 2-core CPU: 453 faces/s against 387 for 64
    // and 338 for 128 (the activations stay in cache).
    std::vector<std::vector<float>> predict(const std::uint8_t* pixels, std::size_t count, int batch_size = 32) const;

    const ModelMetadata& metadata() const;
    const config::FaceConfig& config() const;
    const std::string& path() const;
    Precision precision() const;  // what its network runs in (its Placement, resolved)

    // Inference settings that need no retraining. Photos are searched on a copy at most `pixels` on its
    // longer side (ConfigError naming detector.max_side when out of range); without flip averaging
    // each face takes one pass of the network instead of two.
    void set_detector_max_side(int pixels);
    void set_flip_average(bool on);

private:
    struct Impl;
    explicit FaceModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

struct FaceResult {
    vision::FaceBox box;
    std::string label;
    float confidence = 0.0f;
    std::vector<float> scores;  // over model.metadata().labels
};
// One image's prediction: every face found (none is a valid result); `error` set when unreadable.
struct ImagePrediction {
    std::string file, error;
    std::string found_by;   // the detector that searched the image ("yunet", "haar", "dnn"), or "whole image"
    std::string precision;  // what the network ran in: "fp32" or "bf16"
    int width = 0, height = 0;
    std::vector<FaceResult> faces;
};
// Decodes and searches `files` for faces on `threads` workers, then scores every face in batches.
std::vector<ImagePrediction> predict_image_files(const FaceModel& model, const std::vector<std::string>& files,
                                                 vision::CropMode mode, int threads = 0);

// Reads only the metadata of a model file (any modality). Throws InputError like SpeechModel::load.
ModelMetadata read_metadata(const std::string& path);

// Metadata as JSON, as stored inside the model file (nlohmann's to_json: `nlohmann::json j = meta;`).
void to_json(nlohmann::json& j, const ModelMetadata& meta);
// Metadata from that JSON, checked (format version, labels, temperature); throws InputError naming `path`.
ModelMetadata metadata_from_json(const nlohmann::json& json, const std::string& path);

// Sets LibTorch's intra-op threads (0: all cores).
void set_threads(int threads);

}  // namespace emo::models
