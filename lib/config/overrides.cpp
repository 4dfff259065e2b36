#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <sstream>

#include "common.hpp"
#include "emo/config.hpp"
#include "emo/error.hpp"

namespace emo::config {
namespace {
std::vector<std::string> split_dots(const std::string& key) {
    std::vector<std::string> parts;
    std::stringstream in(key);
    for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
    return parts;
}
}  // namespace

std::string with_overrides(const std::string& yaml_text, const std::vector<std::string>& assignments,
                           const std::string& source_name) {
    if (assignments.empty()) return yaml_text;
    YAML::Node root = parse_root(yaml_text, source_name);
    if (!root.IsDefined() || root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
    if (!root.IsMap()) throw ConfigError(source_name + ": expected a map of settings (key: value) at the top level");
    for (const auto& a : assignments) {
        const auto eq = a.find('=');
        const auto keys = split_dots(a.substr(0, eq == std::string::npos ? 0 : eq));
        const bool empty_key = std::find(keys.begin(), keys.end(), "") != keys.end();
        if (eq == std::string::npos || keys.empty() || empty_key) {
            throw ConfigError("override " + a +
                              ": expected KEY=VALUE with a dotted key, e.g. train.learning_rate=0.001");
        }
        // Nodes are handles: walking with operator[] on copies edits `root` itself.
        YAML::Node node = root;
        for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
            if (node[keys[i]].IsDefined() && !node[keys[i]].IsMap()) {
                throw ConfigError(source_name + ": override " + a + ": '" + keys[i] + "' is not a section");
            }
            node.reset(node[keys[i]]);
        }
        node[keys.back()] = parse_root(a.substr(eq + 1), "override " + a);
    }
    YAML::Emitter out;
    out << root;
    return out.c_str();
}

}  // namespace emo::config
