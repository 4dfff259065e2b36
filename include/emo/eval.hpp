#pragma once
// Classification metrics and their reports (text table, JSON).
#include <nlohmann/json_fwd.hpp>
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
    double uar = 0;                // unweighted average recall over classes with support
    ClassMetrics macro, weighted;  // macro: over classes with support; weighted: by support
    std::vector<ClassMetrics> per_class;
    std::vector<std::vector<int>> confusion;  // [true][predicted]
    // A collapse onto one label shows here whatever the accuracy: the label predicted most often and its
    // share of all predictions (1: one label for everything), and the entropy in bits of the predicted
    // labels' distribution (0: one label; log2 of the label count: every label as often).
    int most_predicted = -1;  // index into labels; -1 when n is 0
    double most_predicted_share = 0;
    double prediction_entropy = 0;
    // Expected calibration error of the scores (see expected_calibration_error); -1 when only labels were
    // given (compute_metrics), so reports leave it out.
    double ece = -1;
};

// `truth` and `predicted` hold indices into `labels`. Throws RuntimeError on mismatched sizes or an
// out-of-range index.
Metrics compute_metrics(const std::vector<std::string>& labels, const std::vector<int>& truth,
                        const std::vector<int>& predicted);

// The metrics of a confusion matrix ([true][predicted] counts).
Metrics metrics_from_confusion(const std::vector<std::string>& labels, const std::vector<std::vector<int>>& confusion);

// Calibration: how far a model's confidence is from how often it is right. The predictions are put in
// `bins` equal-width bins by their confidence (the top score); ECE is the mean over bins, weighted by
// the bin's share of predictions, of |accuracy - mean confidence| (Guo et al. 2017). 0 for no predictions.
// Throws RuntimeError on mismatched sizes.
double expected_calibration_error(const std::vector<float>& confidence, const std::vector<bool>& correct,
                                  int bins = 15);
double expected_calibration_error(const std::vector<std::vector<float>>& probs, const std::vector<int>& truth,
                                  int bins = 15);
// Per item, the mean over its windows of softmax(logits / temperature): how a speech model scores a clip.
std::vector<std::vector<float>> averaged_softmax(const std::vector<std::vector<std::vector<float>>>& window_logits,
                                                 double temperature);
// The temperature in [0.05, 20] with the smallest mean negative log-likelihood of `truth` under
// averaged_softmax (golden-section search on log T). Throws RuntimeError for no items.
double fit_temperature(const std::vector<std::vector<std::vector<float>>>& window_logits,
                       const std::vector<int>& truth);

// Each confusion row divided by its support (rows without support stay 0).
std::vector<std::vector<double>> row_normalised(const Metrics& m);

// Human-readable report: accuracy, UAR, per-class table, averages, confusion matrix.
std::string format_text(const Metrics& m);
// The emo-eval --json object: nlohmann's to_json, so that `nlohmann::json j = metrics;` works (include
// <nlohmann/json.hpp> to use it); the string form is the same object on one line.
void to_json(nlohmann::json& j, const Metrics& m);
std::string to_json(const Metrics& m);
// The per-class table as CSV: row,precision,recall,f1,support; then macro avg, weighted avg,
// accuracy (in the f1 column, as scikit-learn's report) and uar (in the recall column).
std::string to_csv(const Metrics& m);

// Cross-validation: per fold, the final model on the fold it never trained on; the folds' mean and
// sample standard deviation; and the metrics of all folds' predictions pooled.
struct FoldResult {
    std::string held_out;            // what the fold held out, e.g. "speakers 01,06,11,16"
    int epochs = 0;                  // epochs trained
    Metrics metrics;                 // last epoch on the held-out fold
    double best_epoch_accuracy = 0;  // best epoch's: chosen on the held-out fold itself, so optimistic
};
struct MeanStd {
    double mean = 0, std = 0;  // std: sample standard deviation (0 for one fold)
};
struct CrossValidation {
    std::vector<FoldResult> folds;
    MeanStd accuracy, uar, macro_f1, weighted_f1, best_epoch_accuracy;
    Metrics pooled;  // from the summed confusion matrices
};
// Throws RuntimeError for no folds or folds with different labels.
CrossValidation summarise_folds(std::vector<FoldResult> folds);
// Per-fold table, mean ± std, then the pooled report.
std::string format_text(const CrossValidation& cv);
// One row per fold, then "mean" and "std" rows.
std::string to_csv(const CrossValidation& cv);
void to_json(nlohmann::json& j, const CrossValidation& cv);
std::string to_json(const CrossValidation& cv);

// A saved result to compare: an emo-eval --json file (with per-item predictions) or a run directory
// (its validation.json and, for curves, metrics.json). Throws InputError naming the file.
struct EvalResult {
    std::string name;
    int n = 0;
    double accuracy = 0, uar = 0, macro_f1 = 0, weighted_f1 = 0;
    int epoch = 0;                 // run directories: the epoch the figures are from (0: not known)
    std::vector<std::string> ids;  // per-item, when the result has them
    std::vector<bool> correct;
    std::vector<double> epochs, train_loss, val_loss, val_accuracy;  // run directories only
};
EvalResult read_result(const std::string& path);
// McNemar's exact test on the items both results scored (matched by id).
struct McNemar {
    int shared = 0, only_a = 0, only_b = 0;  // items; right in a only; right in b only
    double p_value = 1.0;                    // two-sided
};
McNemar mcnemar(const EvalResult& a, const EvalResult& b);
// Table of the results, then each against the first with McNemar's test where items are shared.
std::string format_comparison(const std::vector<EvalResult>& results);
// The same as CSV, one row per result: result,n,accuracy,uar,macro_f1,weighted_f1,epoch,
// shared,only_first_right,only_this_right,p_value (the last four against the first result; empty
// where no items are shared).
std::string comparison_csv(const std::vector<EvalResult>& results);

// PNG charts (OpenCV), written atomically. Throw RuntimeError naming the file when it cannot be written.
struct Series {
    std::string name;
    std::vector<double> x, y;
};
struct Panel {
    std::string title, x_label, y_label;
    std::vector<Series> series;
    bool y_from_zero = false;
};
// Panels side by side, e.g. loss and accuracy per epoch, training vs validation.
void plot_lines(const std::vector<Panel>& panels, const std::string& title, const std::string& path);
// Heatmap: counts and row percentages.
void plot_confusion(const Metrics& m, const std::string& title, const std::string& path);
// One bar per name (per-class F1, class counts).
void plot_bars(const std::vector<std::string>& names, const std::vector<double>& values, const std::string& title,
               const std::string& y_label, const std::string& path);

}  // namespace emo::eval
