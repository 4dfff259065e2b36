#include "common.hpp"
#include "field_visitors.hpp"

namespace emo::config {
namespace {
const std::vector<std::string> kLegacyDetectors{"haar", "dnn"};
}  // namespace

// Model files of that time wrote every key, so a value equal to that time's default records no
// choice and is left to today's defaults (`detector: haar`, the only default then, reads as `auto`);
// a value that differs is kept.
void read_legacy_detector(MapReader& r, vision::DetectorOptions& d) {
    if (r.read_choice("detector", kLegacyDetectors) == 1) d.kind = vision::DetectorKind::kDnn;
    r.read("haar_cascade", d.haar_cascade);
    r.read("dnn_model", d.model);
    r.read("dnn_config", d.config);
    const auto read_unless = [&r](const std::string& key, auto old_default, auto& out) {
        auto value = old_default;
        r.read(key, value);
        if (value != old_default) out = value;
    };
    read_unless("dnn_threshold", 0.6f, d.score_threshold);
    read_unless("scale_factor", 1.1f, d.scale_factor);
    read_unless("min_neighbors", 5, d.min_neighbors);
    read_unless("min_face_fraction", 0.05f, d.min_face_fraction);
    read_unless("max_detect_side", 1280, d.max_side);
}

void FaceAugmentOptions::validate() const {
    FieldValidator v("augment.");
    face_augment_fields(v, *this);
}

void DistillOptions::validate() const {
    FieldValidator v("distill.");
    distill_fields(v, *this);
}

void FaceSplitOptions::validate() const {
    FieldValidator v("split.");
    face_split_fields(v, *this);
}

void FaceConfig::validate() const {
    FieldValidator v("");
    face_fields(v, *this);
}

FaceConfig parse_face_config(const std::string& yaml_text, const std::string& source_name) {
    const auto c =
        read_yaml<FaceConfig>(yaml_text, source_name, [](auto& reader, auto& config) { face_fields(reader, config); });
    return validated(c, source_name);
}

FaceConfig load_face_config(const std::string& path) { return parse_face_config(read_config_file(path), path); }

std::string to_yaml(const FaceConfig& c) {
    return write_yaml([&c](auto& writer) { face_fields(writer, c); }, 7);
}

}  // namespace emo::config
