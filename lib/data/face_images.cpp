// Faces in memory: the FER2013 CSV reader and stratified splits.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <cmath>
#include <random>

#include "csv.hpp"
#include "emo/core.hpp"
#include "emo/data.hpp"
#include "emo/error.hpp"
#include "emo/line_reader.hpp"

namespace emo::data {
namespace {
const std::vector<std::string> kFerLabels{"angry", "disgust", "fearful", "happy", "sad", "surprised", "neutral"};
constexpr int kFerSide = 48;

std::vector<std::string> header_fields(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    if (!in || !core::read_line(in, line, path, 1)) return {};
    auto fields = split_csv_line(line);
    for (auto& f : fields) f = core::to_lower(f);
    return fields;
}

void parse_pixels(const std::string& text, std::vector<std::uint8_t>& out, const std::string& path,
                  const std::string& where) {
    std::size_t count = 0;
    const char* p = text.c_str();
    while (*p) {
        while (*p == ' ') ++p;
        if (!*p) break;
        char* end = nullptr;
        const long v = std::strtol(p, &end, 10);
        if (end == p || v < 0 || v > 255 || (*end && *end != ' ')) {
            throw InputError(path, where + ": pixels: expected integers 0..255 separated by spaces");
        }
        out.push_back(std::uint8_t(v));
        ++count;
        p = end;
    }
    if (count != std::size_t(kFerSide * kFerSide)) {
        out.resize(out.size() - count);
        throw InputError(path, where + ": pixels: expected 2304 values (48x48), got " + std::to_string(count));
    }
}
}  // namespace

void FaceImages::append(const FaceImages& other, std::size_t i) {
    ids.push_back(other.ids[i]);
    labels.push_back(other.labels[i]);
    const std::uint8_t* f = other.face(i);
    pixels.insert(pixels.end(), f, f + std::size_t(size) * std::size_t(size));
}

std::vector<std::string> FaceImages::label_set() const { return labels_of(labels); }

bool is_fer2013_csv(const std::string& path) {
    const auto h = header_fields(path);
    return h.size() >= 2 && h[0] == "emotion" && h[1] == "pixels";
}

FaceImages read_fer2013_csv(const std::string& path, const std::string& usage) {
    std::ifstream in(path);
    if (!in) throw InputError(path, "cannot open FER2013 CSV");
    std::string line;
    if (!core::read_line(in, line, path, 1) || !is_fer2013_csv(path)) {
        throw InputError(path, "line 1: expected the FER2013 header emotion,pixels[,Usage]");
    }
    const bool has_usage = header_fields(path).size() >= 3;
    if (!usage.empty() && !has_usage) throw InputError(path, "has no Usage column to select split '" + usage + "'");
    FaceImages out;
    out.source =
        std::filesystem::absolute(path).lexically_normal().string() + (usage.empty() ? "" : " (" + usage + ")");
    out.size = kFerSide;
    const std::string wanted = core::to_lower(usage);
    for (int line_no = 2; core::read_line(in, line, path, line_no); ++line_no) {
        if (core::trim(line).empty()) continue;
        const std::string where = "line " + std::to_string(line_no);
        const auto f = split_csv_line(line);
        if (f.size() != (has_usage ? 3u : 2u)) {
            throw InputError(path, where + ": expected " + std::string(has_usage ? "3" : "2") + " fields, got " +
                                       std::to_string(f.size()));
        }
        if (!wanted.empty() && core::to_lower(f[2]) != wanted) continue;
        const bool id_ok = f[0].size() == 1 && f[0][0] >= '0' && f[0][0] <= '6';
        if (!id_ok) throw InputError(path, where + ": emotion: expected an id 0..6, got '" + f[0] + "'");
        parse_pixels(f[1], out.pixels, path, where);
        out.ids.push_back(path + ":" + std::to_string(line_no));
        out.labels.push_back(kFerLabels[std::size_t(f[0][0] - '0')]);
    }
    if (out.count() == 0) {
        throw InputError(path, usage.empty() ? "no rows" : "no rows with Usage '" + usage + "'");
    }
    return out;
}

void stratified_split(const FaceImages& all, float fraction, int seed, FaceImages& kept, FaceImages& held_out) {
    // Built aside and moved in last, so `all` may be one of the outputs.
    FaceImages keep{all.source, all.size, {}, {}, {}}, hold_out = keep;
    std::map<std::string, std::vector<std::size_t>> by_label;
    for (std::size_t i = 0; i < all.count(); ++i) by_label[all.labels[i]].push_back(i);
    std::mt19937 rng{static_cast<std::uint32_t>(seed)};
    std::vector<bool> hold(all.count(), false);
    for (auto& [label, idx] : by_label) {
        std::shuffle(idx.begin(), idx.end(), rng);
        const auto n = std::min(idx.size(), std::size_t(std::lround(std::max(0.0f, fraction) * float(idx.size()))));
        for (std::size_t k = 0; k < n; ++k) hold[idx[k]] = true;
    }
    for (std::size_t i = 0; i < all.count(); ++i) (hold[i] ? hold_out : keep).append(all, i);
    kept = std::move(keep);
    held_out = std::move(hold_out);
}

}  // namespace emo::data
