#include <cmath>
#include <sstream>

#include "emo/config.hpp"
#include "emo/core.hpp"
#include "common.hpp"

namespace emo::config {
namespace {
const std::vector<std::string> kKinds{"logmel", "mfcc"};
const std::vector<std::string> kWindows{"hann", "hamming", "rectangular"};
const std::vector<std::string> kMelScales{"slaney", "htk"};
const std::vector<std::string> kMelNorms{"none", "slaney"};

void read_features(MapReader r, audio::FeatureOptions& f) {
    read_enum(r, "kind", kKinds, f.kind);
    r.read("sample_rate", f.sample_rate);
    r.read("n_fft", f.n_fft);
    r.read("win_length", f.win_length);
    r.read("hop_length", f.hop_length);
    read_enum(r, "window", kWindows, f.window);
    r.read("center", f.center);
    r.read("n_mels", f.n_mels);
    r.read("fmin", f.fmin);
    r.read("fmax", f.fmax);
    read_enum(r, "mel_scale", kMelScales, f.mel_scale);
    read_enum(r, "mel_norm", kMelNorms, f.mel_norm);
    r.read("power", f.power);
    r.read("to_db", f.to_db);
    r.read("amin", f.amin);
    r.read("top_db", f.top_db);
    r.read("n_mfcc", f.n_mfcc);
    r.read("deltas", f.deltas);
    r.read("delta_width", f.delta_width);
    r.finish();
}

void read_input(MapReader r, SpeechInputOptions& in) {
    r.read("trim_top_db", in.trim.top_db);
    r.read("trim_frame_length", in.trim.frame_length);
    r.read("trim_hop_length", in.trim.hop_length);
    r.read("speech_db", in.voice_activity.speech_db);
    r.read("min_speech_seconds", in.voice_activity.min_speech_seconds);
    r.read("segment_seconds", in.segment_seconds);
    r.read("utterance_norm", in.utterance_norm);
    r.read("speaker_norm", in.speaker_norm);
    r.finish();
}

void read_augment(MapReader r, AugmentOptions& a) {
    r.read("time_masks", a.time_masks);
    r.read("time_mask_frames", a.time_mask_frames);
    r.read("freq_masks", a.freq_masks);
    r.read("freq_mask_bins", a.freq_mask_bins);
    r.read("gain_db", a.gain_db);
    r.read("noise_probability", a.noise_probability);
    r.read("noise_snr_min_db", a.noise_snr_min_db);
    r.read("noise_snr_max_db", a.noise_snr_max_db);
    r.read("random_crop", a.random_crop);
    r.read("reverb_probability", a.reverb_probability);
    r.read("reverb_rt60_max", a.reverb_rt60_max);
    r.read("band_limit_probability", a.band_limit_probability);
    r.read("mixup_alpha", a.mixup_alpha);
    r.read("freq_warp", a.freq_warp);
    r.read("time_stretch", a.time_stretch);
    r.finish();
}

void read_data(MapReader& top, std::vector<CorpusSource>& data) {
    auto entries = top.list("data");
    if (entries.empty()) return;
    data.clear();
    for (auto& e : entries) {
        CorpusSource c;
        e.read("path", c.path);
        e.read("weight", c.weight);
        e.read("name", c.name);
        e.finish();
        if (c.path.empty()) e.fail("path", "the corpus's folder or manifest CSV", "nothing");
        if (!(c.weight > 0.0f && c.weight <= 1000.0f)) e.fail("weight", "0 < weight <= 1000", str(c.weight));
        data.push_back(c);
    }
}

void read_sampling(MapReader r, SamplingOptions& s) {
    r.read("balance_corpora", s.balance_corpora);
    r.read("balance_classes", s.balance_classes);
    r.read("missing_label_weight", s.missing_label_weight);
    r.finish();
}

}  // namespace

void SamplingOptions::validate() const {
    require(balance_corpora >= 0.0f && balance_corpora <= 1.0f, "sampling.balance_corpora", "0..1",
            str(balance_corpora));
    require(balance_classes >= 0.0f && balance_classes <= 1.0f, "sampling.balance_classes", "0..1",
            str(balance_classes));
    require(missing_label_weight >= 0.0f && missing_label_weight <= 1.0f, "sampling.missing_label_weight", "0..1",
            str(missing_label_weight));
}

void SpeechInputOptions::validate() const {
    trim.validate();
    features.validate();
    require(segment_seconds >= 0.1f && segment_seconds <= 60.0f, "input.segment_seconds", "0.1..60",
            str(segment_seconds));
    require(!(utterance_norm && speaker_norm), "input.speaker_norm",
            "false when input.utterance_norm is true (one "
            "mean is subtracted: the clip's or its speaker's)",
            "true");
    require(voice_activity.speech_db < 0.0f, "input.speech_db", "a negative dBFS level", str(voice_activity.speech_db));
    require(voice_activity.min_speech_seconds >= 0.0f && voice_activity.min_speech_seconds <= 60.0f,
            "input.min_speech_seconds", "0..60", str(voice_activity.min_speech_seconds));
}

int SpeechInputOptions::segment_frames() const {
    return std::max(1, int(std::lround(segment_seconds * float(features.sample_rate) / float(features.hop_length))));
}

void AugmentOptions::validate() const {
    require(time_masks >= 0 && time_mask_frames >= 0, "augment.time_masks/time_mask_frames", ">= 0",
            std::to_string(time_masks) + "/" + std::to_string(time_mask_frames));
    require(freq_masks >= 0 && freq_mask_bins >= 0, "augment.freq_masks/freq_mask_bins", ">= 0",
            std::to_string(freq_masks) + "/" + std::to_string(freq_mask_bins));
    require(gain_db >= 0.0f, "augment.gain_db", ">= 0", str(gain_db));
    require(noise_probability >= 0.0f && noise_probability <= 1.0f, "augment.noise_probability", "0..1",
            str(noise_probability));
    require(mixup_alpha >= 0.0f, "augment.mixup_alpha", ">= 0 (0 disables)", str(mixup_alpha));
    require(freq_warp >= 0.0f && freq_warp < 0.5f, "augment.freq_warp", "0 <= value < 0.5 (0 disables)",
            str(freq_warp));
    require(time_stretch >= 0.0f && time_stretch < 0.5f, "augment.time_stretch", "0 <= value < 0.5 (0 disables)",
            str(time_stretch));
    require(noise_snr_min_db <= noise_snr_max_db, "augment.noise_snr_min_db", "<= noise_snr_max_db",
            str(noise_snr_min_db));
    require(reverb_probability >= 0.0f && reverb_probability <= 1.0f, "augment.reverb_probability", "0..1",
            str(reverb_probability));
    require(reverb_rt60_max >= 0.2f && reverb_rt60_max <= 3.0f, "augment.reverb_rt60_max", "0.2..3 seconds",
            str(reverb_rt60_max));
    require(band_limit_probability >= 0.0f && band_limit_probability <= 1.0f, "augment.band_limit_probability", "0..1",
            str(band_limit_probability));
}

void SplitOptions::validate() const {
    require(!validation_speakers.empty(), "split.validation_speakers",
            "at least one held-out speaker (speaker-independent validation)", "an empty list");
}

void SpeechConfig::validate() const {
    sampling.validate();
    input.validate();
    model.validate();
    require(model.corpus_adversary >= 0.0f && model.corpus_adversary <= 10.0f, "model.corpus_adversary",
            "0..10 (0 disables)", str(model.corpus_adversary));
    require(model.adversary_hidden >= 1 && model.adversary_hidden <= 4096, "model.adversary_hidden", "1..4096",
            std::to_string(model.adversary_hidden));
    augment.validate();
    train.validate();
    split.validate();
}

SpeechConfig parse_speech_config(const std::string& yaml_text, const std::string& source_name) {
    const YAML::Node root = parse_root(yaml_text, source_name);
    SpeechConfig c;
    MapReader top(root, source_name, "");
    check_modality(top, "speech");
    read_input(top.child("input"), c.input);
    read_features(top.child("features"), c.input.features);
    MapReader model = top.child("model");
    read_cnn(model, c.model);
    model.read("keep_frequency", c.model.keep_frequency);
    model.read("attention_pooling", c.model.attention_pooling);
    model.read("corpus_adversary", c.model.corpus_adversary);
    model.read("adversary_hidden", c.model.adversary_hidden);
    model.finish();
    read_augment(top.child("augment"), c.augment);
    read_train(top.child("train"), c.train);
    MapReader split = top.child("split");
    split.read("validation_speakers", c.split.validation_speakers);
    split.finish();
    MapReader calibration = top.child("calibration");
    calibration.read("fit_temperature", c.calibration.fit_temperature);
    calibration.finish();
    top.read("cache_dir", c.cache_dir);
    read_data(top, c.data);
    read_sampling(top.child("sampling"), c.sampling);
    top.finish();
    return validated(c, source_name);
}

SpeechConfig load_speech_config(const std::string& path) { return parse_speech_config(read_config_file(path), path); }

std::string to_yaml(const SpeechConfig& c) {
    YAML::Emitter out;
    out.SetFloatPrecision(7);  // float values as written in configs (0.002, not 0.00200000009)
    const auto& f = c.input.features;
    out << YAML::BeginMap << YAML::Key << "modality" << YAML::Value << "speech";
    out << YAML::Key << "input" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "trim_top_db" << YAML::Value << c.input.trim.top_db;
    out << YAML::Key << "trim_frame_length" << YAML::Value << c.input.trim.frame_length;
    out << YAML::Key << "trim_hop_length" << YAML::Value << c.input.trim.hop_length;
    out << YAML::Key << "segment_seconds" << YAML::Value << c.input.segment_seconds;
    out << YAML::Key << "utterance_norm" << YAML::Value << c.input.utterance_norm;
    out << YAML::Key << "speaker_norm" << YAML::Value << c.input.speaker_norm;
    out << YAML::Key << "speech_db" << YAML::Value << c.input.voice_activity.speech_db;
    out << YAML::Key << "min_speech_seconds" << YAML::Value << c.input.voice_activity.min_speech_seconds
        << YAML::EndMap;
    out << YAML::Key << "features" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "kind" << YAML::Value << kKinds[std::size_t(f.kind)];
    out << YAML::Key << "sample_rate" << YAML::Value << f.sample_rate;
    out << YAML::Key << "n_fft" << YAML::Value << f.n_fft;
    out << YAML::Key << "win_length" << YAML::Value << f.win_length;
    out << YAML::Key << "hop_length" << YAML::Value << f.hop_length;
    out << YAML::Key << "window" << YAML::Value << kWindows[std::size_t(f.window)];
    out << YAML::Key << "center" << YAML::Value << f.center;
    out << YAML::Key << "n_mels" << YAML::Value << f.n_mels;
    out << YAML::Key << "fmin" << YAML::Value << f.fmin;
    out << YAML::Key << "fmax" << YAML::Value << f.fmax;
    out << YAML::Key << "mel_scale" << YAML::Value << kMelScales[std::size_t(f.mel_scale)];
    out << YAML::Key << "mel_norm" << YAML::Value << kMelNorms[std::size_t(f.mel_norm)];
    out << YAML::Key << "power" << YAML::Value << f.power;
    out << YAML::Key << "to_db" << YAML::Value << f.to_db;
    out << YAML::Key << "amin" << YAML::Value << f.amin;
    out << YAML::Key << "top_db" << YAML::Value << f.top_db;
    out << YAML::Key << "n_mfcc" << YAML::Value << f.n_mfcc;
    out << YAML::Key << "deltas" << YAML::Value << f.deltas;
    out << YAML::Key << "delta_width" << YAML::Value << f.delta_width << YAML::EndMap;
    out << YAML::Key << "model" << YAML::Value << YAML::BeginMap;
    write_cnn(out, c.model);
    out << YAML::Key << "keep_frequency" << YAML::Value << c.model.keep_frequency;
    out << YAML::Key << "attention_pooling" << YAML::Value << c.model.attention_pooling;
    out << YAML::Key << "corpus_adversary" << YAML::Value << c.model.corpus_adversary;
    out << YAML::Key << "adversary_hidden" << YAML::Value << c.model.adversary_hidden << YAML::EndMap;
    const auto& a = c.augment;
    out << YAML::Key << "augment" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "time_masks" << YAML::Value << a.time_masks;
    out << YAML::Key << "time_mask_frames" << YAML::Value << a.time_mask_frames;
    out << YAML::Key << "freq_masks" << YAML::Value << a.freq_masks;
    out << YAML::Key << "freq_mask_bins" << YAML::Value << a.freq_mask_bins;
    out << YAML::Key << "gain_db" << YAML::Value << a.gain_db;
    out << YAML::Key << "noise_probability" << YAML::Value << a.noise_probability;
    out << YAML::Key << "noise_snr_min_db" << YAML::Value << a.noise_snr_min_db;
    out << YAML::Key << "noise_snr_max_db" << YAML::Value << a.noise_snr_max_db;
    out << YAML::Key << "random_crop" << YAML::Value << a.random_crop;
    out << YAML::Key << "mixup_alpha" << YAML::Value << a.mixup_alpha;
    out << YAML::Key << "freq_warp" << YAML::Value << a.freq_warp;
    out << YAML::Key << "time_stretch" << YAML::Value << a.time_stretch;
    out << YAML::Key << "reverb_probability" << YAML::Value << a.reverb_probability;
    out << YAML::Key << "reverb_rt60_max" << YAML::Value << a.reverb_rt60_max;
    out << YAML::Key << "band_limit_probability" << YAML::Value << a.band_limit_probability << YAML::EndMap;
    write_train(out, c.train);
    out << YAML::Key << "split" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "validation_speakers" << YAML::Value << YAML::Flow << c.split.validation_speakers;
    out << YAML::EndMap;
    out << YAML::Key << "calibration" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "fit_temperature" << YAML::Value << c.calibration.fit_temperature << YAML::EndMap;
    out << YAML::Key << "cache_dir" << YAML::Value << c.cache_dir;
    // After everything that shapes features: input_fingerprint cuts the text at "model:".
    out << YAML::Key << "data" << YAML::Value << YAML::BeginSeq;
    for (const auto& d : c.data) {
        out << YAML::Flow << YAML::BeginMap << YAML::Key << "path" << YAML::Value << d.path;
        out << YAML::Key << "weight" << YAML::Value << d.weight;
        if (!d.name.empty()) out << YAML::Key << "name" << YAML::Value << d.name;
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
    out << YAML::Key << "sampling" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "balance_corpora" << YAML::Value << c.sampling.balance_corpora;
    out << YAML::Key << "balance_classes" << YAML::Value << c.sampling.balance_classes;
    out << YAML::Key << "missing_label_weight" << YAML::Value << c.sampling.missing_label_weight << YAML::EndMap;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

std::string input_fingerprint(const SpeechInputOptions& input) {
    // Only what shapes the cached per-clip features: trimming and the feature settings.
    SpeechConfig c;
    c.input.trim = input.trim;
    c.input.features = input.features;
    const std::string yaml = to_yaml(c);
    return yaml.substr(0, yaml.find("model:"));
}

}  // namespace emo::config
