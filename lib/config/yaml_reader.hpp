#pragma once
// A YAML map reader that knows where it is ("file: train.epochs") and refuses unknown keys.
#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "emo/error.hpp"

namespace emo::config {

class MapReader {
public:
    MapReader(const YAML::Node& node, std::string file, std::string path);

    // Reads `key` into `out` if present; throws ConfigError naming file and key on a wrong type.
    void read(const std::string& key, int& out);
    void read(const std::string& key, float& out);
    void read(const std::string& key, bool& out);
    void read(const std::string& key, std::string& out);
    void read(const std::string& key, std::vector<int>& out);
    void read(const std::string& key, std::vector<std::string>& out);
    // A map of plain words to plain words; replaces `out` when present.
    void read(const std::string& key, std::map<std::string, std::string>& out);
    // Reads a string key that must be one of `choices`; returns its index, or -1 when absent.
    int read_choice(const std::string& key, const std::vector<std::string>& choices);
    // A nested map (an empty one when absent).
    MapReader child(const std::string& key);
    // A list of maps ("key[0]", "key[1]", ...); empty when absent. Throws ConfigError when it is no list.
    std::vector<MapReader> list(const std::string& key);
    // Throws on any key that was never read.
    void finish() const;

    [[noreturn]] void fail(const std::string& key, const std::string& expected, const std::string& got) const;

private:
    template <typename T>
    void read_scalar(const std::string& key, T& out, const char* expected);
    YAML::Node get(const std::string& key);
    std::string where(const std::string& key) const;
    YAML::Node node_;
    std::string file_, path_;
    std::set<std::string> seen_;
};

}  // namespace emo::config
