#include <algorithm>
#include <cmath>

#include "emo/argmax.hpp"
#include "emo/data.hpp"
#include "emo/error.hpp"
#include "emo/fusion.hpp"

namespace emo::fusion {
namespace {

const std::string& mapped(const std::string& label, const std::map<std::string, std::string>& label_map) {
    const auto it = label_map.find(label);
    return it == label_map.end() ? label : it->second;
}

// The rule applied to one label: values and weights of the models that know it (weights > 0).
float combine(config::FusionRule rule, const std::vector<float>& values, const std::vector<float>& weights) {
    float weight_sum = 0.0f;
    for (float w : weights) weight_sum += w;
    if (weight_sum <= 0.0f) return 0.0f;
    switch (rule) {
        case config::FusionRule::kWeighted: {
            float sum = 0.0f;
            for (std::size_t i = 0; i < values.size(); ++i) sum += weights[i] * values[i];
            return sum / weight_sum;
        }
        case config::FusionRule::kProduct: {  // weighted geometric mean
            float log_sum = 0.0f;
            for (std::size_t i = 0; i < values.size(); ++i)
                log_sum += weights[i] * std::log(std::max(values[i], 1e-7f));
            return std::exp(log_sum / weight_sum);
        }
        case config::FusionRule::kMax: {
            float best = 0.0f;
            for (std::size_t i = 0; i < values.size(); ++i)
                if (weights[i] > 0.0f) best = std::max(best, values[i]);
            return best;
        }
    }
    return 0.0f;
}
}  // namespace

Aligned align(const Scores& scores, const std::vector<std::string>& labels,
              const std::map<std::string, std::string>& label_map) {
    Aligned out{std::vector<float>(labels.size(), 0.0f), std::vector<bool>(labels.size(), false)};
    float kept = 0.0f;
    for (std::size_t i = 0; i < scores.labels.size() && i < scores.values.size(); ++i) {
        const auto it = std::find(labels.begin(), labels.end(), mapped(scores.labels[i], label_map));
        if (it == labels.end()) continue;
        const auto k = std::size_t(it - labels.begin());
        out.values[k] += scores.values[i];
        out.present[k] = true;
        kept += scores.values[i];
    }
    if (kept > 0.0f)
        for (auto& v : out.values) v /= kept;
    return out;
}

std::vector<std::string> fused_labels(const config::FusionConfig& config,
                                      const std::vector<std::vector<std::string>>& model_labels) {
    if (!config.labels.empty()) return config.labels;
    std::vector<std::string> all;
    for (const auto& labels : model_labels)
        for (const auto& l : labels) all.push_back(mapped(l, config.label_map));
    return data::labels_of(all);
}

Fused fuse(const std::optional<Scores>& face, const std::optional<Scores>& speech, const config::FusionConfig& config,
           const std::vector<std::string>& labels) {
    if (!face && !speech) throw InputError("fusion", "neither a face nor a speech prediction to fuse");
    if (labels.empty()) throw ConfigError("fusion: no labels to fuse onto");
    Fused out;
    out.labels = labels;
    out.face_weight = face ? (speech ? config.face_weight : 1.0f) : 0.0f;
    out.speech_weight = 1.0f - out.face_weight;
    std::vector<Aligned> aligned;
    std::vector<float> weights;
    if (face) aligned.push_back(align(*face, labels, config.label_map)), weights.push_back(out.face_weight);
    if (speech) aligned.push_back(align(*speech, labels, config.label_map)), weights.push_back(out.speech_weight);

    out.values.assign(labels.size(), 0.0f);
    float total = 0.0f;
    for (std::size_t k = 0; k < labels.size(); ++k) {
        std::vector<float> values, label_weights;
        for (std::size_t m = 0; m < aligned.size(); ++m) {
            if (!aligned[m].present[k]) continue;
            values.push_back(aligned[m].values[k]);
            label_weights.push_back(weights[m]);
        }
        out.values[k] = combine(config.rule, values, label_weights);
        total += out.values[k];
    }
    if (total > 0.0f)
        for (auto& v : out.values) v /= total;
    out.best = int(core::argmax(out.values));
    return out;
}

}  // namespace emo::fusion
