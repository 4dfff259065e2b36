#include <filesystem>
#include <fstream>

#include "csv.hpp"
#include "emo/core.hpp"
#include "emo/data.hpp"
#include "emo/error.hpp"
#include "emo/line_reader.hpp"

namespace emo::data {
namespace fs = std::filesystem;

std::vector<Pair> read_pairs(const std::string& csv_path) {
    std::ifstream in(csv_path);
    if (!in) throw InputError(csv_path, "cannot open pairs CSV");
    std::string line;
    core::read_line(in, line, csv_path, 1);
    const auto header = split_csv_line(line);
    if (header != std::vector<std::string>{"face", "speech", "label"}) {
        throw InputError(csv_path, "line 1: expected header face,speech,label, got '" + line + "'");
    }
    const fs::path base = fs::path(csv_path).parent_path();
    const auto resolve = [&](const std::string& p) {
        return (fs::path(p).is_absolute() ? fs::path(p) : base / p).lexically_normal().string();
    };
    std::vector<Pair> pairs;
    for_each_csv_row(in, csv_path, 3, [&](const std::vector<std::string>& f, const std::string& where) {
        if (f[0].empty() || f[1].empty()) throw InputError(csv_path, where + ": empty face or speech path");
        const auto label = label_word(f[2]);
        if (!label) {
            throw InputError(csv_path,
                             where + ": label '" + f[2] + "' is not a word (expected an emotion such as happy)");
        }
        pairs.push_back(Pair{resolve(f[0]), resolve(f[1]), *label});
    });
    if (pairs.empty()) throw InputError(csv_path, "no pairs");
    return pairs;
}

}  // namespace emo::data
