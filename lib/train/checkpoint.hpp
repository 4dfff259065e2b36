#pragma once
// Checkpoints: everything a run needs to continue exactly where it stopped (weights, optimiser
// state, both random generators, progress, the best epoch so far and the weight average), written
// atomically.
#include <torch/torch.h>

#include <random>

#include "emo/models.hpp"
#include "emo/train.hpp"
#include "weight_average.hpp"

namespace emo::train {

// How far a run has come: what the end-of-epoch bookkeeping needs to go on.
struct Progress {
    int epoch = 0;          // last completed epoch
    long step = 0;          // optimisation steps taken
    bool finished = false;  // the run ended (last epoch or early stop)
    bool averaged = false;  // train.average_last: the mean weights were scored (after the last epoch)
    double best_accuracy = -1.0;
    int best_epoch = 0;
    bool best_is_average = false;                  // the mean weights validated better than every single epoch
    std::vector<std::vector<int>> best_confusion;  // validation confusion matrix of the best epoch
    std::vector<EpochRecord> history;
};

struct Checkpoint {
    Progress progress;
    models::ModelMetadata metadata;   // of the model being trained
    std::vector<std::int64_t> order;  // sample order a loop carries from epoch to epoch (may be empty)
    WeightAverage average;            // train.average_last's running mean (empty before its epochs)
};

// Writes `path` atomically (core::write_file_atomic): `net`, `optimizer`, the torch and `rng` generator
// states and `checkpoint`. Throws RuntimeError when it cannot be written.
void save_checkpoint(const std::string& path, torch::nn::Module& net, torch::optim::Optimizer& optimizer,
                     const std::mt19937& rng, const Checkpoint& checkpoint);
// Restores what save_checkpoint wrote into `net`, `optimizer` and the generators. Throws InputError
// naming the file when it is missing, truncated, of another modality or an incompatible version.
Checkpoint load_checkpoint(const std::string& path, const std::string& modality, torch::nn::Module& net,
                           torch::optim::Optimizer& optimizer, std::mt19937& rng);

}  // namespace emo::train
