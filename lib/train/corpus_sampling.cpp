#include "corpus_sampling.hpp"

#include <algorithm>
#include <cmath>

#include "emo/error.hpp"
#include "emo/train.hpp"

namespace emo::train {

data::Dataset read_corpora(const config::SpeechConfig& cfg) {
    if (cfg.data.empty()) throw ConfigError("data: no corpus to train on (none given, and no data: list in the config)");
    std::vector<data::CorpusPath> corpora;
    for (const auto& d : cfg.data) corpora.push_back({d.path, d.name});
    return data::read_speech_corpora(corpora);
}

std::vector<std::uint8_t> corpus_label_masks(const std::vector<data::Sample>& clips,
                                             const std::map<std::string, std::vector<std::string>>& corpus_labels,
                                             const std::vector<std::string>& labels) {
    const auto has = [](const std::vector<std::string>& set, const std::string& l) {
        return std::find(set.begin(), set.end(), l) != set.end();
    };
    // A clip of no named corpus (fine-tuning data, a manifest read alone) may be any label.
    bool complete = true;
    for (const auto& [corpus, own] : corpus_labels)
        for (const auto& l : labels) complete = complete && (corpus.empty() || has(own, l));
    if (complete) return {};
    std::vector<std::uint8_t> masks;
    masks.reserve(clips.size() * labels.size());
    for (const auto& clip : clips) {
        const auto it = clip.corpus.empty() ? corpus_labels.end() : corpus_labels.find(clip.corpus);
        for (const auto& l : labels) masks.push_back(it == corpus_labels.end() || has(it->second, l) ? 1 : 0);
    }
    return masks;
}

std::vector<double> draw_weights(const std::vector<data::Sample>& clips, const config::SpeechConfig& cfg) {
    std::map<std::string, double> corpus_weight;
    for (const auto& d : cfg.data) corpus_weight[d.name.empty() ? data::corpus_name(d.path) : d.name] = d.weight;
    const auto weight_of = [&](const std::string& corpus) {
        const auto it = corpus_weight.find(corpus);
        return it == corpus_weight.end() ? 1.0 : it->second;
    };
    std::map<std::string, double> corpus_size;
    std::map<std::pair<std::string, std::string>, double> class_size;
    bool weighted = false;
    for (const auto& c : clips) {
        corpus_size[c.corpus] += 1;
        class_size[{c.corpus, c.label}] += 1;
        weighted = weighted || weight_of(c.corpus) != 1.0;
    }
    const auto& s = cfg.sampling;
    if (!weighted && s.balance_corpora == 0.0f && s.balance_classes == 0.0f) return {};

    std::map<std::string, double> corpus_share, class_total;  // class_total: sum of class shares per corpus
    for (const auto& [corpus, n] : corpus_size)
        corpus_share[corpus] = weight_of(corpus) * std::pow(n, 1.0 - s.balance_corpora);
    for (const auto& [key, n] : class_size) class_total[key.first] += std::pow(n, 1.0 - s.balance_classes);
    std::vector<double> weights;
    weights.reserve(clips.size());
    for (const auto& c : clips) {
        const double n = class_size[{c.corpus, c.label}];
        const double class_share = std::pow(n, 1.0 - s.balance_classes) / class_total[c.corpus];
        weights.push_back(corpus_share[c.corpus] * class_share / n);
    }
    return weights;
}

std::vector<double> expected_label_counts(const std::vector<int>& clip_labels, const std::vector<double>& weights,
                                          int num_labels) {
    std::vector<double> counts(std::size_t(num_labels), 0.0);
    double total = 0;
    for (std::size_t i = 0; i < clip_labels.size(); ++i) {
        const double w = weights.empty() ? 1.0 : weights[i];
        counts[std::size_t(clip_labels[i])] += w;
        total += w;
    }
    if (total > 0)
        for (auto& c : counts) c *= double(clip_labels.size()) / total;
    return counts;
}

void next_epoch(std::vector<std::int64_t>& order, const std::vector<double>& weights, std::mt19937& rng) {
    if (weights.empty()) {
        std::shuffle(order.begin(), order.end(), rng);
        return;
    }
    std::discrete_distribution<std::int64_t> draw(weights.begin(), weights.end());
    for (auto& o : order) o = draw(rng);
}

}  // namespace emo::train
