#pragma once
// Config pieces shared by the speech, face and fusion configs: turning text into a YAML root with
// errors that name the file, and validation with the file's name in front.
#include <yaml-cpp/yaml.h>

#include <string>

#include "emo/config.hpp"
#include "emo/error.hpp"

namespace emo::config {

// The YAML root of `text`; throws ConfigError "<source>: not valid YAML: ...".
YAML::Node parse_root(const std::string& text, const std::string& source_name);

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

}  // namespace emo::config
