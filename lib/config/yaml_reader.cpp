#include "yaml_reader.hpp"

namespace emo::config {
namespace {
std::string describe(const YAML::Node& n) {
    if (n.IsScalar()) return "'" + n.Scalar() + "'";
    if (n.IsSequence()) return "a list";
    if (n.IsMap()) return "a map";
    return "nothing";
}

template <typename T>
T convert_scalar(const YAML::Node& n, bool& ok) {
    ok = n.IsScalar();
    T value{};
    if (ok) ok = YAML::convert<T>::decode(n, value);
    return value;
}
}  // namespace

MapReader::MapReader(const YAML::Node& node, std::string file, std::string path)
    : node_(node), file_(std::move(file)), path_(std::move(path)) {
    if (node_ && !node_.IsNull() && !node_.IsMap()) {
        throw ConfigError(file_ + ": " + (path_.empty() ? "top level" : path_) + ": expected a map, got " +
                          describe(node_));
    }
}

std::string MapReader::where(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

void MapReader::fail(const std::string& key, const std::string& expected, const std::string& got) const {
    throw ConfigError(file_ + ": " + where(key) + ": expected " + expected + ", got " + got);
}

YAML::Node MapReader::get(const std::string& key) {
    seen_.insert(key);
    const YAML::Node& map = node_;  // const access: a missing key is not inserted
    if (!map.IsDefined() || !map.IsMap() || !map[key]) return YAML::Node(YAML::NodeType::Undefined);
    return map[key];
}

template <typename T>
void MapReader::read_scalar(const std::string& key, T& out, const char* expected) {
    const YAML::Node n = get(key);
    if (!n) return;
    bool ok = false;
    const T v = convert_scalar<T>(n, ok);
    if (!ok) fail(key, expected, describe(n));
    out = v;
}

void MapReader::read(const std::string& key, int& out) { read_scalar(key, out, "an integer"); }
void MapReader::read(const std::string& key, float& out) { read_scalar(key, out, "a number"); }
void MapReader::read(const std::string& key, bool& out) { read_scalar(key, out, "true or false"); }

void MapReader::read(const std::string& key, std::string& out) {
    const YAML::Node n = get(key);
    if (!n) return;
    if (!n.IsScalar()) fail(key, "a string", describe(n));
    out = n.Scalar();
}

void MapReader::read(const std::string& key, std::vector<int>& out) {
    const YAML::Node n = get(key);
    if (!n) return;
    if (!n.IsSequence()) fail(key, "a list of integers", describe(n));
    std::vector<int> values;
    for (const auto& item : n) {
        bool ok = false;
        values.push_back(convert_scalar<int>(item, ok));
        if (!ok) fail(key, "a list of integers", "an item " + describe(item));
    }
    out = values;
}

void MapReader::read(const std::string& key, std::vector<std::string>& out) {
    const YAML::Node n = get(key);
    if (!n) return;
    if (!n.IsSequence()) fail(key, "a list of strings", describe(n));
    std::vector<std::string> values;
    for (const auto& item : n) {
        if (!item.IsScalar()) fail(key, "a list of strings", "an item " + describe(item));
        values.push_back(item.Scalar());
    }
    out = values;
}

void MapReader::read(const std::string& key, std::map<std::string, std::string>& out) {
    const YAML::Node n = get(key);
    if (!n) return;
    if (!n.IsMap()) fail(key, "a map of label: label", describe(n));
    std::map<std::string, std::string> values;
    for (const auto& kv : n) {
        if (!kv.first.IsScalar() || !kv.second.IsScalar() || kv.second.Scalar().empty()) {
            fail(key, "a map of label: label", "an entry " + describe(kv.second));
        }
        values[kv.first.Scalar()] = kv.second.Scalar();
    }
    out = values;
}

int MapReader::read_choice(const std::string& key, const std::vector<std::string>& choices) {
    std::string value;
    read(key, value);
    const YAML::Node& map = node_;
    if (!map.IsDefined() || !map.IsMap() || !map[key]) return -1;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        if (choices[i] == value) return int(i);
    }
    std::string list;
    for (const auto& c : choices) list += (list.empty() ? "" : " | ") + c;
    fail(key, "one of " + list, "'" + value + "'");
}

MapReader MapReader::child(const std::string& key) { return MapReader(get(key), file_, where(key)); }

std::vector<MapReader> MapReader::list(const std::string& key) {
    const YAML::Node n = get(key);
    std::vector<MapReader> out;
    if (!n || n.IsNull()) return out;
    if (!n.IsSequence()) fail(key, "a list", describe(n));
    for (std::size_t i = 0; i < n.size(); ++i)
        out.emplace_back(n[i], file_, where(key) + "[" + std::to_string(i) + "]");
    return out;
}

void MapReader::finish() const {
    if (!node_ || !node_.IsMap()) return;
    for (const auto& kv : node_) {
        const std::string key = kv.first.as<std::string>();
        if (!seen_.count(key)) {
            std::string known;
            for (const auto& k : seen_) known += (known.empty() ? "" : ", ") + k;
            throw ConfigError(file_ + ": " + where(key) + ": unknown key (expected one of: " + known + ")");
        }
    }
}

}  // namespace emo::config
