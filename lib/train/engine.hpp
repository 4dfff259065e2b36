#pragma once
// The one training loop both modalities run: epoch order, batches, optimisation steps, validation
// and the run directory's bookkeeping, on one process or as one rank of a data-parallel job.
#include <torch/torch.h>

#include <functional>
#include <memory>
#include <random>
#include <vector>

#include "loop.hpp"
#include "emo/process_group.hpp"

namespace emo::train {

struct Batch {
    torch::Tensor inputs, targets;
    torch::Tensor allowed;  // bool, batch x classes: each row's corpus's labels (undefined: every label)
    torch::Tensor corpora;  // int64, each row's corpus index for a corpus adversary (undefined: none)
    torch::Tensor teacher;  // a teacher's probabilities at the distillation temperature (undefined: none)
};

// What a modality contributes: its training samples' order, its batches (augmented and normalised)
// and its validation scores.
class ModalityPart {
public:
    virtual ~ModalityPart() = default;
    virtual long samples() const = 0;
    // The next epoch's order of the training samples, from the last epoch's (0..n-1 before the first).
    virtual void next_order(std::vector<std::int64_t>& order, std::mt19937& rng) const = 0;
    virtual Batch batch(const std::int64_t* samples, long n, std::mt19937& rng) = 0;
    virtual long validation_samples() const = 0;
    // Class probabilities of validation samples [begin, end), in order.
    virtual std::vector<std::vector<float>> validate(long begin, long end) = 0;
    // Figures of the epoch beyond the shared ones (e.g. accuracy per corpus).
    virtual void annotate(EpochRecord&, const std::vector<std::vector<float>>& /*probs*/) const {}
};

// The network being trained. `forward` takes the inputs and the run's progress (0 at the first step,
// 1 at the last), for what ramps up over a run (the corpus adversary's reversed gradient).
struct Trainee {
    torch::nn::Module& net;
    torch::nn::Sequential& trunk;  // frozen when fine-tuning with freeze_features
    std::function<ForwardResult(const torch::Tensor&, double progress)> forward;
};

// What a run knows about the validation data and how it is trained.
struct LoopSettings {
    const config::TrainOptions& train;
    const std::vector<std::string>& labels;
    const std::vector<int>& validation_truth;
    LossOptions loss;
};

// Joins the data-parallel job run.distributed describes; nullptr for a job of one process.
std::shared_ptr<ProcessGroup> join_job(const RunOptions& run);
// Sets LibTorch's threads (train.threads, or the machine's cores shared by its ranks) and seeds the
// generators; returns the data pipeline's generator.
std::mt19937 seeded_generators(const config::TrainOptions& t, const RunOptions& run);

// What a run changes as it goes: the weights' optimiser, the per-epoch bookkeeping (checkpoints, metrics,
// the chosen model), the model file's metadata and the data pipeline's generator.
struct RunState {
    torch::optim::Optimizer& optimizer;
    EpochTracker& tracker;
    models::ModelMetadata& meta;
    std::mt19937& rng;
};

// Resumes (run.resume) and trains epoch after epoch until the last or early stopping. With `group`,
// every rank takes its share of each global batch of train.batch_size samples, gradients are averaged
// over the whole global batch, batch-norm statistics are averaged after every epoch, so the ranks
// hold one model (rank 0's initial weights), and each rank scores its share of the validation data.
void train_epochs(ModalityPart& part, const Trainee& trainee, const LoopSettings& settings, const RunState& state,
                  const RunOptions& run, ProcessGroup* group);

}  // namespace emo::train
