// Every key of every config section survives writing and reading back, one key at a time, compared
// field by field: a key that the writer or the reader forgot fails here with its name.
#include <catch2/catch.hpp>

#include <sstream>
#include <utility>

#include "../lib/config/field_visitors.hpp"
#include "emo/config.hpp"

namespace {
using emo::config::Bounds;

std::string text(int v) { return std::to_string(v); }
std::string text(bool v) { return v ? "true" : "false"; }
std::string text(const std::string& v) { return "'" + v + "'"; }
std::string text(float v) {
    std::ostringstream ss;
    ss.precision(9);
    ss << v;
    return ss.str();
}
template <typename T>
std::string text(const std::vector<T>& items) {
    std::string s = "[";
    for (const auto& item : items) s += text(item) + ",";
    return s + "]";
}
std::string text(const std::map<std::string, std::string>& map) {
    std::string s = "{";
    for (const auto& [k, v] : map) s += k + ":" + v + ",";
    return s + "}";
}

// Every field's value as text, keyed by its path ("train.epochs", "data[0].weight").
class FieldDump : public emo::config::SkipsChecks {
public:
    explicit FieldDump(std::string prefix = "") : prefix_(std::move(prefix)) {}
    std::vector<std::pair<std::string, std::string>> values;

    template <typename T>
    void field(const char* key, const T& value, const Bounds& = {}) {
        values.emplace_back(prefix_ + key, text(value));
    }
    template <typename T>
    void optional_field(const char* key, const T& value) {
        field(key, value);
    }
    template <typename Enum>
    void choice(const char* key, Enum value, const std::vector<std::string>& names) {
        values.emplace_back(prefix_ + key, names.at(std::size_t(value)));
    }
    void constant(const char*, const std::string&) {}
    template <typename Fn>
    void section(const char* key, Fn fn, bool = false) {
        nested(prefix_ + key + ".", [&](FieldDump& sub) { fn(sub); });
    }
    template <typename T, typename Fn>
    void list(const char* key, const std::vector<T>& items, Fn fn) {
        for (std::size_t i = 0; i < items.size(); ++i)
            nested(prefix_ + key + "[" + std::to_string(i) + "].", [&](FieldDump& sub) { fn(sub, items[i]); });
    }

private:
    template <typename Fn>
    void nested(const std::string& prefix, Fn fn) {
        FieldDump sub(prefix);
        fn(sub);
        values.insert(values.end(), sub.values.begin(), sub.values.end());
    }
    std::string prefix_;
};

int changed(int v) { return v == 7 ? 5 : 7; }
float changed(float v) { return v == 0.75f ? 0.25f : 0.75f; }
bool changed(bool v) { return !v; }
std::string changed(const std::string& v) { return v == "x" ? "y" : "x"; }
std::vector<int> changed(const std::vector<int>& v) {
    return v == std::vector<int>{3, 5} ? std::vector<int>{4} : std::vector<int>{3, 5};
}
std::vector<std::string> changed(const std::vector<std::string>& v) {
    return v == std::vector<std::string>{"a", "b"} ? std::vector<std::string>{"c"} : std::vector<std::string>{"a", "b"};
}
std::map<std::string, std::string> changed(const std::map<std::string, std::string>& v) {
    return v.count("p") ? std::map<std::string, std::string>{{"r", "s"}}
                        : std::map<std::string, std::string>{{"p", "q"}};
}

// Changes the target-th field of the list (counting from 0) to another value of its type.
class ChangeOne : public emo::config::SkipsChecks {
public:
    ChangeOne(int target, int* seen, std::string prefix = "")
        : target_(target), seen_(seen), prefix_(std::move(prefix)) {}
    std::string* path = nullptr;  // set to the changed field's path

    template <typename T>
    void field(const char* key, T& value, const Bounds& = {}) {
        if ((*seen_)++ == target_) {
            value = changed(value);
            *path = prefix_ + key;
        }
    }
    template <typename T>
    void optional_field(const char* key, T& value) {
        field(key, value);
    }
    template <typename Enum>
    void choice(const char* key, Enum& value, const std::vector<std::string>& names) {
        if ((*seen_)++ == target_) {
            value = Enum((std::size_t(value) + 1) % names.size());
            *path = prefix_ + key;
        }
    }
    void constant(const char*, const std::string&) {}
    template <typename Fn>
    void section(const char* key, Fn fn, bool = false) {
        ChangeOne sub(target_, seen_, prefix_ + key + ".");
        sub.path = path;
        fn(sub);
    }
    template <typename T, typename Fn>
    void list(const char* key, std::vector<T>& items, Fn fn) {
        for (std::size_t i = 0; i < items.size(); ++i) {
            ChangeOne sub(target_, seen_, prefix_ + key + "[" + std::to_string(i) + "].");
            sub.path = path;
            fn(sub, items[i]);
        }
    }

private:
    int target_;
    int* seen_;
    std::string prefix_;
};

template <typename Config, typename Fields>
std::vector<std::pair<std::string, std::string>> dump(Config& config, Fields fields) {
    FieldDump d;
    fields(d, config);
    return d.values;
}

// Changes each field in turn, writes the config, reads it back and compares every field; returns
// how many fields the list has.
template <typename Config, typename Fields>
int round_trip_each_field(const Config& base, Fields fields, int float_precision) {
    const auto before = dump(base, fields);
    int k = 0;
    for (;; ++k) {
        Config config = base;
        int seen = 0;
        std::string path;
        ChangeOne change(k, &seen);
        change.path = &path;
        fields(change, config);
        if (seen <= k) break;
        INFO("changed field: " << path);
        const auto expected = dump(config, fields);
        const std::string yaml = emo::config::write_yaml([&](auto& w) { fields(w, config); }, float_precision);
        INFO("written:\n" << yaml);
        auto back = emo::config::read_yaml<Config>(yaml, "roundtrip", fields);
        const auto got = dump(back, fields);
        REQUIRE(got.size() == expected.size());
        int differences = 0;
        for (std::size_t i = 0; i < got.size(); ++i) {
            INFO(expected[i].first);
            CHECK(got[i] == expected[i]);
            if (i < before.size() && expected[i] != before[i]) ++differences;
        }
        CHECK(differences == 1);  // the change hit one field, the one named
    }
    return k;
}
}  // namespace

TEST_CASE("every speech config key is written and read back, one at a time", "[config]") {
    emo::config::SpeechConfig base;
    base.data = {{"corpus", 1.0f, ""}};  // so that the data list's keys are visited too
    const int fields = round_trip_each_field(
        base, [](auto& v, auto& c) { emo::config::speech_fields(v, c); }, 7);
    CHECK(fields > 60);
}

TEST_CASE("every face config key is written and read back, one at a time", "[config]") {
    const int fields = round_trip_each_field(
        emo::config::FaceConfig{}, [](auto& v, auto& c) { emo::config::face_fields(v, c); }, 7);
    CHECK(fields > 40);
}

TEST_CASE("every fusion config key is written and read back, one at a time", "[config]") {
    const int fields = round_trip_each_field(
        emo::config::FusionConfig{}, [](auto& v, auto& c) { emo::config::fusion_fields(v, c); }, 4);
    CHECK(fields == 5);
}

TEST_CASE("a key the writer forgets fails the field-by-field round trip", "[config]") {
    // The same walk over a list whose writer drops `weight`: the reader keeps the default and the
    // comparison names the field.
    struct Pair {
        std::string path = "p";
        float weight = 1.0f;
    };
    const auto fields = [](auto& v, auto& p) {
        v.field("path", p.path);
        if constexpr (!std::is_same_v<std::decay_t<decltype(v)>, emo::config::FieldWriter>) v.field("weight", p.weight);
    };
    Pair changed_pair;
    changed_pair.weight = 0.75f;
    const std::string yaml = emo::config::write_yaml([&](auto& w) { fields(w, changed_pair); }, 7);
    const auto back = emo::config::read_yaml<Pair>(yaml, "roundtrip", fields);
    CHECK(dump(back, fields) != dump(changed_pair, fields));
}
