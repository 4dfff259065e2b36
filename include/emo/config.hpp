#pragma once
// YAML configs -> options structs, validated, with defaults. Every error names the file, the key
// and what was expected: "speech.yaml: train.epochs: expected an integer >= 1, got -3".
#include <map>
#include <string>
#include <vector>

#include "emo/audio.hpp"
#include "emo/precision.hpp"
#include "emo/vision.hpp"

namespace emo::config {

// How a clip becomes the model's input: decode -> resample -> trim -> features -> normalise.
struct SpeechInputOptions {
    audio::TrimOptions trim;
    audio::FeatureOptions features;
    float segment_seconds = 3.0f;  // training crops and inference windows, seconds
    bool utterance_norm = false;   // subtract each clip's per-band mean (before global stats)
    // Subtract the per-band mean of the speaker's clips instead (training: each training speaker's; at
    // prediction: the clips given as one speaker, or a clip's own mean when it comes alone). Removes the
    // speaker's voice and channel but keeps how a clip differs from that speaker's other clips.
    bool speaker_norm = false;
    audio::VoiceActivityOptions voice_activity;  // emo-predict: clips without speech get "no speech"
    void validate() const;
    int segment_frames() const;  // segment_seconds in feature frames
};

struct CnnOptions {
    std::vector<int> channels{16, 32, 64, 128};  // one conv block per entry
    int convs_per_block = 1;                     // 3x3 conv+BN+ReLU layers before each pool
    float dropout = 0.3f;                        // [0, 1)
    void validate() const;
};

struct SpeechCnnOptions : CnnOptions {
    // Pool over time only and keep the trunk's coarse frequency rows as features (where in the
    // spectrum the energy sits: pitch and formant height), instead of averaging them away.
    bool keep_frequency = false;
    // Pool over time with learnt weights per frame (attentive mean and standard deviation) instead
    // of the plain mean and max: the network can weigh the frames that carry emotion and skip
    // pauses and padding.
    bool attention_pooling = false;
    // Domain-adversarial training (Ganin et al. 2016): a corpus classifier on the pooled embedding,
    // behind a gradient-reversal layer, so the trunk learns features that do not tell corpora
    // (studios, microphones, languages) apart. The weight of the reversed gradient reaching the trunk
    // (ramped up from 0 over the run as 2 / (1 + exp(-10 p)) - 1); 0 disables. Training only: the
    // classifier is not used for prediction.
    float corpus_adversary = 0.0f;
    int adversary_hidden = 128;  // hidden units of the corpus classifier
};

// After training, a temperature T fitted on the held-out speakers (minimum negative log-likelihood)
// divides the logits: scores that say how sure the model is (expected calibration error in
// validation.json). Kept in the model file; 1 leaves scores as they were.
struct CalibrationOptions {
    bool fit_temperature = false;
};

struct AugmentOptions {
    int time_masks = 2, time_mask_frames = 25;  // SpecAugment time masking
    int freq_masks = 2, freq_mask_bins = 8;     // SpecAugment frequency masking
    float gain_db = 6.0f;                       // random gain in [-gain_db, gain_db]
    float noise_probability = 0.5f;             // add noise (mel-power domain) this often
    float noise_snr_min_db = 10.0f, noise_snr_max_db = 40.0f;
    bool random_crop = true;              // random segment start instead of centre
    float mixup_alpha = 0.0f;             // mixup of batch pairs, lambda ~ Beta(a, a); 0 disables
    float freq_warp = 0.0f;               // stretch the mel axis by a factor in 1 +- freq_warp; 0 disables
    float time_stretch = 0.0f;            // stretch the time axis by a factor in 1 +- time_stretch
    float reverb_probability = 0.0f;      // simulated room reverberation this often
    float reverb_rt60_max = 0.8f;         // its decay time drawn in [0.2, reverb_rt60_max] s
    float band_limit_probability = 0.0f;  // telephone-like band limits this often
    // With input.speaker_norm: this share of training clips is normalised by its own mean instead of its
    // speaker's, as a clip scored alone is (emo-predict --normalize none), so one model serves both; 0 disables.
    float own_mean_probability = 0.0f;
    void validate() const;
};

enum class Schedule { kNone, kCosine, kOneCycle };

struct TrainOptions {
    int epochs = 60;
    int batch_size = 32;
    float learning_rate = 1e-3f;
    float weight_decay = 1e-4f;
    Schedule schedule = Schedule::kOneCycle;
    float label_smoothing = 0.1f;
    bool class_weighting = true;      // inverse-frequency weights in the loss
    float class_weight_power = 1.0f;  // weights ^ power: 1 full inverse frequency, 0.5 its square root
    int patience = 20;                // early stopping on validation accuracy; 0 disables
    // > 0: the model is also offered as the mean of the last N epochs' weights (batch-norm statistics
    // recomputed on the training data), kept when it validates better than the best single epoch.
    int average_last = 0;
    int seed = 1;
    int threads = 0;                         // 0: all cores
    std::string device = "cpu";              // LibTorch device: cpu, cuda or cuda:N
    Precision precision = Precision::kAuto;  // auto: bf16 where the CPU has AMX-BF16/AVX512-BF16
    void validate() const;
};

struct SplitOptions {
    std::vector<std::string> validation_speakers;  // held-out speakers for early stopping
    void validate() const;
};

// One corpus a speech run trains on: an entry of the config's `data:` list (or a repeated --data).
struct CorpusSource {
    std::string path;     // RAVDESS-style folder, folder with a manifest.csv, or manifest CSV
    float weight = 1.0f;  // the corpus's share of the draws is multiplied by this (> 0)
    std::string name;     // empty: data::corpus_name(path)
};

// How training clips are drawn each epoch. With both at 0 and every weight 1, every clip is seen
// once per epoch in shuffled order; otherwise an epoch is as many clips drawn with replacement, each
// corpus's share proportional to weight * size^(1 - balance_corpora) and, within a corpus, each
// class's share to its size^(1 - balance_classes).
struct SamplingOptions {
    float balance_corpora = 0.0f;  // 0: corpora as large as they are; 1: equal shares (times weight)
    float balance_classes = 0.0f;  // 0: classes as frequent as they are; 1: equally frequent per corpus
    // Share of the loss that ranges over every label, also those a clip's corpus lacks: 0 masks them
    // out entirely; w > 0 pushes them down a little, so that a label only one corpus has does not
    // take over the other corpora's clips at prediction time.
    float missing_label_weight = 0.0f;
    void validate() const;
};

struct SpeechConfig {
    std::vector<CorpusSource> data;  // what to train on when --data is not given
    SamplingOptions sampling;
    SpeechInputOptions input;
    SpeechCnnOptions model;
    AugmentOptions augment;
    TrainOptions train;
    SplitOptions split;
    CalibrationOptions calibration;
    std::string cache_dir;  // empty: default (see data::FeatureCache)
    void validate() const;
};

// Throws ConfigError ("file: key: expected ...") for a missing/unreadable file, bad YAML,
// an unknown key, a wrong type or an out-of-range value.
SpeechConfig load_speech_config(const std::string& path);
SpeechConfig parse_speech_config(const std::string& yaml_text, const std::string& source_name);
// Resolved config as YAML; parse_speech_config(to_yaml(c)) == c.
std::string to_yaml(const SpeechConfig& config);
struct FaceAugmentOptions {
    bool flip = true;                // horizontal flip with probability 0.5
    float rotation_degrees = 10.0f;  // uniform in [-x, x]
    float scale = 0.1f;              // zoom factor uniform in [1 - x, 1 + x]
    float shift = 0.1f;              // translation, fraction of the side, uniform in [-x, x]
    float brightness = 0.2f;         // added offset uniform in [-x, x] (pixels scaled to 0..1)
    float contrast = 0.2f;           // factor uniform in [1 - x, 1 + x] around the image mean
    // The shift from low-resolution web crops to sharp studio and press photos (issue 33); 0 disables (no draws).
    float gamma = 0.0f;      // pixels^e, e = exp(u), u uniform in [-ln(1 + x), ln(1 + x)]: mid-tones darker or lighter
    float sharpness = 0.0f;  // unsharp mask amount uniform in [-1, x]: -1 is a 3x3 box blur, x > 0 sharpens
    float erasing_probability = 0.5f;  // random erasing of one rectangle (2-20 % of the area)
    float mixup_alpha = 0.0f;          // mixup of batch pairs; 0 disables
    void validate() const;
};

struct FaceSplitOptions {
    // With a data folder holding split folders (FER2013 layout) or the FER2013 CSV: the split
    // names to train and validate on (folder names, or the CSV's Usage values, case-insensitive).
    std::string train = "train", validation = "publictest";
    // Otherwise (one class-folder tree or a manifest): a stratified, seeded held-out fraction.
    float validation_fraction = 0.1f;
    void validate() const;
};

// Knowledge distillation: the network also learns a trained teacher's scores of each augmented batch
// (a larger network's accuracy at a smaller one's speed). Loss: (1 - weight) x the label loss +
// weight x temperature^2 x KL(teacher || student), both distributions softened by the temperature.
struct DistillOptions {
    std::string teacher;       // a model file of the same modality and labels; empty: no distillation
    float weight = 0.5f;       // share of the loss that is the teacher's
    float temperature = 3.0f;  // softens both networks' scores before they are compared
    void validate() const;
};

struct FaceConfig {
    vision::FaceInputOptions input;
    bool flip_average = true;  // test-time augmentation: average the scores of the face and its mirror
    CnnOptions model{{32, 64, 128, 256}, 2, 0.4f};
    FaceAugmentOptions augment;
    TrainOptions train;
    DistillOptions distill;
    FaceSplitOptions split;
    void validate() const;
};

FaceConfig load_face_config(const std::string& path);
FaceConfig parse_face_config(const std::string& yaml_text, const std::string& source_name);
std::string to_yaml(const FaceConfig& config);

// Decision fusion of face and speech scores (configs/fusion.yaml).
enum class FusionRule { kWeighted, kProduct, kMax };
struct FusionConfig {
    FusionRule rule = FusionRule::kWeighted;
    float face_weight = 0.5f, speech_weight = 0.5f;  // >= 0, sum to 1
    // Model label -> fused label; labels not listed keep their name. The face model has no calm.
    std::map<std::string, std::string> label_map{{"calm", "neutral"}};
    // The fused label space in order; empty: every mapped label of either model, canonical order first.
    std::vector<std::string> labels;
    void validate() const;  // throws ConfigError naming the key
};
FusionConfig load_fusion_config(const std::string& path);
FusionConfig parse_fusion_config(const std::string& yaml_text, const std::string& source_name);
std::string to_yaml(const FusionConfig& config);
const char* rule_name(FusionRule rule);
// "weighted" | "product" | "max"; throws ConfigError naming `what` otherwise.
FusionRule parse_rule(const std::string& name, const std::string& what);

// The part that determines the features (for cache keys and model compatibility).
std::string input_fingerprint(const SpeechInputOptions& input);

// The text of a config file; throws ConfigError "<path>: cannot read config file".
std::string read_config_file(const std::string& path);
// "cpu", "cuda" or "cuda:N": the LibTorch device names emo accepts (whether the device exists is
// models::resolved's question).
bool is_device_name(const std::string& name);
// `yaml_text` with KEY=VALUE assignments applied, as emo-train --set gives them: a dotted KEY walks
// nested maps (train.learning_rate=0.001), VALUE is read as YAML (model.channels=[16,32]). Keys are
// not checked here; parsing the result does that. Throws ConfigError naming `source_name` and the
// assignment when it has no '=' or a key steps into a value that is not a map.
std::string with_overrides(const std::string& yaml_text, const std::vector<std::string>& assignments,
                           const std::string& source_name);

}  // namespace emo::config
