// Which speaker each file is: a CSV with `path` and `speaker` columns (a manifest with a speaker column is one).
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "emo/core.hpp"
#include "emo/data.hpp"
#include "emo/error.hpp"
#include "emo/line_reader.hpp"
#include "csv.hpp"

namespace emo::data {
namespace fs = std::filesystem;

namespace {
std::string key_of(const fs::path& p) { return fs::absolute(p).lexically_normal().string(); }
}  // namespace

SpeakerMap read_speaker_map(const std::string& csv_path) {
    std::ifstream in(csv_path);
    if (!in) throw InputError(csv_path, "cannot open speaker list");
    std::string line;
    if (!core::read_line(in, line, csv_path, 1))
        throw InputError(csv_path, "empty speaker list: expected a header with path and speaker columns");
    auto header = split_csv_line(line);
    for (auto& h : header) h = core::to_lower(h);
    const auto column = [&](const std::string& name) {
        const auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end()) {
            throw InputError(csv_path,
                             "line 1: expected a header with path and speaker columns (a manifest "
                             "path,label,speaker works), got '" +
                                 line + "'");
        }
        return std::size_t(it - header.begin());
    };
    const std::size_t path_column = column("path"), speaker_column = column("speaker");
    const fs::path base = fs::path(csv_path).parent_path();
    SpeakerMap map;
    map.source = csv_path;
    for_each_csv_row(in, csv_path, header.size(), [&](const std::vector<std::string>& f, const std::string& where) {
        if (f[path_column].empty()) throw InputError(csv_path, where + ": empty path");
        if (f[speaker_column].empty()) throw InputError(csv_path, where + ": empty speaker");
        const fs::path p = fs::path(f[path_column]).is_absolute() ? fs::path(f[path_column]) : base / f[path_column];
        map.speaker_of[key_of(p)] = f[speaker_column];
    });
    if (map.speaker_of.empty()) throw InputError(csv_path, "speaker list has no rows");
    return map;
}

const std::string& SpeakerMap::speaker(const std::string& file) const {
    const auto it = speaker_of.find(key_of(file));
    if (it == speaker_of.end()) throw InputError(file, "not in the speaker list " + source);
    return it->second;
}

}  // namespace emo::data
