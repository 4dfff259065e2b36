#include <cmath>

#include "emo/error.hpp"
#include "emo/eval.hpp"

namespace emo::eval {
namespace {
double ratio(double num, double den) { return den > 0 ? num / den : 0.0; }
double harmonic(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0.0; }
}  // namespace

Metrics compute_metrics(const std::vector<std::string>& labels, const std::vector<int>& truth,
                        const std::vector<int>& predicted) {
    if (truth.size() != predicted.size()) {
        throw RuntimeError("metrics: " + std::to_string(truth.size()) + " true labels but " +
                           std::to_string(predicted.size()) + " predictions");
    }
    const int k = int(labels.size());
    Metrics m;
    m.labels = labels;
    m.n = int(truth.size());
    m.confusion.assign(std::size_t(k), std::vector<int>(std::size_t(k), 0));
    for (std::size_t i = 0; i < truth.size(); ++i) {
        if (truth[i] < 0 || truth[i] >= k || predicted[i] < 0 || predicted[i] >= k) {
            throw RuntimeError("metrics: label index out of range at item " + std::to_string(i));
        }
        ++m.confusion[std::size_t(truth[i])][std::size_t(predicted[i])];
    }
    int correct = 0, classes_with_support = 0;
    for (int c = 0; c < k; ++c) {
        int tp = m.confusion[std::size_t(c)][std::size_t(c)], support = 0, predicted_as = 0;
        for (int o = 0; o < k; ++o) {
            support += m.confusion[std::size_t(c)][std::size_t(o)];
            predicted_as += m.confusion[std::size_t(o)][std::size_t(c)];
        }
        // How often this label was predicted at all: a collapse onto one label shows here.
        const double share = ratio(predicted_as, m.n);
        if (share > 0) m.prediction_entropy -= share * std::log2(share);
        if (share > m.most_predicted_share) {
            m.most_predicted_share = share;
            m.most_predicted = c;
        }
        ClassMetrics cm;
        cm.support = support;
        cm.precision = ratio(tp, predicted_as);
        cm.recall = ratio(tp, support);
        cm.f1 = harmonic(cm.precision, cm.recall);
        m.per_class.push_back(cm);
        correct += tp;
        if (support > 0) {
            ++classes_with_support;
            m.macro.precision += cm.precision;
            m.macro.recall += cm.recall;
            m.macro.f1 += cm.f1;
        }
        m.weighted.precision += cm.precision * support;
        m.weighted.recall += cm.recall * support;
        m.weighted.f1 += cm.f1 * support;
    }
    m.accuracy = ratio(correct, m.n);
    for (double* v : {&m.macro.precision, &m.macro.recall, &m.macro.f1}) *v = ratio(*v, classes_with_support);
    for (double* v : {&m.weighted.precision, &m.weighted.recall, &m.weighted.f1}) *v = ratio(*v, m.n);
    m.macro.support = m.weighted.support = m.n;
    m.uar = m.macro.recall;
    return m;
}

Metrics metrics_from_confusion(const std::vector<std::string>& labels, const std::vector<std::vector<int>>& confusion) {
    std::vector<int> truth, predicted;
    for (std::size_t t = 0; t < confusion.size(); ++t)
        for (std::size_t p = 0; p < confusion[t].size(); ++p) {
            truth.insert(truth.end(), std::size_t(confusion[t][p]), int(t));
            predicted.insert(predicted.end(), std::size_t(confusion[t][p]), int(p));
        }
    return compute_metrics(labels, truth, predicted);
}

}  // namespace emo::eval
