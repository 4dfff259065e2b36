#include <algorithm>
#include <map>

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
        {"fear", "fearful"},      {"afraid", "fearful"},  {"surprise", "surprised"},
        {"anger", "angry"},       {"sadness", "sad"},     {"happiness", "happy"},
        {"joy", "happy"},         {"disgusted", "disgust"}, {"neutrality", "neutral"},
        {"calmness", "calm"},
    };
    const std::string key = core::to_lower(core::trim(name));
    const auto& canon = canonical_labels();
    if (std::find(canon.begin(), canon.end(), key) != canon.end()) return key;
    const auto it = spellings.find(key);
    if (it != spellings.end()) return it->second;
    return std::nullopt;
}

std::vector<std::string> Dataset::labels() const {
    std::vector<std::string> out;
    for (const auto& label : canonical_labels()) {
        const bool present = std::any_of(samples.begin(), samples.end(),
                                         [&](const Sample& s) { return s.label == label; });
        if (present) out.push_back(label);
    }
    return out;
}

}  // namespace emo::data
