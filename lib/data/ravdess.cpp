#include <algorithm>
#include <filesystem>

#include "emo/core.hpp"
#include "emo/data.hpp"
#include "emo/error.hpp"

namespace emo::data {
namespace fs = std::filesystem;

namespace {
bool is_audio_extension(const fs::path& p) {
    static const std::vector<std::string> exts{".wav", ".flac", ".ogg", ".aiff", ".aif", ".mp3", ".opus"};
    const std::string ext = core::to_lower(p.extension().string());
    return std::find(exts.begin(), exts.end(), ext) != exts.end();
}
}  // namespace

// Fields: modality-channel-emotion-intensity-statement-repetition-actor, two digits each.
Sample parse_ravdess_name(const std::string& path) {
    const std::string stem = fs::path(path).stem().string();
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (;;) {
        const std::size_t dash = stem.find('-', start);
        fields.push_back(stem.substr(start, dash - start));
        if (dash == std::string::npos) break;
        start = dash + 1;
    }
    const auto two_digits = [](const std::string& f) {
        return f.size() == 2 && std::isdigit(static_cast<unsigned char>(f[0])) &&
               std::isdigit(static_cast<unsigned char>(f[1]));
    };
    if (fields.size() != 7 || !std::all_of(fields.begin(), fields.end(), two_digits)) {
        throw InputError(path,
                         "not a RAVDESS file name: expected 7 two-digit fields like "
                         "03-01-05-02-01-01-12, got '" +
                             stem + "'");
    }
    const int emotion = std::stoi(fields[2]);
    const auto& labels = canonical_labels();  // RAVDESS codes 01..08 are the canonical order
    if (emotion < 1 || emotion > int(labels.size())) {
        throw InputError(path, "RAVDESS emotion field (3rd): expected 01..08, got " + fields[2]);
    }
    if (std::stoi(fields[6]) < 1) {
        throw InputError(path, "RAVDESS actor field (7th): expected 01..99, got " + fields[6]);
    }
    return Sample{path, labels[std::size_t(emotion - 1)], fields[6], ""};
}

Dataset read_ravdess(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw InputError(dir, "not a directory");
    Dataset ds;
    ds.source = fs::absolute(dir).lexically_normal().string();
    for (fs::recursive_directory_iterator it(dir, ec), end; it != end; it.increment(ec)) {
        if (ec) throw InputError(dir, "cannot list: " + ec.message());
        if (it->is_regular_file() && is_audio_extension(it->path())) {
            ds.samples.push_back(parse_ravdess_name(it->path().string()));
        }
    }
    if (ds.samples.empty()) throw InputError(dir, "no audio files (.wav, .flac, ...) found");
    std::sort(ds.samples.begin(), ds.samples.end(), [](const Sample& a, const Sample& b) { return a.path < b.path; });
    return ds;
}

Dataset read_speech_dataset(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        const fs::path manifest = fs::path(path) / "manifest.csv";
        return fs::is_regular_file(manifest, ec) ? read_manifest(manifest.string()) : read_ravdess(path);
    }
    if (core::to_lower(fs::path(path).extension().string()) == ".csv") return read_manifest(path);
    if (!fs::exists(path, ec)) throw InputError(path, "no such file or directory");
    throw InputError(
        path,
        "expected a RAVDESS-style folder, a folder with a manifest.csv, or a manifest CSV (path,label[,speaker])");
}

}  // namespace emo::data
