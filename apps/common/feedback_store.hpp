#pragma once
// emo-serve's feedback: corrections people send (POST /v1/feedback) kept as feedback CSVs, one per modality,
// that `emo-train --init MODEL --feedback DIR/speech.csv` (or face.csv) reads as it is. Inputs are named by their
// content's hash (the same input sent twice is one file), so no request ever names a path on the server.
#include <array>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace emo::app {

// What an input is, from its media type: the file extension it is kept under and the model it trains.
struct InputKind {
    std::string extension;  // with its dot: ".wav", ".png", ...
    std::string modality;   // "speech" or "face"
};

struct KeptInput {
    std::string content;
    InputKind kind;
};

struct FeedbackRecord {
    std::string file;  // the input's name in the folder (hash + extension)
    std::string label, csv;
    int rows = 0;  // rows in that CSV after this one
};

class FeedbackStore {
public:
    // Creates `dir` when missing. Throws ConfigError when it cannot (naming the folder).
    explicit FeedbackStore(std::string dir, std::size_t keep_count = 64, std::size_t keep_bytes = 256u << 20);
    // An audio or image media type emo trains on; nullopt for any other (video trains neither model).
    static std::optional<InputKind> kind_of(const std::string& media_type);
    // Keeps a predicted input in memory (the last keep_count, at most keep_bytes) and returns its id, so that a
    // correction can name it instead of sending it again.
    std::string keep(KeptInput input);
    std::optional<KeptInput> kept(const std::string& id) const;
    // Stores the input under its hash and appends `path,label,x,y,width,height` to the modality's CSV. Throws
    // ConfigError for a label that is not a label word or a box with a non-positive size.
    FeedbackRecord record(const KeptInput& input, const std::string& label,
                          const std::optional<std::array<int, 4>>& box);

private:
    std::string dir_;
    std::size_t keep_count_, keep_bytes_;
    mutable std::mutex m_;
    std::deque<std::pair<std::string, KeptInput>> recent_;  // oldest first
    std::size_t recent_bytes_ = 0;
    std::map<std::string, int> rows_;  // rows in each modality's CSV, counted once when first written to
};

}  // namespace emo::app
