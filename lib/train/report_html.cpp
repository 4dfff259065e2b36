// report.html: one self-contained page per run (tables, and the run's PNG plots embedded as data
// URIs), readable in any browser without network access.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "emo/core.hpp"
#include "run_files.hpp"

namespace emo::train {
namespace {

std::string base64(const std::string& bytes) {
    static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        unsigned v = unsigned(static_cast<unsigned char>(bytes[i])) << 16;
        if (i + 1 < bytes.size()) v |= unsigned(static_cast<unsigned char>(bytes[i + 1])) << 8;
        if (i + 2 < bytes.size()) v |= unsigned(static_cast<unsigned char>(bytes[i + 2]));
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? table[(v >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? table[v & 63] : '=';
    }
    return out;
}

std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '&') out += "&amp;";
        else out += c;
    }
    return out;
}

std::string image(const std::string& path, const std::string& alt) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return "";
    return "<img alt=\"" + alt + "\" src=\"data:image/png;base64," + base64(core::read_file(path)) + "\">\n";
}

std::string num(double v) {
    std::ostringstream s;
    s.precision(4);
    s << std::fixed << v;
    return s.str();
}
}  // namespace

void write_html_report(const std::string& run_dir, const std::string& heading, const eval::Metrics& best,
                       const std::string& chosen, const std::vector<EpochRecord>& history) {
    std::ostringstream h;
    const std::string name = std::filesystem::path(run_dir).filename().string();
    h << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>emo run " << escape(name) << "</title>\n"
      << "<style>body{font-family:sans-serif;margin:2em;max-width:1300px}table{border-collapse:collapse;margin:1em 0}"
         "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}"
         "img{max-width:100%;margin:1em 0}pre{background:#f7f7f7;padding:1em;overflow:auto}</style></head><body>\n";
    h << "<h1>emo run " << escape(name) << "</h1>\n<p>" << escape(heading) << ", " << escape(chosen) << " ("
      << history.size() << " epochs)</p>\n";
    const std::string most = best.most_predicted >= 0 ? escape(best.labels[std::size_t(best.most_predicted)]) : "";
    const bool calibrated = best.ece >= 0;  // expected calibration error, when the run measured it
    h << "<table><tr><th>n</th><th>accuracy</th><th>UAR</th><th>macro-F1</th><th>weighted F1</th>"
         "<th>most predicted (share)</th><th>prediction entropy (bits)</th>"
      << (calibrated ? "<th>expected calibration error</th>" : "") << "</tr><tr><td>" << best.n << "</td><td>"
      << num(best.accuracy) << "</td><td>" << num(best.uar) << "</td><td>" << num(best.macro.f1) << "</td><td>"
      << num(best.weighted.f1) << "</td><td>" << most << " (" << num(best.most_predicted_share) << ")</td><td>"
      << num(best.prediction_entropy) << "</td>" << (calibrated ? "<td>" + num(best.ece) + "</td>" : "")
      << "</tr></table>\n";
    h << "<h2>Per "
         "class</h2>\n<table><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n";
    for (std::size_t i = 0; i < best.labels.size(); ++i) {
        const auto& c = best.per_class[i];
        h << "<tr><th>" << escape(best.labels[i]) << "</th><td>" << num(c.precision) << "</td><td>" << num(c.recall)
          << "</td><td>" << num(c.f1) << "</td><td>" << c.support << "</td></tr>\n";
    }
    h << "</table>\n<h2>Training curves</h2>\n" << image(run_dir + "/curves.png", "loss and accuracy per epoch");
    h << "<h2>Confusion matrix</h2>\n" << image(run_dir + "/confusion.png", "confusion matrix");
    h << "<h2>Per epoch</h2>\n<table><tr><th>epoch</th><th>lr</th><th>train loss</th><th>train acc</th>"
         "<th>val loss</th><th>val acc</th><th>val UAR</th><th>val macro-F1</th><th>seconds</th></tr>\n";
    for (const auto& e : history) {
        h << "<tr><td>" << e.epoch << "</td><td>" << e.learning_rate << "</td><td>" << num(e.train_loss) << "</td><td>"
          << num(e.train_accuracy) << "</td><td>" << num(e.val_loss) << "</td><td>" << num(e.val_accuracy)
          << "</td><td>" << num(e.val_uar) << "</td><td>" << num(e.val_macro_f1) << "</td><td>" << num(e.seconds)
          << "</td></tr>\n";
    }
    h << "</table>\n";
    std::error_code ec;
    if (std::filesystem::exists(run_dir + "/config.yaml", ec)) {
        h << "<h2>Config</h2>\n<pre>" << escape(core::read_file(run_dir + "/config.yaml")) << "</pre>\n";
    }
    h << "</body></html>\n";
    core::write_file_atomic(run_dir + "/report.html", h.str());
}

}  // namespace emo::train
