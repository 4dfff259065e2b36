#pragma once
// The prediction JSON lines: emo-predict --json writes one per input (a speech clip, or an image and
// every face in it), and emo-fuse reads them back. Written and read here only.
#include <string>
#include <vector>

#include "emo/fusion.hpp"
#include "emo/models.hpp"

namespace emo::fusion {

// {"file":..,"modality":"speech","label":..,"confidence":..,"scores":{label: p, ...}}, or
// {"file":..,"modality":"speech","no_speech":true}; scores in the model's label order.
std::string speech_prediction_json(const models::ClipPrediction& p, const std::vector<std::string>& labels);
// {"file":..,"modality":"face","found_by":..,"faces":[{"box":[x,y,w,h],"landmarks":[[x,y]...],
// "label":..,"confidence":..,"scores":{...}}, ...]} (landmarks only from a detector that gives them).
std::string image_prediction_json(const models::ImagePrediction& p, const std::vector<std::string>& labels);

// A prediction emo-predict --json wrote (its first line): a speech clip's scores, or an image's
// largest face (nullopt when it found none). Throws InputError naming the file when it is not one.
struct SavedPrediction {
    std::string file, modality;
    std::optional<Scores> scores;
};
SavedPrediction read_prediction_json(const std::string& path);

}  // namespace emo::fusion
