#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "emo/eval.hpp"
#include "printf.hpp"

namespace emo::eval {
namespace {
nlohmann::json class_json(const ClassMetrics& c) {
    return {{"precision", c.precision}, {"recall", c.recall}, {"f1", c.f1}, {"support", c.support}};
}
}  // namespace

std::string format_text(const Metrics& m) {
    int width = 12;  // "weighted avg"
    for (const auto& l : m.labels) width = std::max(width, int(l.size()));
    std::string out = format("n = %d\naccuracy = %.4f\nuar = %.4f\n", m.n, m.accuracy, m.uar);
    if (m.most_predicted >= 0) {
        out += format(
            "most predicted = %s (%.1f %% of predictions)\nprediction entropy = %.2f bits (%.2f: every label as "
            "often)\n",
            m.labels[std::size_t(m.most_predicted)].c_str(), 100 * m.most_predicted_share, m.prediction_entropy,
            std::log2(double(m.labels.size())));
    }
    if (m.ece >= 0) out += format("expected calibration error = %.4f (15 confidence bins)\n", m.ece);
    out += "\n";
    out += format("%-*s %9s %9s %9s %9s\n", width, "", "precision", "recall", "f1", "support");
    const auto row = [&](const std::string& name, const ClassMetrics& c) {
        out += format("%-*s %9.4f %9.4f %9.4f %9d\n", width, name.c_str(), c.precision, c.recall, c.f1, c.support);
    };
    for (std::size_t i = 0; i < m.labels.size(); ++i) row(m.labels[i], m.per_class[i]);
    out += "\n";
    row("macro avg", m.macro);
    row("weighted avg", m.weighted);
    out += "\nconfusion matrix (rows: true, columns: predicted)\n";
    out += format("%-*s", width, "");
    for (const auto& l : m.labels) out += format(" %9.9s", l.c_str());
    out += "\n";
    for (std::size_t i = 0; i < m.labels.size(); ++i) {
        out += format("%-*s", width, m.labels[i].c_str());
        for (int v : m.confusion[i]) out += format(" %9d", v);
        out += "\n";
    }
    out += "\nconfusion matrix, % of each true class\n";
    out += format("%-*s", width, "");
    for (const auto& l : m.labels) out += format(" %9.9s", l.c_str());
    out += "\n";
    const auto rows = row_normalised(m);
    for (std::size_t i = 0; i < m.labels.size(); ++i) {
        out += format("%-*s", width, m.labels[i].c_str());
        for (double v : rows[i]) out += format(" %9.1f", 100.0 * v);
        out += "\n";
    }
    return out;
}

std::vector<std::vector<double>> row_normalised(const Metrics& m) {
    std::vector<std::vector<double>> out;
    for (const auto& row : m.confusion) {
        int total = 0;
        for (int v : row) total += v;
        std::vector<double> r;
        for (int v : row) r.push_back(total > 0 ? double(v) / total : 0.0);
        out.push_back(r);
    }
    return out;
}

std::string to_csv(const Metrics& m) {
    std::string out = "row,precision,recall,f1,support\n";
    const auto row = [&](const std::string& name, const ClassMetrics& c, int support) {
        out += format("%s,%.6f,%.6f,%.6f,%d\n", name.c_str(), c.precision, c.recall, c.f1, support);
    };
    for (std::size_t i = 0; i < m.labels.size(); ++i) row(m.labels[i], m.per_class[i], m.per_class[i].support);
    row("macro avg", m.macro, m.n);
    row("weighted avg", m.weighted, m.n);
    out += format("accuracy,,,%.6f,%d\nuar,,%.6f,,%d\n", m.accuracy, m.n, m.uar, m.n);
    return out;
}

void to_json(nlohmann::json& j, const Metrics& m) {
    nlohmann::json per_class = nlohmann::json::object();
    for (std::size_t i = 0; i < m.labels.size(); ++i) per_class[m.labels[i]] = class_json(m.per_class[i]);
    const auto averages = [](const ClassMetrics& c) {
        return nlohmann::json{{"precision", c.precision}, {"recall", c.recall}, {"f1", c.f1}};
    };
    j = {{"n", m.n},
         {"accuracy", m.accuracy},
         {"uar", m.uar},
         {"most_predicted",
          {{"label", m.most_predicted >= 0 ? m.labels[std::size_t(m.most_predicted)] : ""},
           {"share", m.most_predicted_share}}},
         {"prediction_entropy_bits", m.prediction_entropy},
         {"macro", averages(m.macro)},
         {"weighted", averages(m.weighted)},
         {"per_class", per_class},
         {"confusion", {{"labels", m.labels}, {"matrix", m.confusion}, {"normalized", row_normalised(m)}}}};
    if (m.ece >= 0) j["ece"] = m.ece;
}

std::string to_json(const Metrics& m) { return nlohmann::json(m).dump(); }

}  // namespace emo::eval
