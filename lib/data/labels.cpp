#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "emo/core.hpp"
#include "emo/data.hpp"

namespace emo::data {

const std::vector<std::string>& canonical_labels() {
    static const std::vector<std::string> labels{"neutral", "calm",    "happy",   "sad",
                                                 "angry",   "fearful", "disgust", "surprised"};
    return labels;
}

std::optional<std::string> canonical_label(std::string_view name) {
    static const std::map<std::string, std::string> spellings{
        {"fear", "fearful"},       {"afraid", "fearful"},  {"surprise", "surprised"}, {"anger", "angry"},
        {"sadness", "sad"},        {"happiness", "happy"}, {"joy", "happy"},          {"disgusted", "disgust"},
        {"neutrality", "neutral"}, {"calmness", "calm"},
    };
    const std::string key = core::to_lower(core::trim(name));
    const auto& canon = canonical_labels();
    if (std::find(canon.begin(), canon.end(), key) != canon.end()) return key;
    const auto it = spellings.find(key);
    if (it != spellings.end()) return it->second;
    return std::nullopt;
}

std::optional<std::string> label_word(std::string_view text) {
    if (auto canonical = canonical_label(text)) return canonical;
    const std::string word = core::to_lower(core::trim(text));
    if (word.empty() || !std::isalpha(static_cast<unsigned char>(word[0]))) return std::nullopt;
    for (char c : word)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return std::nullopt;
    return word;
}

std::vector<std::string> labels_of(const std::vector<std::string>& labels) {
    std::vector<std::string> out;
    for (const auto& label : canonical_labels())
        if (std::find(labels.begin(), labels.end(), label) != labels.end()) out.push_back(label);
    std::set<std::string> others;
    for (const auto& label : labels)
        if (std::find(out.begin(), out.end(), label) == out.end()) others.insert(label);
    out.insert(out.end(), others.begin(), others.end());
    return out;
}

std::vector<std::string> labels_of(const std::vector<Sample>& samples) {
    std::vector<std::string> labels;
    for (const auto& s : samples) labels.push_back(s.label);
    return labels_of(labels);
}

}  // namespace emo::data
