#include "common.hpp"

#include <algorithm>
#include <sstream>

#include "emo/core.hpp"
#include "field_visitors.hpp"

namespace emo::config {

void require(bool ok, const std::string& key, const std::string& expected, const std::string& got) {
    if (!ok) throw ConfigError(key + ": expected " + expected + ", got " + got);
}

std::string str(float v) {
    std::ostringstream ss;
    ss << v;
    return ss.str();
}

Bounds interval(double lo, bool lo_open, double hi, bool hi_open, const std::string& expected) {
    return Bounds{lo, hi, lo_open, hi_open, expected};
}

Bounds between(double lo, double hi, const std::string& note) {
    return interval(lo, false, hi, false, str(float(lo)) + ".." + str(float(hi)) + note);
}

Bounds at_least(double lo, const std::string& note) {
    return interval(lo, false, INFINITY, false, ">= " + str(float(lo)) + note);
}

bool is_device_name(const std::string& name) {
    if (name == "cpu" || name == "cuda") return true;
    if (name.rfind("cuda:", 0) != 0 || name.size() == 5 || name.size() > 8) return false;
    return std::all_of(name.begin() + 5, name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void CnnOptions::validate() const {
    FieldValidator v("model.");
    cnn_fields(v, *this);
}

void TrainOptions::validate() const {
    FieldValidator v("train.");
    train_fields(v, *this);
}

void FieldReader::constant(const char* key, const std::string& expected) {
    std::string value = expected;
    r_.read(key, value);
    if (value != expected) r_.fail(key, "'" + expected + "'", "'" + value + "'");
}

YAML::Node parse_root(const std::string& text, const std::string& source_name) {
    try {
        return YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw ConfigError(source_name + ": not valid YAML: " + e.what());
    }
}

std::string read_config_file(const std::string& path) {
    try {
        return core::read_file(path);
    } catch (const InputError&) {
        throw ConfigError(path + ": cannot read config file");
    }
}

}  // namespace emo::config
