#pragma once
// emo-train --folds K: K models, each trained without one fold of the data and scored on that fold.
#include "emo/eval.hpp"
#include "train_request.hpp"

namespace emo::app {

// Speech: folds of speakers (no speaker in both training and test); faces: stratified folds of the
// images (of the config's training split where the data has one). Fold i is a normal run in
// OUT/fold-i whose model is its last epoch: neither early stopping nor the choice of epoch looks at
// the fold it is scored on. Writes OUT/run.json, config.yaml, cv.txt, cv.csv, cv.json,
// validation.json (all folds pooled, for emo-eval --compare), confusion.png (pooled) and folds.png.
// With run.resume, finished folds are read back and the interrupted one continues from its checkpoint.
eval::CrossValidation cross_validate(const TrainRequest& request, const train::RunOptions& run);

// emo-train --folds K --nproc N: worker w of N trains folds w, w + N, ... as independent runs and
// writes no summary; afterwards cross_validate with run.resume reads every fold back and summarises.
struct FoldShare {
    int worker = 0, workers = 1;
    bool mine(int fold) const { return fold % workers == worker; }
};
void train_fold_share(const TrainRequest& request, const train::RunOptions& run, const FoldShare& share);

}  // namespace emo::app
