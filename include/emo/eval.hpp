#pragma once
// Classification metrics and their reports (text table, JSON).
#include <string>
#include <vector>

namespace emo::eval {

struct ClassMetrics {
    double precision = 0, recall = 0, f1 = 0;  // 0 when undefined (no predictions / no support)
    int support = 0;
};

struct Metrics {
    std::vector<std::string> labels;
    int n = 0;
    double accuracy = 0;
    double uar = 0;                 // unweighted average recall over classes with support
    ClassMetrics macro, weighted;   // macro: over classes with support; weighted: by support
    std::vector<ClassMetrics> per_class;
    std::vector<std::vector<int>> confusion;  // [true][predicted]
};

// `truth` and `predicted` hold indices into `labels`. Throws RuntimeError on mismatched sizes or an
// out-of-range index.
Metrics compute_metrics(const std::vector<std::string>& labels, const std::vector<int>& truth,
                        const std::vector<int>& predicted);

// Human-readable report: accuracy, UAR, per-class table, averages, confusion matrix.
std::string format_text(const Metrics& m);
// The emo-eval --json object (one line).
std::string to_json(const Metrics& m);

}  // namespace emo::eval
