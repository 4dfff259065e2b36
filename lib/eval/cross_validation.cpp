// Cross-validation summary: per-fold figures, mean ± standard deviation, pooled confusion.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "emo/core.hpp"
#include "emo/data.hpp"
#include "emo/error.hpp"
#include "emo/eval.hpp"
#include "printf.hpp"

namespace emo::eval {
namespace {

MeanStd mean_std(const std::vector<FoldResult>& folds, double (*value)(const FoldResult&)) {
    MeanStd out;
    for (const auto& f : folds) out.mean += value(f);
    out.mean /= double(folds.size());
    if (folds.size() < 2) return out;
    double squares = 0;
    for (const auto& f : folds) squares += (value(f) - out.mean) * (value(f) - out.mean);
    out.std = std::sqrt(squares / double(folds.size() - 1));
    return out;
}

nlohmann::json mean_std_json(const MeanStd& m) { return {{"mean", m.mean}, {"std", m.std}}; }

}  // namespace

CrossValidation summarise_folds(std::vector<FoldResult> folds) {
    if (folds.empty()) throw RuntimeError("cross-validation: no folds");
    CrossValidation cv;
    // Folds that train other label sets (leave-one-corpus-out) pool over the union of their labels.
    std::vector<std::string> labels = folds.front().metrics.labels;
    for (const auto& f : folds) {
        if (f.metrics.labels == labels) continue;
        std::vector<std::string> all;
        for (const auto& g : folds) all.insert(all.end(), g.metrics.labels.begin(), g.metrics.labels.end());
        labels = data::labels_of(all);
        break;
    }
    std::vector<std::vector<int>> confusion(labels.size(), std::vector<int>(labels.size(), 0));
    const auto index_of = [&](const std::string& l) {
        return std::size_t(std::find(labels.begin(), labels.end(), l) - labels.begin());
    };
    for (const auto& f : folds) {
        const auto& own = f.metrics.labels;
        for (std::size_t t = 0; t < own.size(); ++t)
            for (std::size_t p = 0; p < own.size(); ++p)
                confusion[index_of(own[t])][index_of(own[p])] += f.metrics.confusion[t][p];
    }
    cv.pooled = metrics_from_confusion(labels, confusion);
    cv.accuracy = mean_std(folds, [](const FoldResult& f) { return f.metrics.accuracy; });
    cv.uar = mean_std(folds, [](const FoldResult& f) { return f.metrics.uar; });
    cv.macro_f1 = mean_std(folds, [](const FoldResult& f) { return f.metrics.macro.f1; });
    cv.weighted_f1 = mean_std(folds, [](const FoldResult& f) { return f.metrics.weighted.f1; });
    cv.best_epoch_accuracy = mean_std(folds, [](const FoldResult& f) { return f.best_epoch_accuracy; });
    cv.folds = std::move(folds);
    return cv;
}

std::string format_text(const CrossValidation& cv) {
    std::string out =
        format("%d-fold cross-validation; each fold's last-epoch model on the fold it never trained on\n\n",
               int(cv.folds.size()));
    out += format("%-6s %6s %6s %9s %9s %9s %11s  %s\n", "fold", "n", "epochs", "accuracy", "uar", "macro-F1",
                  "weighted-F1", "held out");
    for (std::size_t i = 0; i < cv.folds.size(); ++i) {
        const auto& f = cv.folds[i];
        out += format("%-6d %6d %6d %9.4f %9.4f %9.4f %11.4f  %s\n", int(i + 1), f.metrics.n, f.epochs,
                      f.metrics.accuracy, f.metrics.uar, f.metrics.macro.f1, f.metrics.weighted.f1, f.held_out.c_str());
    }
    const auto pm = [](const MeanStd& m) { return format("%.4f ± %.4f", m.mean, m.std); };
    out += "\nmean ± std over folds\n";
    out += "  accuracy     " + pm(cv.accuracy) + "\n  uar          " + pm(cv.uar) + "\n  macro-F1     " +
           pm(cv.macro_f1) + "\n  weighted-F1  " + pm(cv.weighted_f1) + "\n";
    out += "  (best epoch per fold, chosen on the held-out fold itself, so optimistic: accuracy " +
           pm(cv.best_epoch_accuracy) + ")\n";
    out += "\nall folds pooled\n" + format_text(cv.pooled);
    return out;
}

std::string to_csv(const CrossValidation& cv) {
    std::string out = "fold,n,epochs,accuracy,uar,macro_f1,weighted_f1,best_epoch_accuracy,held_out\n";
    for (std::size_t i = 0; i < cv.folds.size(); ++i) {
        const auto& f = cv.folds[i];
        out += format("%d,%d,%d,%.6f,%.6f,%.6f,%.6f,%.6f,", int(i + 1), f.metrics.n, f.epochs, f.metrics.accuracy,
                      f.metrics.uar, f.metrics.macro.f1, f.metrics.weighted.f1, f.best_epoch_accuracy) +
               core::csv_field(f.held_out) + "\n";
    }
    out += format("mean,%d,,%.6f,%.6f,%.6f,%.6f,%.6f,\n", cv.pooled.n, cv.accuracy.mean, cv.uar.mean, cv.macro_f1.mean,
                  cv.weighted_f1.mean, cv.best_epoch_accuracy.mean);
    out += format("std,,,%.6f,%.6f,%.6f,%.6f,%.6f,\n", cv.accuracy.std, cv.uar.std, cv.macro_f1.std, cv.weighted_f1.std,
                  cv.best_epoch_accuracy.std);
    return out;
}

void to_json(nlohmann::json& j, const CrossValidation& cv) {
    auto folds = nlohmann::json::array();
    for (const auto& f : cv.folds) {
        folds.push_back({{"held_out", f.held_out},
                         {"epochs", f.epochs},
                         {"best_epoch_accuracy", f.best_epoch_accuracy},
                         {"metrics", f.metrics}});
    }
    j = {{"folds", folds},
         {"mean_std",
          {{"accuracy", mean_std_json(cv.accuracy)},
           {"uar", mean_std_json(cv.uar)},
           {"macro_f1", mean_std_json(cv.macro_f1)},
           {"weighted_f1", mean_std_json(cv.weighted_f1)},
           {"best_epoch_accuracy", mean_std_json(cv.best_epoch_accuracy)}}},
         {"pooled", cv.pooled}};
}

std::string to_json(const CrossValidation& cv) { return nlohmann::json(cv).dump(1); }

}  // namespace emo::eval
