#include <cmath>

#include "common.hpp"

namespace emo::config {
namespace {
const std::vector<std::string> kRules{"weighted", "product", "max"};

void read_weights(MapReader r, FusionConfig& c) {
    r.read("face", c.face_weight);
    r.read("speech", c.speech_weight);
    r.finish();
}

}  // namespace

const char* rule_name(FusionRule rule) { return kRules[std::size_t(rule)].c_str(); }

FusionRule parse_rule(const std::string& name, const std::string& what) {
    for (std::size_t i = 0; i < kRules.size(); ++i)
        if (kRules[i] == name) return FusionRule(i);
    throw ConfigError(what + ": expected weighted, product or max, got '" + name + "'");
}

void FusionConfig::validate() const {
    require(face_weight >= 0.0f && face_weight <= 1.0f, "weights.face", "0..1", str(face_weight));
    require(speech_weight >= 0.0f && speech_weight <= 1.0f, "weights.speech", "0..1", str(speech_weight));
    require(std::fabs(face_weight + speech_weight - 1.0f) < 1e-4f, "weights", "face + speech = 1",
            str(face_weight) + " + " + str(speech_weight));
    for (const auto& [from, to] : label_map) {
        require(!from.empty() && !to.empty(), "label_map", "non-empty labels", "'" + from + "': '" + to + "'");
    }
    for (std::size_t i = 0; i < labels.size(); ++i)
        for (std::size_t j = i + 1; j < labels.size(); ++j)
            require(labels[i] != labels[j], "labels", "distinct labels", "'" + labels[i] + "' twice");
}

FusionConfig parse_fusion_config(const std::string& yaml_text, const std::string& source_name) {
    const YAML::Node root = parse_root(yaml_text, source_name);
    FusionConfig c;
    MapReader top(root, source_name, "");
    read_enum(top, "rule", kRules, c.rule);
    read_weights(top.child("weights"), c);
    top.read("labels", c.labels);
    top.read("label_map", c.label_map);
    top.finish();
    return validated(c, source_name);
}

FusionConfig load_fusion_config(const std::string& path) { return parse_fusion_config(read_config_file(path), path); }

std::string to_yaml(const FusionConfig& c) {
    YAML::Emitter out;
    out.SetFloatPrecision(4);
    out << YAML::BeginMap << YAML::Key << "rule" << YAML::Value << rule_name(c.rule);
    out << YAML::Key << "weights" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "face" << YAML::Value << c.face_weight;
    out << YAML::Key << "speech" << YAML::Value << c.speech_weight << YAML::EndMap;
    out << YAML::Key << "label_map" << YAML::Value << YAML::Flow << YAML::BeginMap;
    for (const auto& [from, to] : c.label_map) out << YAML::Key << from << YAML::Value << to;
    out << YAML::EndMap;
    if (!c.labels.empty()) out << YAML::Key << "labels" << YAML::Value << YAML::Flow << c.labels;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

}  // namespace emo::config
