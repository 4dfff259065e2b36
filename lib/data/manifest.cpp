#include <filesystem>
#include <fstream>

#include "emo/core.hpp"
#include "emo/data.hpp"
#include "emo/error.hpp"
#include "emo/line_reader.hpp"
#include "csv.hpp"

namespace emo::data {
namespace fs = std::filesystem;

Dataset read_manifest(const std::string& csv_path) {
    std::ifstream in(csv_path);
    if (!in) throw InputError(csv_path, "cannot open manifest");
    const fs::path base = fs::path(csv_path).parent_path();
    std::string line;
    if (!core::read_line(in, line, csv_path, 1))
        throw InputError(csv_path, "empty manifest: expected header path,label[,speaker]");
    const auto header = split_csv_line(line);
    const bool header_ok = (header.size() == 2 || header.size() == 3) && core::to_lower(header[0]) == "path" &&
                           core::to_lower(header[1]) == "label" &&
                           (header.size() == 2 || core::to_lower(header[2]) == "speaker");
    if (!header_ok) throw InputError(csv_path, "line 1: expected header path,label[,speaker], got '" + line + "'");

    Dataset ds;
    ds.source = fs::absolute(csv_path).lexically_normal().string();
    for_each_csv_row(in, csv_path, header.size(), [&](const std::vector<std::string>& f, const std::string& where) {
        if (f[0].empty()) throw InputError(csv_path, where + ": empty path");
        const auto label = label_word(f[1]);
        if (!label) {
            throw InputError(csv_path, where + ": label '" + f[1] +
                                           "' is not a word (expected an emotion such as happy, or a new label "
                                           "such as contempt)");
        }
        const fs::path p = fs::path(f[0]).is_absolute() ? fs::path(f[0]) : base / f[0];
        ds.samples.push_back(Sample{p.lexically_normal().string(), *label, f.size() == 3 ? f[2] : "", ""});
    });
    if (ds.samples.empty()) throw InputError(csv_path, "manifest has no rows");
    return ds;
}

}  // namespace emo::data
