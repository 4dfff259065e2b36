// Paired evaluation of face, speech and their fusion, and the search for the fusion weights.
#include <algorithm>
#include <cmath>

#include "emo/argmax.hpp"
#include "emo/error.hpp"
#include "emo/fusion.hpp"

namespace emo::fusion {
namespace {

std::vector<int> truth_indices(const PairedScores& pairs, const std::vector<std::string>& labels) {
    if (pairs.truth.empty()) throw InputError("pairs", "no paired predictions");
    if (pairs.face.size() != pairs.truth.size() || pairs.speech.size() != pairs.truth.size()) {
        throw InputError("pairs", "face, speech and truth counts differ");
    }
    std::vector<int> out;
    for (const auto& t : pairs.truth) {
        const auto it = std::find(labels.begin(), labels.end(), t);
        if (it == labels.end()) throw InputError("pairs", "true label '" + t + "' is not a fused label");
        out.push_back(int(it - labels.begin()));
    }
    return out;
}

std::vector<int> fused_predictions(const PairedScores& pairs, const config::FusionConfig& config,
                                   const std::vector<std::string>& labels) {
    std::vector<int> out;
    for (std::size_t i = 0; i < pairs.truth.size(); ++i)
        out.push_back(fuse(pairs.face[i], pairs.speech[i], config, labels).best);
    return out;
}

std::vector<int> single_predictions(const std::vector<Scores>& scores, const config::FusionConfig& config,
                                    const std::vector<std::string>& labels) {
    std::vector<int> out;
    for (const auto& s : scores) out.push_back(int(core::argmax(align(s, labels, config.label_map).values)));
    return out;
}

double objective_of(const eval::Metrics& m, Objective objective) {
    return objective == Objective::kAccuracy ? m.accuracy : m.macro.f1;
}
}  // namespace

PairedMetrics evaluate_pairs(const PairedScores& pairs, const config::FusionConfig& config,
                             const std::vector<std::string>& labels) {
    const auto truth = truth_indices(pairs, labels);
    return {eval::compute_metrics(labels, truth, single_predictions(pairs.face, config, labels)),
            eval::compute_metrics(labels, truth, single_predictions(pairs.speech, config, labels)),
            eval::compute_metrics(labels, truth, fused_predictions(pairs, config, labels))};
}

std::vector<std::pair<float, eval::Metrics>> weight_grid(const PairedScores& pairs, const config::FusionConfig& config,
                                                         const std::vector<std::string>& labels, float step) {
    if (!(step > 0.0f && step <= 0.5f)) throw ConfigError("weight step: expected 0 < step <= 0.5");
    const auto truth = truth_indices(pairs, labels);
    std::vector<std::pair<float, eval::Metrics>> grid;
    const int points = int(std::lround(1.0f / step));
    for (int i = 0; i <= points; ++i) {
        config::FusionConfig c = config;
        c.face_weight = std::min(1.0f, float(i) * step);
        c.speech_weight = 1.0f - c.face_weight;
        grid.emplace_back(c.face_weight, eval::compute_metrics(labels, truth, fused_predictions(pairs, c, labels)));
    }
    return grid;
}

WeightFit fit_weights(const PairedScores& pairs, const config::FusionConfig& config,
                      const std::vector<std::string>& labels, Objective objective, float step) {
    WeightFit fit;
    for (const auto& [w, m] : weight_grid(pairs, config, labels, step))
        fit.curve.emplace_back(w, objective_of(m, objective));
    double best = -1.0;
    for (const auto& [w, value] : fit.curve) best = std::max(best, value);
    // The longest run of grid points at the best value; its middle is the fitted weight.
    std::size_t run_start = 0, best_start = 0, best_length = 0;
    for (std::size_t i = 0; i < fit.curve.size(); ++i) {
        if (fit.curve[i].second < best) {
            run_start = i + 1;
            continue;
        }
        if (i + 1 - run_start > best_length) best_start = run_start, best_length = i + 1 - run_start;
    }
    fit.face_weight = fit.curve[best_start + (best_length - 1) / 2].first;
    fit.objective = best;
    return fit;
}

}  // namespace emo::fusion
