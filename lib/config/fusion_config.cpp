#include "common.hpp"
#include "field_visitors.hpp"

namespace emo::config {

const char* rule_name(FusionRule rule) { return kFusionRules[std::size_t(rule)].c_str(); }

FusionRule parse_rule(const std::string& name, const std::string& what) {
    for (std::size_t i = 0; i < kFusionRules.size(); ++i)
        if (kFusionRules[i] == name) return FusionRule(i);
    throw ConfigError(what + ": expected weighted, product or max, got '" + name + "'");
}

void FusionConfig::validate() const {
    FieldValidator v("");
    fusion_fields(v, *this);
}

FusionConfig parse_fusion_config(const std::string& yaml_text, const std::string& source_name) {
    const auto c = read_yaml<FusionConfig>(yaml_text, source_name,
                                           [](auto& reader, auto& config) { fusion_fields(reader, config); });
    return validated(c, source_name);
}

FusionConfig load_fusion_config(const std::string& path) { return parse_fusion_config(read_config_file(path), path); }

std::string to_yaml(const FusionConfig& c) {
    return write_yaml([&c](auto& writer) { fusion_fields(writer, c); }, 4);
}

}  // namespace emo::config
