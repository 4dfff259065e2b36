#pragma once
// The prediction JSON lines emo-predict --json writes (emo::to_json_line: one per speech clip, or per image
// with every face in it), read back for emo-fuse.
#include <optional>
#include <string>

#include "emo/fusion.hpp"

namespace emo::fusion {

// A prediction emo-predict --json wrote (its first line): a speech clip's scores, or an image's
// largest face (nullopt when it found none). Throws InputError naming the file when it is not one.
struct SavedPrediction {
    std::string file, modality;
    std::optional<Scores> scores;
};
SavedPrediction read_prediction_json(const std::string& path);

}  // namespace emo::fusion
