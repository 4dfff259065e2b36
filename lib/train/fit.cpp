#include "fit.hpp"

#include <optional>

#include "emo/core.hpp"
#include "emo/error.hpp"
#include "emo/models.hpp"

namespace emo::train {

TrainResult fit(Task& task, const config::TrainOptions& train, const std::string& modality,
                const std::string& config_yaml, const RunOptions& run) {
    models::resolved({train.device, train.precision}, "train.precision");  // refused before any work
    const Info info = [&run](const std::string& line) { run.info(line); };
    if (run.writes_files()) create_run_dir(run.out_dir);
    task.check();
    const auto group = join_job(run);
    std::mt19937 rng = seeded_generators(train, run);

    models::ModelMetadata parent;
    const bool fine_tuning = !run.init.model_path.empty();
    if (fine_tuning) task.load_parent(run.init.model_path, parent);
    const auto labels = run_labels(task.data_labels(), task.source(), fine_tuning ? &parent : nullptr, run.init);
    const int classes = int(labels.size());
    if (classes < 2)
        throw InputError(task.source(), "needs at least two labels to train, found " + std::to_string(classes));
    if (run.writes_files()) {
        core::write_file_atomic(run.out_dir + "/config.yaml", config_yaml);
        task.write_split(run.out_dir);
    }

    models::ModelMetadata meta;
    meta.modality = modality;
    meta.labels = labels;
    meta.config_yaml = config_yaml;
    meta.emo_version = kVersion;
    task.prepare(labels, meta, fine_tuning ? &parent : nullptr, info);
    std::optional<eval::Metrics> before;
    if (fine_tuning) before = task.metrics_before(labels, meta);
    task.build_network(classes, run.init, info);
    torch::optim::AdamW optimizer(trainable(task.network()),
                                  torch::optim::AdamWOptions(train.learning_rate).weight_decay(train.weight_decay));
    const LoopSettings settings{train, labels, task.validation_truth(), task.loss(labels, info)};

    TrainResult result;
    EpochTracker tracker(run, result, train.patience, fine_tuning ? &parent : nullptr, before ? &*before : nullptr);
    train_epochs(task.part(labels, meta), task.trainee(), settings, {optimizer, tracker, meta, rng}, run, group.get());
    task.after_training(result, labels, run, info);
    tracker.write_validation(run.keep_last ? "last epoch" : task.validated_on());
    return result;
}

}  // namespace emo::train
