// Calibration of class scores: expected calibration error and temperature scaling.
#include <algorithm>
#include <cmath>

#include "emo/argmax.hpp"
#include "emo/error.hpp"
#include "emo/eval.hpp"

namespace emo::eval {
namespace {

double mean_nll(const std::vector<std::vector<std::vector<float>>>& window_logits, const std::vector<int>& truth,
                double temperature) {
    const auto probs = averaged_softmax(window_logits, temperature);
    double sum = 0;
    for (std::size_t i = 0; i < probs.size(); ++i)
        sum -= std::log(std::max(1e-12, double(probs[i][std::size_t(truth[i])])));
    return sum / double(probs.size());
}

}  // namespace

double expected_calibration_error(const std::vector<float>& confidence, const std::vector<bool>& correct, int bins) {
    if (confidence.size() != correct.size()) throw RuntimeError("expected_calibration_error: sizes differ");
    if (bins < 1) throw RuntimeError("expected_calibration_error: bins must be >= 1");
    if (confidence.empty()) return 0;
    std::vector<double> conf_sum(std::size_t(bins), 0.0), right(std::size_t(bins), 0.0), count(std::size_t(bins), 0.0);
    for (std::size_t i = 0; i < confidence.size(); ++i) {
        const auto b = std::size_t(std::clamp(int(std::ceil(double(confidence[i]) * bins)) - 1, 0, bins - 1));
        conf_sum[b] += confidence[i];
        right[b] += correct[i] ? 1.0 : 0.0;
        count[b] += 1.0;
    }
    double ece = 0;
    for (std::size_t b = 0; b < std::size_t(bins); ++b)
        if (count[b] > 0) ece += std::abs(right[b] - conf_sum[b]) / double(confidence.size());
    return ece;
}

double expected_calibration_error(const std::vector<std::vector<float>>& probs, const std::vector<int>& truth,
                                  int bins) {
    if (probs.size() != truth.size()) throw RuntimeError("expected_calibration_error: sizes differ");
    std::vector<float> confidence;
    std::vector<bool> correct;
    for (std::size_t i = 0; i < probs.size(); ++i) {
        const auto best = core::argmax(probs[i]);
        confidence.push_back(probs[i][best]);
        correct.push_back(int(best) == truth[i]);
    }
    return expected_calibration_error(confidence, correct, bins);
}

std::vector<std::vector<float>> averaged_softmax(const std::vector<std::vector<std::vector<float>>>& window_logits,
                                                 double temperature) {
    std::vector<std::vector<float>> out;
    out.reserve(window_logits.size());
    for (const auto& windows : window_logits) {
        const std::size_t k = windows.empty() ? 0 : windows.front().size();
        std::vector<double> sum(k, 0.0);
        for (const auto& logits : windows) {
            const double top = *std::max_element(logits.begin(), logits.end());
            std::vector<double> e(k);
            double z = 0;
            for (std::size_t c = 0; c < k; ++c) z += e[c] = std::exp((double(logits[c]) - top) / temperature);
            for (std::size_t c = 0; c < k; ++c) sum[c] += e[c] / z;
        }
        std::vector<float> mean(k);
        for (std::size_t c = 0; c < k; ++c) mean[c] = float(sum[c] / double(windows.size()));
        out.push_back(std::move(mean));
    }
    return out;
}

double fit_temperature(const std::vector<std::vector<std::vector<float>>>& window_logits,
                       const std::vector<int>& truth) {
    if (window_logits.empty() || window_logits.size() != truth.size())
        throw RuntimeError("fit_temperature: needs as many labels as items, and at least one");
    const double phi = (std::sqrt(5.0) - 1.0) / 2.0;
    double lo = std::log(0.05), hi = std::log(20.0);
    double a = hi - phi * (hi - lo), b = lo + phi * (hi - lo);
    double fa = mean_nll(window_logits, truth, std::exp(a)), fb = mean_nll(window_logits, truth, std::exp(b));
    for (int i = 0; i < 40; ++i) {  // the interval shrinks by 0.618 each time: 1e-8 of its width at the end
        if (fa < fb) {
            hi = b, b = a, fb = fa;
            a = hi - phi * (hi - lo);
            fa = mean_nll(window_logits, truth, std::exp(a));
        } else {
            lo = a, a = b, fa = fb;
            b = lo + phi * (hi - lo);
            fb = mean_nll(window_logits, truth, std::exp(b));
        }
    }
    return std::exp((lo + hi) / 2);
}

}  // namespace emo::eval
