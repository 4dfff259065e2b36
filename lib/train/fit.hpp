#pragma once
// One training run for any modality: fit() owns the run's setup (run directory, job, seeds, the model
// to fine-tune, labels, metadata, optimiser, tracker) and its epochs; a Task supplies only what differs
// between modalities: data, network and metrics.
#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

#include "emo/train.hpp"
#include "engine.hpp"

namespace emo::train {

using Info = std::function<void(const std::string&)>;

// A modality's side of a run. fit() calls these in the order they are declared.
class Task {
public:
    virtual ~Task() = default;
    // Refuses data that cannot be trained on, before any work.
    virtual void check() const {}
    // Every label of the training and validation data, and where the data comes from (for errors).
    virtual std::vector<std::string> data_labels() const = 0;
    virtual const std::string& source() const = 0;
    // The network to fine-tune, with its metadata in `parent`.
    virtual void load_parent(const std::string& path, models::ModelMetadata& parent) = 0;
    // What the run trains and validates on, in the run directory (split.json).
    virtual void write_split(const std::string& out_dir) const = 0;
    // Turns the data into the network's inputs for `labels`; sets meta.trained_on and the feature
    // statistics (the parent's when fine-tuning).
    virtual void prepare(const std::vector<std::string>& labels, models::ModelMetadata& meta,
                         const models::ModelMetadata* parent, const Info& info) = 0;
    // Fine-tuning: the parent's figures on the validation data before any step.
    virtual eval::Metrics metrics_before(const std::vector<std::string>& labels, const models::ModelMetadata& meta) = 0;
    // A new network for the labels, or the parent's grown to them (its trunk frozen if asked).
    virtual void build_network(int classes, const InitOptions& init, const Info& info) = 0;
    virtual torch::nn::Module& network() = 0;
    // The loss, its class weights and what the batches need beyond the inputs.
    virtual LossOptions loss(const std::vector<std::string>& labels, const Info& info) = 0;
    // The batches and validation scores; `meta` is the run's (a resumed run reads it from the checkpoint).
    virtual ModalityPart& part(const std::vector<std::string>& labels, const models::ModelMetadata& meta) = 0;
    virtual Trainee trainee() = 0;
    virtual const std::vector<int>& validation_truth() const = 0;
    // After the last epoch, with the chosen model written (e.g. fitting a temperature).
    virtual void after_training(TrainResult& /*result*/, const std::vector<std::string>& /*labels*/,
                                const RunOptions& /*run*/, const Info& /*info*/) {}
    // What validation.txt says the figures are of ("validation clips").
    virtual std::string validated_on() const = 0;
};

// Trains `task` under `train`'s settings and writes the run directory; `config_yaml` is the resolved
// config the model file keeps. Throws ConfigError for a device or precision this machine cannot run,
// InputError for data with fewer than two labels.
TrainResult fit(Task& task, const config::TrainOptions& train, const std::string& modality,
                const std::string& config_yaml, const RunOptions& run);

}  // namespace emo::train
