#pragma once
// Pieces every training loop shares: class weights, the learning-rate schedule, mixup sampling,
// and the end-of-epoch bookkeeping (best/last models, history, early stopping).
#include <torch/torch.h>

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>

#include "checkpoint.hpp"
#include "emo/model_file.hpp"
#include "emo/train.hpp"

namespace emo::train {

// Inverse-frequency weights raised to t.class_weight_power (all 1 when disabled); a class without
// samples gets 0.
torch::Tensor class_weights(const std::vector<int>& labels, int num_classes, const config::TrainOptions& t);
// The same from (expected) clips per class, which sum to the number of clips.
torch::Tensor class_weights(const std::vector<double>& counts, const config::TrainOptions& t);
// Cross-entropy with class weights and label smoothing, restricted per row to the classes `allowed`
// (bool, batch x classes): the other classes' logits get no gradient and no smoothing mass, so a clip
// from a corpus without `surprised` never teaches "not surprised". With every class allowed (or
// `allowed` undefined) it equals torch's cross_entropy with the same options (mean reduction).
torch::Tensor masked_cross_entropy(const torch::Tensor& logits, const torch::Tensor& target,
                                   const torch::Tensor& allowed, const torch::Tensor& weight, double label_smoothing);
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

// What a training forward pass gives: the class logits and, with a corpus adversary, the corpus
// classifier's logits (undefined otherwise), both fp32.
struct ForwardResult {
    torch::Tensor logits, corpus_logits;
};
using TrainingForward = std::function<ForwardResult(const torch::Tensor&)>;

// What a batch is scored against: class indices; `allowed` (bool, batch x classes, or undefined for
// all) the classes each row's loss ranges over (see masked_cross_entropy); `corpora` each row's corpus
// index for the corpus classifier (undefined without one); `teacher` a teacher's class probabilities
// at the distillation temperature (batch x classes, undefined without one).
struct StepTargets {
    torch::Tensor classes, allowed, corpora, teacher;
};

struct LossOptions {
    torch::nn::functional::CrossEntropyFuncOptions cross_entropy;
    // With w > 0 the loss is (1 - w) * masked + w * unmasked, so a corpus's missing labels are pushed down a little.
    double missing_label_weight = 0;
    float mixup_alpha = 0;  // mixup of batch pairs when > 0
    // With a teacher's probabilities: (1 - weight) x the class loss + weight x T^2 x KL(teacher || student at T).
    double distill_weight = 0, distill_temperature = 1;
};

// T^2 x KL(teacher || softmax(logits / T)), the mean over the batch: the distillation term, scaled so
// its gradient keeps its size whatever the temperature.
torch::Tensor distillation_loss(const torch::Tensor& logits, const torch::Tensor& teacher_probs, double temperature);

// Summed over an epoch's batches.
struct EpochSums {
    double loss = 0;
    long correct = 0, seen = 0;
    long corpus_correct = 0, corpus_seen = 0;  // the corpus classifier's right guesses, of how many
};

// One optimisation step on a batch at learning rate `lr`, calling `synchronise` between backward and the step
// (data-parallel gradients). The loss is the class loss plus, when the forward pass gives corpus logits, the corpus
// classifier's cross-entropy (its gradient reaches the trunk reversed: SpeechCnn::forward_with_corpus). Accumulates
// the batch's summed loss and correct predictions into the epoch's.
void optimise_step(const TrainingForward& forward, torch::optim::Optimizer& optimizer, torch::Tensor inputs,
                   const StepTargets& targets, const LossOptions& loss_options, double lr, std::mt19937& rng,
                   EpochSums& sums, const std::function<void()>& synchronise = {});
// The epoch's record from its sums, validation score, learning rate and start time.
EpochRecord epoch_record(int epoch, double lr, const EpochSums& sums, const ValidationScore& val,
                         std::chrono::steady_clock::time_point start);

// Creates the run directory. Throws RuntimeError naming it when that fails.
void create_run_dir(const std::string& dir);

// Fine-tuning with a frozen trunk: its parameters get no gradients...
void freeze(torch::nn::Sequential& trunk);
// ...the optimiser sees only the parameters that do...
std::vector<torch::Tensor> trainable(torch::nn::Module& net);
// ...and its batch-norm statistics stay as they were while the rest trains.
void train_mode(torch::nn::Module& net, torch::nn::Sequential& trunk, bool trunk_frozen);

// The labels a run trains: the data's own, or for fine-tuning the parent's followed by the labels
// of the data the parent lacks (when extend_labels; otherwise such a label is refused, naming it).
std::vector<std::string> run_labels(const std::vector<std::string>& data_labels, const std::string& data_source,
                                    const models::ModelMetadata* parent, const InitOptions& init);
// Validation metrics of class scores over the first scores.size() of `labels` (a parent model
// scored before its classifier was extended).
eval::Metrics metrics_of_scores(const std::vector<std::vector<float>>& scores, const std::vector<int>& truth,
                                const std::vector<std::string>& labels);

// Keeps the run directory current after every epoch: model.pt at the best validation accuracy (or
// every epoch with run.keep_last), last.pt, metrics.csv/json and checkpoint.pt; records the run as a
// stage of the model's lineage; says when early stopping is due; and offers the weight average.
class EpochTracker {
public:
    // `parent`: the model being fine-tuned (nullptr when training from scratch); `metrics_before`:
    // its validation metrics before training.
    EpochTracker(const RunOptions& run, TrainResult& result, int patience, const models::ModelMetadata* parent,
                 const eval::Metrics* metrics_before);
    // Resumes from run.out_dir/checkpoint.pt when run.resume and it exists: restores the network,
    // optimiser, generators, `meta` and `order`. Returns the progress to continue from.
    const Progress& resume(torch::nn::Module& net, torch::optim::Optimizer& optimizer, std::mt19937& rng,
                           models::ModelMetadata& meta, std::vector<std::int64_t>* order = nullptr);
    const Progress& progress() const { return progress_; }
    // What the network trains in, for validation.json and TrainResult.
    void set_precision(Precision precision) { result_.precision = precision_name(precision); }
    long next_step() { return progress_.step++; }
    // Returns true when training should stop (early stopping or the last epoch).
    bool finish(const EpochRecord& rec, const eval::Metrics& metrics, models::ModelMetadata& meta,
                torch::nn::Module& net, torch::optim::Optimizer& optimizer, const std::mt19937& rng, int epochs,
                const std::vector<std::int64_t>& order = {});
    // train.average_last: the running mean of the epochs' weights (restored by resume, kept in checkpoints).
    WeightAverage& average() { return average_; }
    // After the last epoch, the mean weights (now in `net`, batch-norm statistics recomputed) scored
    // `metrics`: saves them as average.pt, and as model.pt when they beat every single epoch.
    void finish_average(const eval::Metrics& metrics, models::ModelMetadata& meta, torch::nn::Module& net,
                        torch::optim::Optimizer& optimizer, const std::mt19937& rng,
                        const std::vector<std::int64_t>& order);
    // validation.txt and validation.json of model.pt, headed by `what` ("held-out speakers").
    void write_validation(const std::string& what) const;

private:
    nlohmann::json lineage_with_this_stage(const models::ModelMetadata& meta, const eval::Metrics& after) const;
    std::string averaged_epochs() const;  // "epochs 76-100"
    std::string chosen() const;           // TrainResult::chosen
    void save_checkpoint_now(torch::nn::Module& net, torch::optim::Optimizer& optimizer, const std::mt19937& rng,
                             const models::ModelMetadata& meta, const std::vector<std::int64_t>& order) const;

    const RunOptions& run_;
    TrainResult& result_;
    int patience_;
    nlohmann::json parent_lineage_ = nlohmann::json::array();
    std::vector<std::string> parent_labels_;
    nlohmann::json stage_;
    Progress progress_;
    WeightAverage average_;
};

}  // namespace emo::train
