#include <cmath>

#include "common.hpp"
#include "emo/config.hpp"
#include "field_visitors.hpp"

namespace emo::config {
void SamplingOptions::validate() const {
    FieldValidator v("sampling.");
    sampling_fields(v, *this);
}

void SpeechInputOptions::validate() const {
    FieldValidator input("input.");
    speech_input_fields(input, *this);
    FieldValidator feature("features.");
    feature_fields(feature, features);
}

int SpeechInputOptions::segment_frames() const {
    return std::max(1, int(std::lround(segment_seconds * float(features.sample_rate) / float(features.hop_length))));
}

void AugmentOptions::validate() const {
    FieldValidator v("augment.");
    speech_augment_fields(v, *this);
}

void SplitOptions::validate() const {
    FieldValidator v("split.");
    speech_split_fields(v, *this);
}

void SpeechConfig::validate() const {
    FieldValidator v("");
    speech_fields(v, *this);
}

SpeechConfig parse_speech_config(const std::string& yaml_text, const std::string& source_name) {
    const auto c = read_yaml<SpeechConfig>(yaml_text, source_name,
                                           [](auto& reader, auto& config) { speech_fields(reader, config); });
    return validated(c, source_name);
}

SpeechConfig load_speech_config(const std::string& path) { return parse_speech_config(read_config_file(path), path); }

std::string to_yaml(const SpeechConfig& c) {
    return write_yaml([&c](auto& writer) { speech_fields(writer, c); }, 7);
}

std::string input_fingerprint(const SpeechInputOptions& input) {
    // Only what shapes the cached per-clip features: trimming and the feature settings (the other
    // input keys at their defaults, so that fingerprints of earlier versions stay the same).
    SpeechInputOptions shaping;
    shaping.trim = input.trim;
    shaping.features = input.features;
    return write_yaml(
        [&shaping](auto& writer) {
            writer.constant("modality", "speech");
            writer.section("input", [&shaping](auto& s) { speech_input_fields(s, shaping); });
            writer.section("features", [&shaping](auto& s) { feature_fields(s, shaping.features); });
        },
        7);
}

}  // namespace emo::config
