#pragma once
// A model scored on a labelled dataset: the predictions emo-eval and emo::Evaluator compute their
// figures from. An advanced layer below emo.hpp (no LibTorch or OpenCV here either).
#include <map>
#include <string>
#include <vector>

#include "emo/emo.hpp"
#include "emo/eval.hpp"
#include "emo/precision.hpp"

namespace emo::api {

struct ScoringRequest {
    std::string model_path, data_path;
    std::string split;                          // face data: the split folder or FER2013 Usage value (empty: none)
    std::vector<std::string> speakers;          // speech data: only these speakers (empty: all)
    std::string speakers_setting = "speakers";  // how errors name `speakers` (emo-eval: "--speakers")
    Crop crop = Crop::kAuto;
    int threads = 0;  // decoding workers; 0: all cores
    // Speech models trained with input.speaker_norm: "speaker" (the data's speakers), "batch" (all clips one
    // group) or "none" (each clip alone).
    std::string normalize = "speaker";
    std::string device = "cpu";              // where the model runs: cpu, cuda or cuda:N
    Precision precision = Precision::kAuto;  // what it runs in (auto: bf16 where the CPU has it)
    // Closed set: each prediction is chosen among the labels the scored data has (its score renormalised over
    // them), the protocol of cross-corpus comparisons scored on shared labels. Off: any model label can be predicted.
    bool closed_set = false;
};

struct ScoredData {
    std::vector<std::string> labels;       // the model's
    std::vector<int> truth, predicted;     // per scored item, indices into labels
    std::vector<float> confidence;         // per scored item, the predicted label's score
    std::vector<std::string> ids;          // file (or CSV row) per scored item
    std::string description;               // the data, and how its labels relate to the model's
    std::vector<std::string> data_labels;  // labels of the scored items
    std::map<std::string, int> unscored;   // speech: clips of labels the model lacks, per label
    std::string precision;                 // what the network ran in
    std::vector<std::string> problems;     // inputs that could not be read, each "path: why" (left out)
};

// Loads the model (on the request's device, in its precision) and scores every labelled item of the data. Throws
// ConfigError for a data label the model lacks (face data) or a speaker selection that matches nothing, InputError for
// unreadable data or when no speech clip has a label the model knows.
ScoredData score_dataset(const ScoringRequest& request);

// Accuracy, per-class figures, the collapse figures and the expected calibration error of scored data.
eval::Metrics metrics_of(const ScoredData& scored);

}  // namespace emo::api
