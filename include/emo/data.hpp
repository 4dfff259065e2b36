#pragma once
// Datasets: canonical labels, readers (RAVDESS names, manifest CSV), speaker-independent splits,
// and the on-disk feature cache.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emo/audio.hpp"

namespace emo::data {

// neutral calm happy sad angry fearful disgust surprised
const std::vector<std::string>& canonical_labels();
// Maps a dataset spelling ("fear", "Surprise", "anger", ...) onto a canonical label; nullopt if unknown.
std::optional<std::string> canonical_label(std::string_view name);

struct Sample {
    std::string path;     // readable path (absolute or relative to the working directory)
    std::string label;    // canonical label
    std::string speaker;  // empty when unknown
};

struct Dataset {
    std::string source;   // what was read, for the model's metadata
    std::vector<Sample> samples;
    // Labels present, in canonical order.
    std::vector<std::string> labels() const;
};

// "03-01-05-02-01-01-12.flac" -> {label "angry", speaker "12"}. Throws InputError naming the file
// and the field that is malformed.
Sample parse_ravdess_name(const std::string& path);
// Every audio file below `dir` (recursively), sorted by path. Throws InputError on a malformed name
// or when no clip is found.
Dataset read_ravdess(const std::string& dir);
// CSV with header `path,label[,speaker]`; paths relative to the CSV's folder. Throws InputError
// naming the file and line of a bad row, ConfigError for a label that is not canonical.
Dataset read_manifest(const std::string& csv_path);
// A folder (RAVDESS layout) or a manifest CSV.
Dataset read_speech_dataset(const std::string& path);

struct Split {
    std::vector<Sample> train, validation;
};
// Samples whose speaker is in `held_out` go to validation. Throws ConfigError when a held-out
// speaker has no samples or a sample has no speaker.
Split split_by_speaker(const std::vector<Sample>& samples, const std::vector<std::string>& held_out);
// k folds grouped by speaker (speakers dealt round-robin in sorted order); fold i validates on
// the i-th group. Throws ConfigError when k < 2 or k > number of speakers.
std::vector<Split> kfold_by_speaker(const std::vector<Sample>& samples, int k);
// The samples of `speakers` only. Throws ConfigError "<field>: speaker 'X' has no samples in the data".
std::vector<Sample> select_speakers(const std::vector<Sample>& samples, const std::vector<std::string>& speakers,
                                    const std::string& field = "speakers");
// Sorted distinct speakers.
std::vector<std::string> speakers_of(const std::vector<Sample>& samples);

// Per-clip feature cache on disk. Entries are keyed by the clip's path, size and modification
// time and by `fingerprint` (a serialisation of every setting that shapes the features), so a
// changed file or config never returns stale features.
class FeatureCache {
public:
    // `dir` empty: $EMO_CACHE_DIR, else $XDG_CACHE_HOME/emo/features, else ~/.cache/emo/features.
    FeatureCache(std::string dir, std::string fingerprint);
    std::optional<audio::Features> get(const std::string& path) const;
    void put(const std::string& path, const audio::Features& features) const;  // best effort
    const std::string& dir() const { return dir_; }

private:
    std::string entry_path(const std::string& path) const;
    std::string dir_, fingerprint_;
};

}  // namespace emo::data
