#pragma once
// Pieces every training loop shares: class weights, the learning-rate schedule, mixup sampling,
// and the end-of-epoch bookkeeping (best/last models, history, early stopping).
#include <torch/torch.h>

#include <chrono>
#include <functional>
#include <random>

#include "emo/model_file.hpp"
#include "emo/train.hpp"

namespace emo::train {

// Inverse-frequency weights raised to t.class_weight_power (all 1 when disabled); a class without
// samples gets 0.
torch::Tensor class_weights(const std::vector<int>& labels, int num_classes, const config::TrainOptions& t);
// Learning rate at `step` of `total` for the configured schedule.
double scheduled_lr(const config::TrainOptions& t, long step, long total);
// lambda ~ Beta(alpha, alpha).
double sample_beta(float alpha, std::mt19937& rng);
// A random permutation of 0..n-1.
torch::Tensor shuffled_indices(long n, std::mt19937& rng);

// Validation metrics and mean negative log-likelihood of class probabilities against `truth`.
struct ValidationScore {
    eval::Metrics metrics;
    double loss = 0;
};
ValidationScore score_validation(const std::vector<std::vector<float>>& probs, const std::vector<int>& truth,
                                 const std::vector<std::string>& labels);

// One optimisation step on a batch at learning rate `lr`, with mixup of batch pairs when
// mixup_alpha > 0. Accumulates the batch's summed loss and correct predictions into the epoch's.
struct EpochSums {
    double loss = 0;
    long correct = 0, seen = 0;
};
void optimise_step(const std::function<torch::Tensor(const torch::Tensor&)>& forward, torch::optim::Optimizer& optimizer,
                   torch::Tensor inputs, const torch::Tensor& target, double lr, float mixup_alpha,
                   const torch::nn::functional::CrossEntropyFuncOptions& loss_options, std::mt19937& rng,
                   EpochSums& sums);
// The epoch's record from its sums, validation score, learning rate and start time.
EpochRecord epoch_record(int epoch, double lr, const EpochSums& sums, const ValidationScore& val,
                         std::chrono::steady_clock::time_point start);

// Keeps the run directory current after every epoch: model.pt at the best validation accuracy,
// last.pt always, metrics.csv/json; and says when early stopping is due.
class EpochTracker {
public:
    EpochTracker(const RunOptions& run, TrainResult& result, int patience);
    // Returns true when training should stop early.
    bool finish(const EpochRecord& rec, const eval::Metrics& metrics, models::ModelMetadata& meta,
                torch::nn::Module& net);
    // validation.txt and validation.json for the best epoch, headed by `what` ("held-out speakers").
    void write_validation(const std::string& what) const;

private:
    const RunOptions& run_;
    TrainResult& result_;
    int patience_;
    double best_accuracy_ = -1.0;
};

}  // namespace emo::train
