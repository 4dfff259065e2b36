#pragma once
// Datasets: canonical labels, readers (RAVDESS names, manifest CSV), speaker-independent splits,
// and the on-disk feature cache.
#include <array>
#include <cstdint>
#include <map>
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
// A label as every reader accepts it: the canonical label for a known spelling, else the text as a
// new lower-case label word (letters, digits, _ and -, starting with a letter), as a model trained
// with --extend-labels knows it (e.g. contempt). nullopt when the text is no such word.
std::optional<std::string> label_word(std::string_view text);

struct Sample {
    std::string path;     // readable path (absolute or relative to the working directory)
    std::string label;    // canonical label, or a new label word (label_word)
    std::string speaker;  // empty when unknown; "<corpus>/<speaker>" when several corpora are read together
    std::string corpus;   // the corpus the sample comes from (see read_speech_corpora); empty when unknown
};

// Labels present: canonical ones in canonical order, then any others (e.g. "contempt") sorted.
std::vector<std::string> labels_of(const std::vector<std::string>& labels);
std::vector<std::string> labels_of(const std::vector<Sample>& samples);

struct Dataset {
    std::string source;  // what was read, for the model's metadata
    std::vector<Sample> samples;
    std::vector<std::string> labels() const { return labels_of(samples); }
};

// "03-01-05-02-01-01-12.flac" -> {label "angry", speaker "12"}. Throws InputError naming the file
// and the field that is malformed.
Sample parse_ravdess_name(const std::string& path);
// Every audio file below `dir` (recursively), sorted by path. Throws InputError on a malformed name
// or when no clip is found.
Dataset read_ravdess(const std::string& dir);
// CSV with header `path,label[,speaker]`; paths relative to the CSV's folder; labels as label_word
// reads them. Throws InputError naming the file and line of a bad row.
Dataset read_manifest(const std::string& csv_path);

// The speaker of each file, from a CSV with `path` and `speaker` columns in any order (a manifest
// path,label,speaker is one); relative paths are relative to the CSV. Throws InputError naming the CSV for a
// missing file, header or field.
struct SpeakerMap {
    std::string source;
    std::map<std::string, std::string> speaker_of;  // absolute normalised path -> speaker
    // Throws InputError naming `file` when the list does not have it.
    const std::string& speaker(const std::string& file) const;
};
SpeakerMap read_speaker_map(const std::string& csv_path);
// A folder (RAVDESS layout, or holding a manifest.csv) or a manifest CSV.
Dataset read_speech_dataset(const std::string& path);

// One corpus of a multi-corpus run: where it is and what it is called.
struct CorpusPath {
    std::string path;
    std::string name;  // empty: corpus_name(path)
};
// The name a corpus gets from its path: the folder's name ("ravdess"); for a CSV, its folder's name
// when the file is called manifest.csv ("ased/manifest.csv" -> "ased"), else the file's stem.
std::string corpus_name(const std::string& path);
// Several speech corpora as one dataset. Every sample's `corpus` is its corpus's name; with more than
// one corpus, speakers become "<corpus>/<speaker>" so that speakers of different corpora never merge
// (RAVDESS "01" and another corpus's "01"). Throws ConfigError when two corpora have the same name,
// InputError as read_speech_dataset does.
Dataset read_speech_corpora(const std::vector<CorpusPath>& corpora);
// Sorted distinct corpus names of `samples`.
std::vector<std::string> corpora_of(const std::vector<Sample>& samples);
// The labels each corpus has, in labels_of order: corpus name -> labels.
std::map<std::string, std::vector<std::string>> labels_per_corpus(const std::vector<Sample>& samples);

// A feedback CSV: files with the labels a user gave them. Header with columns path (or file) and
// label, optionally x,y,width,height (a face box, as emo-predict --csv writes them); other columns
// are ignored, so an edited emo-predict --csv file is feedback as it stands. Rows with an empty
// label are skipped (counted). Labels are canonical where known, else kept as a new label word.
struct FeedbackRow {
    Sample sample;
    std::optional<std::array<int, 4>> box;  // x, y, width, height in the image
};
struct Feedback {
    std::string source;
    std::vector<FeedbackRow> rows;
    int unlabelled = 0;
    std::vector<Sample> samples() const;
};
// Throws InputError naming the file and line of a bad row, or when no row has a label.
Feedback read_feedback(const std::string& csv_path);

// A paired set for fusion: a face image and a speech clip with one emotion. CSV header
// face,speech,label (paths relative to the CSV's folder; labels as label_word reads them).
struct Pair {
    std::string face, speech, label;
};
// Throws InputError naming the file and line of a bad row, or when there are no rows.
std::vector<Pair> read_pairs(const std::string& csv_path);

struct Split {
    std::vector<Sample> train, validation;
};
// Samples whose speaker is in `held_out` go to validation. Throws ConfigError when a held-out
// speaker has no samples or a sample has no speaker.
Split split_by_speaker(const std::vector<Sample>& samples, const std::vector<std::string>& held_out);
// k folds grouped by speaker: each corpus's speakers are dealt round-robin in sorted order, so fold i
// validates on the i-th group of every corpus. Throws ConfigError when k < 2 or k exceeds the number
// of speakers of a corpus.
std::vector<Split> kfold_by_speaker(const std::vector<Sample>& samples, int k);
// Leave-one-corpus-out: fold i validates on every sample of the i-th corpus (sorted by name) and
// trains on the others. Throws ConfigError when there are fewer than two corpora.
std::vector<Split> folds_by_corpus(const std::vector<Sample>& samples);
// Stratified k folds: the fold (0..k-1) of every item, each label's items shuffled with `seed` and
// dealt round-robin, so every fold has about 1/k of each label. Throws ConfigError when k < 2 or
// k > number of items.
std::vector<int> stratified_folds(const std::vector<std::string>& labels, int k, int seed);
// The samples of `speakers` only. Throws ConfigError "<field>: speaker 'X' has no samples in the data".
std::vector<Sample> select_speakers(const std::vector<Sample>& samples, const std::vector<std::string>& speakers,
                                    const std::string& field = "speakers");
// Sorted distinct speakers.
std::vector<std::string> speakers_of(const std::vector<Sample>& samples);

// Class distribution, overall and per speaker (speakers only where samples name one).
struct Description {
    std::vector<std::string> labels, speakers;
    std::vector<int> per_label;
    std::vector<std::vector<int>> per_speaker;  // [speaker][label]
    std::string text() const;                   // the two tables
};
Description describe(const std::vector<Sample>& samples);

// Class-folder tree: every image below `dir/<label>/` (folder names mapped onto canonical labels,
// e.g. fear -> fearful, or new label words such as contempt; hidden folders skipped). Sorted by
// path. Throws InputError for a folder name that is no label word or when no image is found.
Dataset read_image_folder(const std::string& dir);

// Face crops in memory (decoded once), as training and evaluation use them.
struct FaceImages {
    std::string source;
    int size = 48;                     // each face is size x size, 8-bit grayscale
    std::vector<std::string> ids;      // file path, or "file.csv:line"
    std::vector<std::string> labels;   // canonical label per face
    std::vector<std::uint8_t> pixels;  // count() * size * size, row-major
    std::size_t count() const { return ids.size(); }
    const std::uint8_t* face(std::size_t i) const { return pixels.data() + i * std::size_t(size) * std::size_t(size); }
    void append(const FaceImages& other, std::size_t i);  // copies face i of `other`
    std::vector<std::string> label_set() const;           // labels present, in canonical order
};

// The FER2013 CSV (header `emotion,pixels,Usage`, 48x48 pixels as 2304 space-separated values;
// emotion ids 0 angry .. 6 neutral). `usage` (case-insensitive) keeps only that split; empty keeps
// all. Throws InputError naming the file and line of a bad row.
FaceImages read_fer2013_csv(const std::string& path, const std::string& usage);
// Whether `path` is a FER2013-format CSV (by its header).
bool is_fer2013_csv(const std::string& path);
// Seeded split keeping each label's proportion: about `fraction` of every label goes to `held_out`.
void stratified_split(const FaceImages& all, float fraction, int seed, FaceImages& kept, FaceImages& held_out);

// Per-clip feature cache on disk. Entries are keyed by the clip's path, size and modification
// time and by `fingerprint` (a serialisation of every setting that shapes the features), so a
// changed file or config never returns stale features.
class FeatureCache {
public:
    // `dir` empty: $EMO_CACHE_DIR, else $XDG_CACHE_HOME/emo/features, else ~/.cache/emo/features.
    FeatureCache(std::string dir, std::string fingerprint);
    std::optional<audio::Features> get(const std::string& path) const;
    // Best effort: false when the entry could not be written (a read-only or full disk).
    bool put(const std::string& path, const audio::Features& features) const;
    const std::string& dir() const { return dir_; }

private:
    std::string entry_path(const std::string& path) const;
    std::string dir_, fingerprint_;
};

}  // namespace emo::data
