#pragma once
// Training of the speech model: speaker-independent split, cached features, augmentation,
// class weighting, schedule, early stopping, and a run directory with everything it produced.
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emo/config.hpp"
#include "emo/data.hpp"
#include "emo/eval.hpp"

namespace emo::train {

struct EpochRecord {
    int epoch = 0;
    double learning_rate = 0, train_loss = 0, train_accuracy = 0;
    double val_loss = 0, val_accuracy = 0, val_uar = 0, val_macro_f1 = 0;
    double seconds = 0;
    double train_corpus_accuracy = -1;  // the corpus adversary's accuracy on the training batches (-1: none)
    std::map<std::string, double> val_corpus_accuracy;  // validation accuracy per corpus (several corpora only)
};

struct TrainResult {
    std::string run_dir, model_path;  // model_path: the chosen model (run_dir/model.pt)
    int best_epoch = 0;               // the best single epoch
    // What model_path holds: "best epoch 12", "last epoch 20" or "mean weights of epochs 76-100".
    std::string chosen;
    eval::Metrics best_validation;  // held-out data, of the chosen model
    std::vector<EpochRecord> history;
    std::string precision;  // what the network trained in: "fp32" or "bf16"
    // calibration.fit_temperature: the temperature fitted on the validation data, and the expected
    // calibration error there before (temperature 1) and after (ece_before -1: not fitted).
    struct Calibration {
        double temperature = 1, ece_before = -1, ece_after = -1;
    } calibration;
};

// Fine-tuning: a run that starts from an existing model instead of random weights. The model's
// labels, normalisation statistics and network come from it; the config's model/input sections
// must be the parent's (the caller takes them from the parent's embedded config).
struct InitOptions {
    std::string model_path;        // empty: train from scratch
    bool freeze_features = false;  // keep the convolutional trunk and its batch-norm statistics fixed
    bool extend_labels = false;    // labels the model lacks get new classifier outputs; else refused
};

// One process of a data-parallel job, as torchrun describes it in the environment.
struct DistributedOptions {
    int rank = 0, world_size = 1;  // world_size 1: a job of one process, no c10d involved
    int local_world_size = 1;      // processes on this machine (they share its cores; also for --folds --nproc)
    std::string master_addr = "127.0.0.1";
    int master_port = 29500;
    double timeout_seconds = 300;  // a rank silent this long is given up for lost
};
// RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT and EMO_DIST_TIMEOUT (seconds); a job of
// one process when WORLD_SIZE is unset. Throws ConfigError naming a malformed variable.
DistributedOptions distributed_from_environment();

struct RunOptions {
    std::string out_dir;                              // created if missing
    std::function<void(const std::string&)> on_info;  // progress lines (may be empty)
    // Problems that do not stop the run: skipped images, replay data no longer where the model says (may be empty).
    std::function<void(const std::string&)> on_warning;
    std::function<void(const EpochRecord&)> on_epoch;                // after every epoch (may be empty)
    std::function<void(int epoch, long done, long total)> on_batch;  // samples done this epoch (may be empty)
    // Continue from out_dir/checkpoint.pt when it exists (written after every epoch); the result is
    // the one an uninterrupted run with the same config and data gives.
    bool resume = false;
    // model.pt is the last epoch rather than the best validation epoch (for validation data that is
    // not held out, e.g. fine-tuning on a handful of examples).
    bool keep_last = false;
    InitOptions init;
    // What the run trains on ({"path": ..., ...}): stored in the model as training_data (fine-tuning
    // draws its replay sample from it) and in the model's lineage. Empty: train_speech describes its corpora.
    nlohmann::json data = nlohmann::json::object();
    void info(const std::string& line) const {
        if (on_info) on_info(line);
    }
    void warning(const std::string& line) const {
        if (on_warning) on_warning(line);
    }
    // Data-parallel training: every rank trains on its part of each global batch; rank 0 alone
    // writes the run directory.
    DistributedOptions distributed;
    bool writes_files() const { return distributed.rank == 0; }
};

// The corpora of config.data read as one dataset (see data::read_speech_corpora). Throws ConfigError
// when the list is empty, InputError for unreadable data.
data::Dataset read_corpora(const config::SpeechConfig& config);

// Trains on `dataset` minus config.split.validation_speakers and validates on those speakers.
// Writes to out_dir: config.yaml (resolved), split.json, metrics.csv, metrics.json, model.pt (best),
// last.pt, checkpoint.pt, validation.txt, validation.json. Throws ConfigError/InputError/RuntimeError.
TrainResult train_speech(const config::SpeechConfig& config, const data::Dataset& dataset, const RunOptions& run);
// Trains on `train` and validates on `validation` (any samples; `source` describes them).
TrainResult train_speech(const config::SpeechConfig& config, const std::string& source, const data::Split& split,
                         const RunOptions& run);

// Trains the face model on `train` and validates on `val` (faces already decoded and normalised to
// config.input.size). Writes the same run directory as train_speech.
TrainResult train_face(const config::FaceConfig& config, const data::FaceImages& train, const data::FaceImages& val,
                       const RunOptions& run);

std::string utc_timestamp();          // 2026-11-23T22:45:01Z
std::string utc_timestamp_compact();  // 20261123-224501, for run directory names

}  // namespace emo::train
