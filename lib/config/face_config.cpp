#include "common.hpp"

namespace emo::config {
namespace {
const std::vector<std::string> kDetectors{"auto", "yunet", "haar", "dnn"};
const std::vector<std::string> kLegacyDetectors{"haar", "dnn"};

void read_detector(MapReader r, vision::DetectorOptions& d) {
    read_enum(r, "kind", kDetectors, d.kind);
    r.read("model", d.model);
    r.read("config", d.config);
    r.read("haar_cascade", d.haar_cascade);
    r.read("score_threshold", d.score_threshold);
    r.read("nms_threshold", d.nms_threshold);
    r.read("min_face_fraction", d.min_face_fraction);
    r.read("max_side", d.max_side);
    r.read("scale_factor", d.scale_factor);
    r.read("min_neighbors", d.min_neighbors);
    r.finish();
}

// Detector keys that lived under `input:` before the `detector:` section. Model files of that time
// wrote every key, so a value equal to that time's default records no choice and is left to today's
// defaults (`detector: haar`, the only default then, reads as `auto`); a value that differs is kept.
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

void read_input(MapReader r, FaceConfig& c) {
    auto& in = c.input;
    r.read("size", in.size);
    read_legacy_detector(r, in.detector);
    r.read("align", in.align);
    r.read("margin", in.margin);
    r.read("whole_max_side", in.whole_max_side);
    r.read("flip_average", c.flip_average);
    r.finish();
}

void read_augment(MapReader r, FaceAugmentOptions& a) {
    r.read("flip", a.flip);
    r.read("rotation_degrees", a.rotation_degrees);
    r.read("scale", a.scale);
    r.read("shift", a.shift);
    r.read("brightness", a.brightness);
    r.read("contrast", a.contrast);
    r.read("gamma", a.gamma);
    r.read("sharpness", a.sharpness);
    r.read("erasing_probability", a.erasing_probability);
    r.read("mixup_alpha", a.mixup_alpha);
    r.finish();
}

void read_split(MapReader r, FaceSplitOptions& s) {
    r.read("train", s.train);
    r.read("validation", s.validation);
    r.read("validation_fraction", s.validation_fraction);
    r.finish();
}
}  // namespace

void FaceAugmentOptions::validate() const {
    require(rotation_degrees >= 0.0f && rotation_degrees <= 180.0f, "augment.rotation_degrees", "0..180",
            str(rotation_degrees));
    require(scale >= 0.0f && scale < 1.0f, "augment.scale", "0 <= x < 1", str(scale));
    require(shift >= 0.0f && shift <= 0.5f, "augment.shift", "0..0.5", str(shift));
    require(brightness >= 0.0f && brightness <= 1.0f, "augment.brightness", "0..1", str(brightness));
    require(contrast >= 0.0f && contrast < 1.0f, "augment.contrast", "0 <= x < 1", str(contrast));
    require(gamma >= 0.0f && gamma <= 2.0f, "augment.gamma", "0..2 (0 disables)", str(gamma));
    require(sharpness >= 0.0f && sharpness <= 4.0f, "augment.sharpness", "0..4 (0 disables)", str(sharpness));
    require(erasing_probability >= 0.0f && erasing_probability <= 1.0f, "augment.erasing_probability", "0..1",
            str(erasing_probability));
    require(mixup_alpha >= 0.0f, "augment.mixup_alpha", ">= 0 (0 disables)", str(mixup_alpha));
}

void FaceSplitOptions::validate() const {
    require(!train.empty(), "split.train", "a split name", "an empty string");
    require(!validation.empty(), "split.validation", "a split name", "an empty string");
    require(validation_fraction > 0.0f && validation_fraction < 1.0f, "split.validation_fraction", "0 < x < 1",
            str(validation_fraction));
}

void FaceConfig::validate() const {
    input.validate();
    model.validate();
    augment.validate();
    train.validate();
    split.validate();
}

FaceConfig parse_face_config(const std::string& yaml_text, const std::string& source_name) {
    const YAML::Node root = parse_root(yaml_text, source_name);
    FaceConfig c;
    MapReader top(root, source_name, "");
    check_modality(top, "face");
    read_input(top.child("input"), c);
    read_detector(top.child("detector"), c.input.detector);
    MapReader model = top.child("model");
    read_cnn(model, c.model);
    model.finish();
    read_augment(top.child("augment"), c.augment);
    read_train(top.child("train"), c.train);
    read_split(top.child("split"), c.split);
    top.finish();
    return validated(c, source_name);
}

FaceConfig load_face_config(const std::string& path) { return parse_face_config(read_config_file(path), path); }

std::string to_yaml(const FaceConfig& c) {
    YAML::Emitter out;
    out.SetFloatPrecision(7);
    const auto& in = c.input;
    out << YAML::BeginMap << YAML::Key << "modality" << YAML::Value << "face";
    out << YAML::Key << "input" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "size" << YAML::Value << in.size;
    out << YAML::Key << "align" << YAML::Value << in.align;
    out << YAML::Key << "margin" << YAML::Value << in.margin;
    out << YAML::Key << "whole_max_side" << YAML::Value << in.whole_max_side;
    out << YAML::Key << "flip_average" << YAML::Value << c.flip_average << YAML::EndMap;
    const auto& d = in.detector;
    out << YAML::Key << "detector" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "kind" << YAML::Value << kDetectors[std::size_t(d.kind)];
    out << YAML::Key << "model" << YAML::Value << d.model;
    out << YAML::Key << "config" << YAML::Value << d.config;
    out << YAML::Key << "haar_cascade" << YAML::Value << d.haar_cascade;
    out << YAML::Key << "score_threshold" << YAML::Value << d.score_threshold;
    out << YAML::Key << "nms_threshold" << YAML::Value << d.nms_threshold;
    out << YAML::Key << "min_face_fraction" << YAML::Value << d.min_face_fraction;
    out << YAML::Key << "max_side" << YAML::Value << d.max_side;
    out << YAML::Key << "scale_factor" << YAML::Value << d.scale_factor;
    out << YAML::Key << "min_neighbors" << YAML::Value << d.min_neighbors << YAML::EndMap;
    out << YAML::Key << "model" << YAML::Value << YAML::BeginMap;
    write_cnn(out, c.model);
    out << YAML::EndMap;
    const auto& a = c.augment;
    out << YAML::Key << "augment" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "flip" << YAML::Value << a.flip;
    out << YAML::Key << "rotation_degrees" << YAML::Value << a.rotation_degrees;
    out << YAML::Key << "scale" << YAML::Value << a.scale;
    out << YAML::Key << "shift" << YAML::Value << a.shift;
    out << YAML::Key << "brightness" << YAML::Value << a.brightness;
    out << YAML::Key << "contrast" << YAML::Value << a.contrast;
    out << YAML::Key << "gamma" << YAML::Value << a.gamma;
    out << YAML::Key << "sharpness" << YAML::Value << a.sharpness;
    out << YAML::Key << "erasing_probability" << YAML::Value << a.erasing_probability;
    out << YAML::Key << "mixup_alpha" << YAML::Value << a.mixup_alpha << YAML::EndMap;
    write_train(out, c.train);
    out << YAML::Key << "split" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "train" << YAML::Value << c.split.train;
    out << YAML::Key << "validation" << YAML::Value << c.split.validation;
    out << YAML::Key << "validation_fraction" << YAML::Value << c.split.validation_fraction << YAML::EndMap;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

}  // namespace emo::config
