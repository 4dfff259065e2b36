#pragma once
// The three things done with a field list (fields.hpp): read it from YAML, write it as YAML, check it.
#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "fields.hpp"
#include "common.hpp"
#include "yaml_reader.hpp"

namespace emo::config {

// Throws ConfigError("key: expected X, got Y") unless `ok`.
void require(bool ok, const std::string& key, const std::string& expected, const std::string& got);

// What a visitor that does not validate leaves alone: cross-key checks, lower layers' validate() and
// keys only read from old files (FieldReader reads those).
struct SkipsChecks {
    void check(bool, const char*, const std::string&, const std::string&) {}
    template <typename Fn>
    void rule(Fn) {}
    template <typename Fn>
    void legacy(Fn) {}
};

class FieldReader : public SkipsChecks {
public:
    explicit FieldReader(MapReader& reader) : r_(reader) {}

    template <typename T>
    void field(const char* key, T& value, const Bounds& = {}) {
        r_.read(key, value);
    }
    template <typename T>
    void optional_field(const char* key, T& value) {
        r_.read(key, value);
    }
    template <typename Enum>
    void choice(const char* key, Enum& value, const std::vector<std::string>& names) {
        const int i = r_.read_choice(key, names);
        if (i >= 0) value = static_cast<Enum>(i);
    }
    void constant(const char* key, const std::string& expected);
    template <typename Fn>
    void section(const char* key, Fn fn, bool /*flow*/ = false) {
        MapReader child = r_.child(key);
        FieldReader sub(child);
        fn(sub);
        child.finish();
    }
    // A list in the file replaces the default one; an absent or empty one keeps it.
    template <typename T, typename Fn>
    void list(const char* key, std::vector<T>& items, Fn fn) {
        auto entries = r_.list(key);
        if (entries.empty()) return;
        items.clear();
        for (auto& entry : entries) {
            T item;
            FieldReader sub(entry);
            fn(sub, item);
            entry.finish();
            items.push_back(item);
        }
    }
    template <typename Fn>
    void legacy(Fn fn) {
        fn(r_);
    }

private:
    MapReader& r_;
};

class FieldWriter : public SkipsChecks {
public:
    explicit FieldWriter(YAML::Emitter& out) : out_(out) {}

    template <typename T>
    void field(const char* key, const T& value, const Bounds& = {}) {
        out_ << YAML::Key << key << YAML::Value;
        if constexpr (std::is_same_v<T, std::vector<int>> || std::is_same_v<T, std::vector<std::string>> ||
                      std::is_same_v<T, std::map<std::string, std::string>>) {
            out_ << YAML::Flow;
        }
        out_ << value;
    }
    template <typename T>
    void optional_field(const char* key, const T& value) {
        if (!value.empty()) field(key, value);
    }
    template <typename Enum>
    void choice(const char* key, Enum value, const std::vector<std::string>& names) {
        out_ << YAML::Key << key << YAML::Value << names.at(std::size_t(value));
    }
    void constant(const char* key, const std::string& value) { out_ << YAML::Key << key << YAML::Value << value; }
    template <typename Fn>
    void section(const char* key, Fn fn, bool flow = false) {
        out_ << YAML::Key << key << YAML::Value;
        if (flow) out_ << YAML::Flow;
        out_ << YAML::BeginMap;
        fn(*this);
        out_ << YAML::EndMap;
    }
    template <typename T, typename Fn>
    void list(const char* key, const std::vector<T>& items, Fn fn) {
        out_ << YAML::Key << key << YAML::Value << YAML::BeginSeq;
        for (const auto& item : items) {
            out_ << YAML::Flow << YAML::BeginMap;
            fn(*this, item);
            out_ << YAML::EndMap;
        }
        out_ << YAML::EndSeq;
    }

private:
    YAML::Emitter& out_;
};

// Checks every bound and cross-key check; errors name the key with its section ("train.epochs").
class FieldValidator {
public:
    explicit FieldValidator(std::string prefix) : prefix_(std::move(prefix)) {}

    template <typename T>
    void field(const char* key, const T& value, const Bounds& bounds = {}) {
        if constexpr (std::is_arithmetic_v<T>) {
            if (!bounds.expected.empty()) {
                require(bounds.contains(double(value)), prefix_ + key, bounds.expected,
                        std::is_integral_v<T> ? std::to_string(value) : str(float(value)));
            }
        }
    }
    template <typename T>
    void optional_field(const char*, const T&) {}
    template <typename Enum>
    void choice(const char*, Enum, const std::vector<std::string>&) {}
    void constant(const char*, const std::string&) {}
    template <typename Fn>
    void section(const char* key, Fn fn, bool /*flow*/ = false) {
        FieldValidator sub(prefix_ + key + ".");
        fn(sub);
    }
    template <typename T, typename Fn>
    void list(const char* key, const std::vector<T>& items, Fn fn) {
        for (std::size_t i = 0; i < items.size(); ++i) {
            FieldValidator sub(prefix_ + key + "[" + std::to_string(i) + "].");
            fn(sub, items[i]);
        }
    }
    void check(bool ok, const char* key, const std::string& expected, const std::string& got) {
        require(ok, prefix_ + key, expected, got);
    }
    template <typename Fn>
    void rule(Fn fn) {
        fn();
    }
    template <typename Fn>
    void legacy(Fn) {}

private:
    std::string prefix_;
};

// Emits the map that `fields(writer)` describes, as text ending in a newline.
template <typename Fn>
std::string write_yaml(Fn fields, int float_precision) {
    YAML::Emitter out;
    out.SetFloatPrecision(float_precision);  // floats as written in configs (0.002, not 0.00200000009)
    FieldWriter writer(out);
    out << YAML::BeginMap;
    fields(writer);
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

// The config `fields` reads from `yaml_text`, before validation; errors name `source_name`.
template <typename Config, typename Fn>
Config read_yaml(const std::string& yaml_text, const std::string& source_name, Fn fields) {
    const YAML::Node root = parse_root(yaml_text, source_name);
    Config c;
    MapReader top(root, source_name, "");
    FieldReader reader(top);
    fields(reader, c);
    top.finish();
    return c;
}

}  // namespace emo::config
