#include "emo/training_job.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "emo/core.hpp"
#include "emo/error.hpp"
#include "emo/face_data.hpp"
#include "emo/vision.hpp"

namespace emo::train {
namespace {

eval::FoldResult fold_result(const train::TrainResult& t, std::string held_out) {
    eval::FoldResult f;
    f.held_out = std::move(held_out);
    f.epochs = t.history.empty() ? 0 : t.history.back().epoch;
    f.metrics = t.best_validation;  // the last epoch (or the weight average): the folds run with keep_last
    for (const auto& e : t.history) f.best_epoch_accuracy = std::max(f.best_epoch_accuracy, e.val_accuracy);
    return f;
}

// Fold `fold` (from 0) of `k`: its own run directory; `data` says what it trains on.
train::RunOptions fold_run(const train::RunOptions& run, int fold, int k, nlohmann::json data,
                           const std::string& held_out) {
    train::RunOptions r = run;
    r.out_dir = run.out_dir + "/fold-" + std::to_string(fold + 1);
    r.keep_last = true;
    data["fold"] = fold + 1;
    data["folds"] = k;
    r.data = data;
    run.info("fold " + std::to_string(fold + 1) + " of " + std::to_string(k) + ": " + held_out);
    return r;
}

// Leave-one-corpus-out: the left-out corpus is scored on the labels the others train; its clips of
// any other label are left out of the fold (and counted in the log).
data::Split scorable(data::Split split, const std::string& corpus, const train::RunOptions& run) {
    const auto trained = data::labels_of(split.train);
    const auto before = split.validation.size();
    split.validation.erase(
        std::remove_if(
            split.validation.begin(), split.validation.end(),
            [&](const data::Sample& s) { return std::find(trained.begin(), trained.end(), s.label) == trained.end(); }),
        split.validation.end());
    if (split.validation.size() < before) {
        run.info("corpus " + corpus + ": " + std::to_string(before - split.validation.size()) +
                 " clips of labels no other corpus has are not scored");
    }
    if (split.validation.empty()) throw InputError(corpus, "no clip of a label the other corpora have");
    return split;
}

std::vector<eval::FoldResult> speech_folds(const TrainRequest& r, const train::RunOptions& run,
                                           const FoldShare& share) {
    auto cfg = speech_config_of(r, run);
    if (cfg.calibration.fit_temperature) {
        // A fold's validation clips are its test clips: a temperature fitted there would flatter its figures.
        run.warning(
            "calibration.fit_temperature is not used in cross-validation: it would be fitted on each fold's "
            "test clips");
        cfg.calibration.fit_temperature = false;
    }
    core::write_file_atomic(run.out_dir + "/config.yaml", config::to_yaml(cfg));
    const auto dataset = train::read_corpora(cfg);
    const auto splits =
        r.folds_by_corpus ? data::folds_by_corpus(dataset.samples) : data::kfold_by_speaker(dataset.samples, r.folds);
    const int k = int(splits.size());
    nlohmann::json paths = nlohmann::json::array();
    for (const auto& d : cfg.data) paths.push_back(d.path);
    std::vector<eval::FoldResult> out;
    for (int i = 0; i < k; ++i) {
        if (!share.mine(i)) continue;
        auto split = splits[std::size_t(i)];
        std::string held_out;
        nlohmann::json data{{"path", paths.size() == 1 ? paths[0] : paths}};
        if (r.folds_by_corpus) {
            const std::string corpus = split.validation.front().corpus;
            split = scorable(std::move(split), corpus, run);
            held_out = "corpus " + corpus;
            data["held_out_corpus"] = corpus;
        } else {
            const auto speakers = data::speakers_of(split.validation);
            held_out = "speakers";
            for (const auto& s : speakers) held_out += (s == speakers.front() ? " " : ",") + s;
            data["held_out_speakers"] = speakers;
        }
        const auto fr = fold_run(run, i, k, data, held_out);
        out.push_back(
            fold_result(train::train_speech(cfg, dataset.source + " without " + held_out, split, fr), held_out));
    }
    return out;
}

std::vector<eval::FoldResult> face_folds(const TrainRequest& r, const train::RunOptions& run, const FoldShare& share) {
    const auto cfg = face_config_of(r, run);
    core::write_file_atomic(run.out_dir + "/config.yaml", config::to_yaml(cfg));
    const std::string path = r.one_data("face cross-validation");
    const std::string split = data::has_split(path, cfg.split.train) ? cfg.split.train : "";
    std::vector<std::string> problems;
    const auto faces = data::load_faces(path, split, vision::FaceDetector(cfg.input), vision::CropMode::kAuto,
                                        cfg.train.threads, problems);
    if (!problems.empty()) {
        run.warning(std::to_string(problems.size()) + " images skipped (unreadable or no face), e.g. " + problems[0]);
    }
    const auto fold_of = data::stratified_folds(faces.labels, r.folds, cfg.train.seed);
    std::vector<eval::FoldResult> out;
    for (int i = 0; i < r.folds; ++i) {
        if (!share.mine(i)) continue;
        data::FaceImages train{faces.source, faces.size, {}, {}, {}}, test = train;
        for (std::size_t j = 0; j < faces.count(); ++j) (fold_of[j] == i ? test : train).append(faces, j);
        const std::string held_out = std::to_string(test.count()) + " images (stratified)";
        nlohmann::json data{{"path", absolute_path(path)}, {"split", split}, {"seed", cfg.train.seed}};
        out.push_back(
            fold_result(train::train_face(cfg, train, test, fold_run(run, i, r.folds, data, held_out)), held_out));
    }
    return out;
}

void write_summary(const std::string& dir, const eval::CrossValidation& cv) {
    core::write_file_atomic(dir + "/cv.txt", eval::format_text(cv));
    core::write_file_atomic(dir + "/cv.csv", eval::to_csv(cv));
    core::write_file_atomic(dir + "/cv.json", eval::to_json(cv) + "\n");
    core::write_file_atomic(dir + "/validation.json", eval::to_json(cv.pooled) + "\n");
    const std::string k = std::to_string(cv.folds.size());
    eval::plot_confusion(cv.pooled, k + " folds pooled, n = " + std::to_string(cv.pooled.n), dir + "/confusion.png");
    std::vector<std::string> names;
    std::vector<double> accuracy;
    for (std::size_t i = 0; i < cv.folds.size(); ++i) {
        names.push_back("fold " + std::to_string(i + 1));
        accuracy.push_back(cv.folds[i].metrics.accuracy);
    }
    char title[128];
    std::snprintf(title, sizeof title, "accuracy per fold: mean %.3f, std %.3f", cv.accuracy.mean, cv.accuracy.std);
    eval::plot_bars(names, accuracy, title, "accuracy", dir + "/folds.png");
}

std::vector<eval::FoldResult> train_folds(const TrainRequest& request, const train::RunOptions& run,
                                          const FoldShare& share) {
    const TrainRequest r = start_run(request, run);
    if (r.folds_by_corpus && r.modality == "face") {
        throw ConfigError("folds corpus: leave-one-corpus-out is for speech corpora");
    }
    return r.modality == "face" ? face_folds(r, run, share) : speech_folds(r, run, share);
}

}  // namespace

void train_fold_share(const TrainRequest& request, const train::RunOptions& run, const FoldShare& share) {
    train_folds(request, run, share);
}

eval::CrossValidation cross_validate(const TrainRequest& request, const train::RunOptions& run) {
    auto folds = train_folds(request, run, FoldShare{});
    const auto cv = eval::summarise_folds(std::move(folds));
    write_summary(run.out_dir, cv);
    return cv;
}

}  // namespace emo::train
