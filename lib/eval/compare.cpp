// Side-by-side comparison of evaluation results and runs, with McNemar's exact test on the items
// two results share.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "emo/core.hpp"
#include "emo/error.hpp"
#include "emo/eval.hpp"
#include "printf.hpp"

namespace emo::eval {
namespace fs = std::filesystem;
namespace {

nlohmann::json read_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InputError(path, "cannot open");
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path, std::string("not JSON: ") + e.what());
    }
}

// log of n choose k
double log_choose(int n, int k) { return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0); }
}  // namespace

EvalResult read_result(const std::string& path) {
    EvalResult r;
    std::error_code ec;
    const bool run_dir = fs::is_directory(path, ec);
    r.name = fs::path(path).lexically_normal().filename().string();
    if (r.name.empty() || r.name == ".") r.name = fs::path(path).lexically_normal().parent_path().filename().string();
    const std::string file = run_dir ? path + "/validation.json" : path;
    const auto j = read_json(file);
    try {
        r.n = j.at("n");
        r.accuracy = j.at("accuracy");
        r.uar = j.at("uar");
        r.macro_f1 = j.at("macro").at("f1");
        if (j.contains("weighted")) r.weighted_f1 = j.at("weighted").at("f1");
        r.epoch = j.value("epoch", 0);
        if (j.contains("predictions")) {
            for (const auto& p : j.at("predictions")) {
                r.ids.push_back(p.at(0));
                r.correct.push_back(p.at(1) == p.at(2));
            }
        }
    } catch (const nlohmann::json::exception& e) {
        throw InputError(file, std::string("not an emo-eval --json result or run validation.json: ") + e.what());
    }
    if (run_dir && fs::exists(path + "/metrics.json", ec)) {
        const auto history = read_json(path + "/metrics.json");
        for (const auto& e : history) {
            r.epochs.push_back(e.at("epoch"));
            r.train_loss.push_back(e.at("train_loss"));
            r.val_loss.push_back(e.at("val_loss"));
            r.val_accuracy.push_back(e.at("val_accuracy"));
        }
    }
    return r;
}

McNemar mcnemar(const EvalResult& a, const EvalResult& b) {
    std::map<std::string, bool> b_correct;
    for (std::size_t i = 0; i < b.ids.size(); ++i) b_correct[b.ids[i]] = b.correct[i];
    McNemar m;
    for (std::size_t i = 0; i < a.ids.size(); ++i) {
        const auto it = b_correct.find(a.ids[i]);
        if (it == b_correct.end()) continue;
        ++m.shared;
        if (a.correct[i] && !it->second) ++m.only_a;
        if (!a.correct[i] && it->second) ++m.only_b;
    }
    // Exact two-sided test: discordant pairs ~ Binomial(only_a + only_b, 1/2) under equal accuracy.
    const int n = m.only_a + m.only_b, k = std::min(m.only_a, m.only_b);
    double tail = 0.0;
    for (int i = 0; i <= k; ++i) tail += std::exp(log_choose(n, i) - n * std::log(2.0));
    m.p_value = n == 0 ? 1.0 : std::min(1.0, 2.0 * tail);
    return m;
}

std::string format_comparison(const std::vector<EvalResult>& results) {
    std::ostringstream out;
    std::size_t width = 6;
    for (const auto& r : results) width = std::max(width, r.name.size());
    char line[1024];
    std::snprintf(line, sizeof line, "%-*s %7s %9s %9s %9s\n", int(width), "result", "n", "accuracy", "uar",
                  "macro-F1");
    out << line;
    for (const auto& r : results) {
        std::snprintf(line, sizeof line, "%-*s %7d %9.4f %9.4f %9.4f\n", int(width), r.name.c_str(), r.n, r.accuracy,
                      r.uar, r.macro_f1);
        out << line;
    }
    bool header = false;
    for (std::size_t i = 1; i < results.size(); ++i) {
        const auto m = mcnemar(results[0], results[i]);
        if (m.shared == 0) continue;
        if (!header) out << "\nMcNemar's exact test against " << results[0].name << " on the items both scored:\n";
        header = true;
        std::snprintf(line, sizeof line, "  %-*s shared %d, only %s right %d, only this right %d, p = %.4g%s\n",
                      int(width), results[i].name.c_str(), m.shared, results[0].name.c_str(), m.only_a, m.only_b,
                      m.p_value, m.p_value < 0.05 ? " (significant at 0.05)" : "");
        out << line;
    }
    if (!header && results.size() > 1) out << "\n(no per-item predictions shared: no significance test)\n";
    return out.str();
}

std::string comparison_csv(const std::vector<EvalResult>& results) {
    std::string out =
        "result,n,accuracy,uar,macro_f1,weighted_f1,epoch,shared,only_first_right,only_this_right,p_value\n";
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& r = results[i];
        out += core::csv_field(r.name) +
               format(",%d,%.6f,%.6f,%.6f,%.6f,", r.n, r.accuracy, r.uar, r.macro_f1, r.weighted_f1);
        if (r.epoch > 0) out += std::to_string(r.epoch);
        const auto m = i == 0 ? McNemar{} : mcnemar(results[0], r);
        out += m.shared > 0 ? format(",%d,%d,%d,%.6g\n", m.shared, m.only_a, m.only_b, m.p_value) : ",,,,\n";
    }
    return out;
}

}  // namespace emo::eval
