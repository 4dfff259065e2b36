#pragma once
// A training job end to end: what was asked (kept in the run directory as run.json so that --resume
// can redo the same setup), the data it trains on (from scratch, fine-tuning with feedback and
// replay), cross-validation, and the run directory it leaves. Programs parse flags into a
// TrainRequest and call train_request or cross_validate.
#include <string>
#include <vector>

#include "emo/eval.hpp"
#include "emo/train.hpp"

namespace emo::train {

struct TrainRequest {
    std::string modality;              // speech or face (fine-tuning: the model's)
    std::string config;                // YAML config (fine-tuning: optional; the model's own by default)
    bool config_resolved = false;      // config is a run's config.yaml: used as it is, no defaults applied
    std::vector<std::string> data;     // datasets (speech from scratch: one or more corpora)
    std::string feedback, validation;  // feedback CSV; fine-tuning validation data
    std::string init;                  // model to fine-tune
    std::string replay;                // original training data for the replay sample (default: from the model)
    float replay_ratio = 1.0f;         // replayed samples per new sample; 0 disables
    float learning_rate = 0.0f;        // 0: the config's (fine-tuning: a tenth of the model's)
    int epochs = 0, seed = -1;         // 0 / -1: the config's (fine-tuning: 20 epochs by default)
    std::string device;                // --device: empty for the config's (fine-tuning: cpu)
    int threads = 0;                   // --threads: 0 for the config's train.threads
    std::string precision;             // --precision auto|fp32|bf16: empty for the config's train.precision
    bool freeze_features = false, extend_labels = false;
    std::vector<std::string> overrides;           // KEY=VALUE, applied to the config before it is checked
    std::string overrides_setting = "overrides";  // how errors name them (emo-train: "--set")
    int folds = 0;                                // > 0: cross-validation with this many folds
    bool folds_by_corpus = false;                 // cross-validation leaving one corpus out at a time

    // The one dataset (empty when none); throws ConfigError naming `data` and `what` when several.
    std::string one_data(const std::string& what) const;
    // "K" or "corpus" into folds / folds_by_corpus; throws ConfigError naming `folds`.
    void set_folds(const std::string& text);

    std::string to_json() const;  // paths made absolute
    // Reads RUN_DIR/run.json for --resume. Throws InputError naming the file.
    static TrainRequest from_run_dir(const std::string& run_dir);
};

// The run's config: the config file (or the fine-tuned model's own) with --set and the flag
// overrides applied; `run` hears where the settings came from. Throws ConfigError naming the file and key.
config::SpeechConfig speech_config_of(const TrainRequest& request, const RunOptions& run = {});
config::FaceConfig face_config_of(const TrainRequest& request, const RunOptions& run = {});

// `path` made absolute and normalised; empty stays empty. For what run.json and models record.
std::string absolute_path(const std::string& path);

// Checks the combination of options; throws ConfigError naming the flag.
void check_request(const TrainRequest& request);

// Checks the request (the modality of --init's model included), creates the run directory and,
// unless resuming, writes run.json. Returns the request with the modality filled in.
TrainRequest start_run(const TrainRequest& request, const RunOptions& run);

// Loads the data and config the request names and trains. Writes run.json first.
TrainResult train_request(const TrainRequest& request, RunOptions run);

// After a failed run in a directory this call created: removes the directory unless some epoch
// got as far as a checkpoint (which --resume can continue). A refused start (--folds larger than the
// speaker count, unreadable data) so leaves no half-made run behind.
void remove_unstarted_run(const std::string& run_dir);

// Speech: folds of speakers (no speaker in both training and test); faces: stratified folds of the
// images (of the config's training split where the data has one). Fold i is a normal run in
// OUT/fold-i whose model is its last epoch: neither early stopping nor the choice of epoch looks at
// the fold it is scored on. Writes OUT/run.json, config.yaml, cv.txt, cv.csv, cv.json,
// validation.json (all folds pooled, for emo-eval --compare), confusion.png (pooled) and folds.png.
// With run.resume, finished folds are read back and the interrupted one continues from its checkpoint.
eval::CrossValidation cross_validate(const TrainRequest& request, const RunOptions& run);

// emo-train --folds K --nproc N: worker w of N trains folds w, w + N, ... as independent runs and
// writes no summary; afterwards cross_validate with run.resume reads every fold back and summarises.
struct FoldShare {
    int worker = 0, workers = 1;
    bool mine(int fold) const { return fold % workers == worker; }
};
void train_fold_share(const TrainRequest& request, const RunOptions& run, const FoldShare& share);

}  // namespace emo::train
