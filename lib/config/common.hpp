#pragma once
// Config pieces shared by the speech and face configs: value checks, the model and train sections,
// and turning text into a YAML root with errors that name the file.
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "emo/config.hpp"
#include "yaml_reader.hpp"

namespace emo::config {

// Throws ConfigError("key: expected X, got Y") unless `ok`.
void require(bool ok, const std::string& key, const std::string& expected, const std::string& got);
std::string str(float v);

template <typename Enum>
void read_enum(MapReader& r, const std::string& key, const std::vector<std::string>& names, Enum& out) {
    const int i = r.read_choice(key, names);
    if (i >= 0) out = static_cast<Enum>(i);
}

// `config` after its validate(), errors prefixed with the file name.
template <typename Config>
Config validated(const Config& config, const std::string& source_name) {
    try {
        config.validate();
    } catch (const ConfigError& e) {
        throw ConfigError(source_name + ": " + e.what());
    }
    return config;
}

// The keys every CNN has; the caller reads its own extra keys and finishes the map.
void read_cnn(MapReader& r, CnnOptions& m);
void read_train(MapReader r, TrainOptions& t);
// The keys every CNN has, inside the caller's `model` map.
void write_cnn(YAML::Emitter& out, const CnnOptions& m);
void write_train(YAML::Emitter& out, const TrainOptions& t);

// The YAML root of `text`; throws ConfigError "<source>: not valid YAML: ...".
YAML::Node parse_root(const std::string& text, const std::string& source_name);
// Checks the optional `modality` key of a config against the one expected.
void check_modality(MapReader& top, const std::string& expected);

}  // namespace emo::config
