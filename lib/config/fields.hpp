#pragma once
// One field list per config section: each *_fields function below names every key of its section
// once, with its bounds and the checks that span keys, and a visitor does the rest. FieldReader
// reads YAML, FieldWriter writes it, FieldValidator checks values (field_visitors.hpp); the
// round-trip test walks the same lists. A key cannot be read without being written, or written
// without being checked. The order of the lists is the order of the written YAML.
//
// A visitor `v` offers:
//   v.field(key, value[, bounds])       a plain value: int, float, bool, string, list of ints or strings,
//                                       map of words
//   v.optional_field(key, value)        a string or list written only when non-empty
//   v.choice(key, enum_value, names)    an enum written as one of `names` (in the enum's order)
//   v.constant(key, text)               a key with one allowed value (`modality: speech`)
//   v.section(key, fn[, flow])          a nested map; fn(child_visitor)
//   v.list(key, items, fn)              a list of maps; fn(child_visitor, item)
//   v.check(ok, key, expected, got)     a check that spans keys (the validator throws when !ok)
//   v.rule(fn)                          validation done by a lower layer's validate() (validator only)
//   v.legacy(fn)                        keys still read from old files, never written: fn(MapReader&)
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "emo/config.hpp"

namespace emo::config {

// What a number may be, and how the error says so ("0..1", ">= 0 (0 disables)").
struct Bounds {
    double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
    bool lo_open = false, hi_open = false;
    std::string expected;  // empty: any value
    bool contains(double x) const { return (lo_open ? x > lo : x >= lo) && (hi_open ? x < hi : x <= hi); }
};
// lo <= x <= hi, said "lo..hi" plus `note`.
Bounds between(double lo, double hi, const std::string& note = "");
// x >= lo, said ">= lo" plus `note`.
Bounds at_least(double lo, const std::string& note = "");
// Any other interval, said as `expected`.
Bounds interval(double lo, bool lo_open, double hi, bool hi_open, const std::string& expected);
std::string str(float v);

inline const std::vector<std::string> kFeatureKinds{"logmel", "mfcc"};
inline const std::vector<std::string> kWindows{"hann", "hamming", "rectangular"};
inline const std::vector<std::string> kMelScales{"slaney", "htk"};
inline const std::vector<std::string> kMelNorms{"none", "slaney"};
inline const std::vector<std::string> kSchedules{"none", "cosine", "onecycle"};
inline const std::vector<std::string> kPrecisions{"auto", "fp32", "bf16"};  // Precision's order
inline const std::vector<std::string> kDetectors{"auto", "yunet", "haar", "dnn"};
inline const std::vector<std::string> kFusionRules{"weighted", "product", "max"};

class MapReader;
// Detector keys that lived under a face config's `input:` before the `detector:` section.
void read_legacy_detector(MapReader& r, vision::DetectorOptions& d);

template <typename V, typename Cnn>
void cnn_fields(V& v, Cnn& m) {
    v.field("channels", m.channels);
    v.check(!m.channels.empty() && m.channels.size() <= 6, "channels", "1..6 conv blocks",
            std::to_string(m.channels.size()));
    for (int c : m.channels) v.check(c >= 1 && c <= 1024, "channels", "entries 1..1024", std::to_string(c));
    v.field("convs_per_block", m.convs_per_block, between(1, 4));
    v.field("dropout", m.dropout, interval(0, false, 1, true, "0 <= dropout < 1"));
}

template <typename V, typename Train>
void train_fields(V& v, Train& t) {
    v.field("epochs", t.epochs, interval(1, false, INFINITY, false, "an integer >= 1"));
    v.field("batch_size", t.batch_size, interval(1, false, INFINITY, false, "an integer >= 1"));
    v.field("learning_rate", t.learning_rate, interval(0, true, 10, true, "0 < lr < 10"));
    v.field("weight_decay", t.weight_decay, at_least(0));
    v.choice("schedule", t.schedule, kSchedules);
    v.field("label_smoothing", t.label_smoothing, interval(0, false, 1, true, "0 <= x < 1"));
    v.field("class_weighting", t.class_weighting);
    v.field("class_weight_power", t.class_weight_power, between(0, 2));
    v.field("patience", t.patience, at_least(0, " (0 disables early stopping)"));
    v.field("average_last", t.average_last);
    v.check(t.average_last >= 0 && t.average_last <= t.epochs, "average_last",
            "0..train.epochs (" + std::to_string(t.epochs) + ")", std::to_string(t.average_last));
    v.check(t.average_last == 0 || t.patience == 0, "average_last",
            "0 with early stopping (train.patience " + std::to_string(t.patience) +
                "): the epochs to average must be known in advance",
            std::to_string(t.average_last));
    v.field("seed", t.seed);
    v.field("threads", t.threads, at_least(0, " (0: all cores)"));
    v.field("device", t.device);
    v.check(is_device_name(t.device), "device", "cpu, cuda or cuda:N", t.device);
    v.choice("precision", t.precision, kPrecisions);
}

template <typename V, typename Input>
void speech_input_fields(V& v, Input& in) {
    v.field("trim_top_db", in.trim.top_db);
    v.field("trim_frame_length", in.trim.frame_length);
    v.field("trim_hop_length", in.trim.hop_length);
    v.rule([&in] { in.trim.validate(); });
    v.field("segment_seconds", in.segment_seconds, between(0.1, 60));
    v.field("utterance_norm", in.utterance_norm);
    v.field("speaker_norm", in.speaker_norm);
    v.check(!(in.utterance_norm && in.speaker_norm), "speaker_norm",
            "false when input.utterance_norm is true (one mean is subtracted: the clip's or its speaker's)", "true");
    v.field("speech_db", in.voice_activity.speech_db, interval(-INFINITY, false, 0, true, "a negative dBFS level"));
    v.field("min_speech_seconds", in.voice_activity.min_speech_seconds, between(0, 60));
}

template <typename V, typename Features>
void feature_fields(V& v, Features& f) {
    v.choice("kind", f.kind, kFeatureKinds);
    v.field("sample_rate", f.sample_rate);
    v.field("n_fft", f.n_fft);
    v.field("win_length", f.win_length);
    v.field("hop_length", f.hop_length);
    v.choice("window", f.window, kWindows);
    v.field("center", f.center);
    v.field("n_mels", f.n_mels);
    v.field("fmin", f.fmin);
    v.field("fmax", f.fmax);
    v.choice("mel_scale", f.mel_scale, kMelScales);
    v.choice("mel_norm", f.mel_norm, kMelNorms);
    v.field("power", f.power);
    v.field("to_db", f.to_db);
    v.field("amin", f.amin);
    v.field("top_db", f.top_db);
    v.field("n_mfcc", f.n_mfcc);
    v.field("deltas", f.deltas);
    v.field("delta_width", f.delta_width);
    v.rule([&f] { f.validate(); });  // audio::FeatureOptions checks itself ("features.n_fft: ...")
}

template <typename V, typename Model>
void speech_model_fields(V& v, Model& m) {
    cnn_fields(v, m);
    v.field("keep_frequency", m.keep_frequency);
    v.field("attention_pooling", m.attention_pooling);
    v.field("corpus_adversary", m.corpus_adversary, between(0, 10, " (0 disables)"));
    v.field("adversary_hidden", m.adversary_hidden, between(1, 4096));
}

template <typename V, typename Augment>
void speech_augment_fields(V& v, Augment& a) {
    v.field("time_masks", a.time_masks, at_least(0));
    v.field("time_mask_frames", a.time_mask_frames, at_least(0));
    v.field("freq_masks", a.freq_masks, at_least(0));
    v.field("freq_mask_bins", a.freq_mask_bins, at_least(0));
    v.field("gain_db", a.gain_db, at_least(0));
    v.field("noise_probability", a.noise_probability, between(0, 1));
    v.field("noise_snr_min_db", a.noise_snr_min_db);
    v.field("noise_snr_max_db", a.noise_snr_max_db);
    v.check(a.noise_snr_min_db <= a.noise_snr_max_db, "noise_snr_min_db", "<= noise_snr_max_db",
            str(a.noise_snr_min_db));
    v.field("random_crop", a.random_crop);
    v.field("mixup_alpha", a.mixup_alpha, at_least(0, " (0 disables)"));
    v.field("freq_warp", a.freq_warp, interval(0, false, 0.5, true, "0 <= value < 0.5 (0 disables)"));
    v.field("time_stretch", a.time_stretch, interval(0, false, 0.5, true, "0 <= value < 0.5 (0 disables)"));
    v.field("reverb_probability", a.reverb_probability, between(0, 1));
    v.field("reverb_rt60_max", a.reverb_rt60_max, interval(0.2, false, 3, false, "0.2..3 seconds"));
    v.field("band_limit_probability", a.band_limit_probability, between(0, 1));
    v.field("own_mean_probability", a.own_mean_probability, between(0, 1));
}

template <typename V, typename Split>
void speech_split_fields(V& v, Split& s) {
    v.field("validation_speakers", s.validation_speakers);
    v.check(!s.validation_speakers.empty(), "validation_speakers",
            "at least one held-out speaker (speaker-independent validation)", "an empty list");
}

template <typename V, typename Source>
void corpus_source_fields(V& v, Source& c) {
    v.field("path", c.path);
    v.check(!c.path.empty(), "path", "the corpus's folder or manifest CSV", "nothing");
    v.field("weight", c.weight, interval(0, true, 1000, false, "0 < weight <= 1000"));
    v.optional_field("name", c.name);
}

template <typename V, typename Sampling>
void sampling_fields(V& v, Sampling& s) {
    v.field("balance_corpora", s.balance_corpora, between(0, 1));
    v.field("balance_classes", s.balance_classes, between(0, 1));
    v.field("missing_label_weight", s.missing_label_weight, between(0, 1));
}

template <typename V, typename Config>
void speech_fields(V& v, Config& c) {
    v.constant("modality", "speech");
    v.section("input", [&c](auto& s) { speech_input_fields(s, c.input); });
    v.section("features", [&c](auto& s) { feature_fields(s, c.input.features); });
    v.section("model", [&c](auto& s) { speech_model_fields(s, c.model); });
    v.section("augment", [&c](auto& s) { speech_augment_fields(s, c.augment); });
    v.section("train", [&c](auto& s) { train_fields(s, c.train); });
    v.section("split", [&c](auto& s) { speech_split_fields(s, c.split); });
    v.section("calibration", [&c](auto& s) { s.field("fit_temperature", c.calibration.fit_temperature); });
    v.field("cache_dir", c.cache_dir);
    v.list("data", c.data, [](auto& s, auto& source) { corpus_source_fields(s, source); });
    v.section("sampling", [&c](auto& s) { sampling_fields(s, c.sampling); });
}

template <typename V, typename Config>
void face_input_fields(V& v, Config& c) {
    v.field("size", c.input.size);
    v.legacy([&c](auto& reader) { read_legacy_detector(reader, c.input.detector); });
    v.field("align", c.input.align);
    v.field("margin", c.input.margin);
    v.field("whole_max_side", c.input.whole_max_side);
    v.field("flip_average", c.flip_average);
    v.rule([&c] { c.input.validate(); });  // vision::FaceInputOptions checks itself and its detector
}

template <typename V, typename Detector>
void detector_fields(V& v, Detector& d) {
    v.choice("kind", d.kind, kDetectors);
    v.field("model", d.model);
    v.field("config", d.config);
    v.field("haar_cascade", d.haar_cascade);
    v.field("score_threshold", d.score_threshold);
    v.field("nms_threshold", d.nms_threshold);
    v.field("min_face_fraction", d.min_face_fraction);
    v.field("max_side", d.max_side);
    v.field("scale_factor", d.scale_factor);
    v.field("min_neighbors", d.min_neighbors);
}

template <typename V, typename Augment>
void face_augment_fields(V& v, Augment& a) {
    v.field("flip", a.flip);
    v.field("rotation_degrees", a.rotation_degrees, between(0, 180));
    v.field("scale", a.scale, interval(0, false, 1, true, "0 <= x < 1"));
    v.field("shift", a.shift, between(0, 0.5));
    v.field("brightness", a.brightness, between(0, 1));
    v.field("contrast", a.contrast, interval(0, false, 1, true, "0 <= x < 1"));
    v.field("gamma", a.gamma, between(0, 2, " (0 disables)"));
    v.field("sharpness", a.sharpness, between(0, 4, " (0 disables)"));
    v.field("erasing_probability", a.erasing_probability, between(0, 1));
    v.field("mixup_alpha", a.mixup_alpha, at_least(0, " (0 disables)"));
}

template <typename V, typename Distill>
void distill_fields(V& v, Distill& d) {
    v.field("teacher", d.teacher);
    v.field("weight", d.weight, between(0, 1));
    v.field("temperature", d.temperature, interval(0, true, 100, false, "0 < x <= 100"));
}

template <typename V, typename Split>
void face_split_fields(V& v, Split& s) {
    v.field("train", s.train);
    v.check(!s.train.empty(), "train", "a split name", "an empty string");
    v.field("validation", s.validation);
    v.check(!s.validation.empty(), "validation", "a split name", "an empty string");
    v.field("validation_fraction", s.validation_fraction, interval(0, true, 1, true, "0 < x < 1"));
}

template <typename V, typename Config>
void face_fields(V& v, Config& c) {
    v.constant("modality", "face");
    v.section("input", [&c](auto& s) { face_input_fields(s, c); });
    v.section("detector", [&c](auto& s) { detector_fields(s, c.input.detector); });
    v.section("model", [&c](auto& s) { cnn_fields(s, c.model); });
    v.section("augment", [&c](auto& s) { face_augment_fields(s, c.augment); });
    v.section("train", [&c](auto& s) { train_fields(s, c.train); });
    v.section("distill", [&c](auto& s) { distill_fields(s, c.distill); });
    v.section("split", [&c](auto& s) { face_split_fields(s, c.split); });
}

template <typename V, typename Config>
void fusion_fields(V& v, Config& c) {
    v.choice("rule", c.rule, kFusionRules);
    v.section(
        "weights",
        [&c](auto& s) {
            s.field("face", c.face_weight, between(0, 1));
            s.field("speech", c.speech_weight, between(0, 1));
        },
        true);
    v.check(std::fabs(c.face_weight + c.speech_weight - 1.0f) < 1e-4f, "weights", "face + speech = 1",
            str(c.face_weight) + " + " + str(c.speech_weight));
    v.field("label_map", c.label_map);
    for (const auto& [from, to] : c.label_map)
        v.check(!from.empty() && !to.empty(), "label_map", "non-empty labels", "'" + from + "': '" + to + "'");
    v.optional_field("labels", c.labels);
    for (std::size_t i = 0; i < c.labels.size(); ++i)
        for (std::size_t j = i + 1; j < c.labels.size(); ++j)
            v.check(c.labels[i] != c.labels[j], "labels", "distinct labels", "'" + c.labels[i] + "' twice");
}

}  // namespace emo::config
