#pragma once
// The data of a training run as emo-train assembles it: the new labelled data (dataset and/or
// feedback), a replay sample of the original training data, and the validation data.
#include <string>
#include <vector>

#include "emo/config.hpp"
#include "emo/data.hpp"
#include "emo/training_job.hpp"

namespace emo::train {

struct SpeechRunData {
    std::string description;  // for the model's trained_on
    nlohmann::json data;      // for the model's training_data and lineage
    data::Split split;
    bool validation_is_training_data = false;
};
// `run` hears what was replayed and warnings (replay data not found).
SpeechRunData speech_finetune_data(const TrainRequest& request, const config::SpeechConfig& config,
                                   const RunOptions& run);

struct FaceRunData {
    data::FaceImages train, validation;
    nlohmann::json data;  // for the model's training_data and lineage
    bool validation_is_training_data = false;
};
// From scratch: the config's train/validation splits, or a stratified held-out fraction.
FaceRunData face_training_data(const TrainRequest& request, const config::FaceConfig& config,
                               std::vector<std::string>& problems, const RunOptions& run);
FaceRunData face_finetune_data(const TrainRequest& request, const config::FaceConfig& config,
                               std::vector<std::string>& problems, const RunOptions& run);

}  // namespace emo::train
