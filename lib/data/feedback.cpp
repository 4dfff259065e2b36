// Feedback CSVs: corrected labels for files the model has seen, e.g. emo-predict --csv output
// whose label column the user edited.
#include <filesystem>
#include <fstream>
#include <map>

#include "csv.hpp"
#include "emo/core.hpp"
#include "emo/data.hpp"
#include "emo/error.hpp"
#include "emo/line_reader.hpp"

namespace emo::data {
namespace fs = std::filesystem;
namespace {

// Relative paths: against the CSV's folder (manifest convention), else the working directory
// (emo-predict writes the paths it was given).
std::string resolve(const fs::path& base, const std::string& path) {
    const fs::path p(path);
    if (p.is_absolute()) return p.lexically_normal().string();
    std::error_code ec;
    if (fs::exists(base / p, ec)) return (base / p).lexically_normal().string();
    return p.lexically_normal().string();
}

int parse_int(const std::string& text, const std::string& csv_path, const std::string& where,
              const std::string& column) {
    try {
        std::size_t used = 0;
        const int v = std::stoi(text, &used);
        if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    throw InputError(csv_path, where + ": " + column + ": expected an integer, got '" + text + "'");
}
}  // namespace

Feedback read_feedback(const std::string& csv_path) {
    std::ifstream in(csv_path);
    if (!in) throw InputError(csv_path, "cannot open feedback CSV");
    std::string line;
    if (!core::read_line(in, line, csv_path, 1))
        throw InputError(csv_path, "empty feedback CSV: expected a header with path (or file) and label");
    std::map<std::string, std::size_t> column;
    const auto header = split_csv_line(line);
    for (std::size_t i = 0; i < header.size(); ++i) column.emplace(core::to_lower(header[i]), i);
    const auto find = [&](const char* name) { return column.count(name) ? int(column[name]) : -1; };
    const int path_col = find("path") >= 0 ? find("path") : find("file"), label_col = find("label");
    if (path_col < 0 || label_col < 0) {
        throw InputError(csv_path,
                         "line 1: expected a header with columns path (or file) and label, got '" + line + "'");
    }
    const int box_cols[4] = {find("x"), find("y"), find("width"), find("height")};
    const bool has_box = box_cols[0] >= 0 && box_cols[1] >= 0 && box_cols[2] >= 0 && box_cols[3] >= 0;

    Feedback out;
    out.source = fs::absolute(csv_path).lexically_normal().string();
    const fs::path base = fs::path(csv_path).parent_path();
    for_each_csv_row(in, csv_path, header.size(), [&](const std::vector<std::string>& f, const std::string& where) {
        const std::string& label_text = f[std::size_t(label_col)];
        if (label_text.empty() || label_text == "none" || label_text == "no speech") {
            ++out.unlabelled;  // an emo-predict row for a photo without a face or a clip without speech
            return;
        }
        if (f[std::size_t(path_col)].empty()) throw InputError(csv_path, where + ": empty path");
        const auto label = label_word(f[std::size_t(label_col)]);
        if (!label) {
            throw InputError(csv_path, where + ": label '" + f[std::size_t(label_col)] +
                                           "' is not a word (expected an emotion such as happy, or a new label "
                                           "such as contempt)");
        }
        FeedbackRow row;
        row.sample = Sample{resolve(base, f[std::size_t(path_col)]), *label, "", ""};
        if (has_box && !f[std::size_t(box_cols[2])].empty()) {
            int v[4];
            for (int k = 0; k < 4; ++k)
                v[k] = parse_int(f[std::size_t(box_cols[k])], csv_path, where, header[std::size_t(box_cols[k])]);
            if (v[2] <= 0 || v[3] <= 0) throw InputError(csv_path, where + ": face box width and height must be > 0");
            row.box = {v[0], v[1], v[2], v[3]};
        }
        out.rows.push_back(row);
    });
    if (out.rows.empty()) throw InputError(csv_path, "feedback CSV has no labelled rows");
    return out;
}

std::vector<Sample> Feedback::samples() const {
    std::vector<Sample> out;
    for (const auto& r : rows) out.push_back(r.sample);
    return out;
}

}  // namespace emo::data
