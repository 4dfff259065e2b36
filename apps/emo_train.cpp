// emo-train: train a model for one modality from a YAML config, fine-tune an existing model on new
// labelled data or feedback, or resume an interrupted run.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>

#include "app.hpp"
#include "local_job.hpp"
#include "emo/train.hpp"
#include "progress.hpp"
#include "emo/training_job.hpp"

namespace {

int train_or_cross_validate(const emo::train::TrainRequest& r, const emo::train::RunOptions& run) {
    if (r.folds > 0 || r.folds_by_corpus) {
        std::cout << emo::eval::format_text(emo::train::cross_validate(r, run));
        spdlog::info("cross-validation: {}/cv.txt, cv.csv, cv.json, folds.png, confusion.png", run.out_dir);
        return 0;
    }
    const auto result = emo::train::train_request(r, run);
    spdlog::info("{}: validation accuracy {:.4f}, uar {:.4f}, macro-F1 {:.4f}", result.chosen,
                 result.best_validation.accuracy, result.best_validation.uar, result.best_validation.macro.f1);
    spdlog::info("model: {}", result.model_path);
    return 0;
}

// The processes of an --nproc job run these arguments without --nproc, all into one run directory.
std::vector<std::string> process_arguments(int argc, char** argv, const std::string& out_dir) {
    std::vector<std::string> args{argv[0]};
    bool has_out = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--nproc") {
            ++i;
            continue;
        }
        if (a.rfind("--nproc=", 0) == 0) continue;
        has_out =
            has_out || a == "--out" || a.rfind("--out=", 0) == 0 || a == "--resume" || a.rfind("--resume=", 0) == 0;
        args.push_back(a);
    }
    if (!has_out) {
        args.push_back("--out");
        args.push_back(out_dir);
    }
    return args;
}

// --nproc N: one data-parallel job of N ranks, or with --folds N workers sharing the folds, then the
// summary of every fold.
int launch(int nproc, int argc, char** argv, emo::train::TrainRequest r, emo::train::RunOptions run) {
    if (run.distributed.world_size > 1) {
        throw emo::ConfigError("--nproc: this process is already rank " + std::to_string(run.distributed.rank) +
                               " of a job of " + std::to_string(run.distributed.world_size) +
                               " (WORLD_SIZE is set); use one or the other");
    }
    const auto args = process_arguments(argc, argv, run.out_dir);
    const bool folds = r.folds > 0 || r.folds_by_corpus;
    if (!folds) {
        const int port = emo::app::free_port();
        spdlog::info("starting {} processes (ranks 0-{}, rendezvous at 127.0.0.1:{})", nproc, nproc - 1, port);
        return emo::app::run_local_job(
            nproc, args, [&](int rank) { return emo::app::torchrun_environment(rank, nproc, port); },
            run.distributed.timeout_seconds + 10);
    }
    spdlog::info("cross-validation: {} processes share the folds", nproc);
    const auto fold_worker = [&](int worker) {
        return emo::app::Environment{{"EMO_FOLD_WORKER", std::to_string(worker)},
                                     {"EMO_FOLD_WORKERS", std::to_string(nproc)},
                                     {"LOCAL_WORLD_SIZE", std::to_string(nproc)}};
    };
    // The folds are independent: the others finish theirs, and --resume redoes only what failed.
    if (const int code = emo::app::run_local_job(nproc, args, fold_worker, 1e9); code != 0) return code;
    r = emo::train::TrainRequest::from_run_dir(run.out_dir);
    run.resume = true;
    run.on_info = {};
    std::cout << emo::eval::format_text(emo::train::cross_validate(r, run));
    spdlog::info("cross-validation: {}/cv.txt, cv.csv, cv.json, folds.png, confusion.png", run.out_dir);
    return 0;
}

// EMO_FOLD_WORKER / EMO_FOLD_WORKERS: this process is one of --folds --nproc's workers.
emo::train::FoldShare fold_share_from_environment() {
    const char* worker = std::getenv("EMO_FOLD_WORKER");
    const char* workers = std::getenv("EMO_FOLD_WORKERS");
    if (worker == nullptr || workers == nullptr) return {};
    return {std::atoi(worker), std::max(1, std::atoi(workers))};
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"emo-train: train an emotion model from a YAML config, fine-tune one, or resume a run"};
    app.name("emo-train");
    emo::train::TrainRequest r;
    std::string out_dir, resume_dir;
    app.add_option("--modality", r.modality, "face or speech (with --init: the model's)")
        ->check(CLI::IsMember({"speech", "face"}));
    app.add_option("--config", r.config, "YAML config (see configs/); with --init optional: the model's own");
    app.add_option("--data", r.data,
                   "speech: RAVDESS-style folder, folder with manifest.csv, or manifest CSV (repeat for several "
                   "corpora; default: the config's data: list); face: FER2013 CSV or folder (split folders or "
                   "class folders) or manifest CSV");
    app.add_option("--out", out_dir, "run directory (default: runs/<modality>-<time>)");
    app.add_option("--epochs", r.epochs, "override train.epochs (fine-tuning default: 20)")->check(CLI::PositiveNumber);
    app.add_option("--seed", r.seed, "override train.seed")->check(CLI::NonNegativeNumber);
    app.add_option("--lr", r.learning_rate, "override train.learning_rate (fine-tuning default: the model's / 10)")
        ->check(CLI::PositiveNumber);
    auto* init = app.add_option("--init", r.init, "fine-tune this model instead of training from scratch");
    app.add_option("--feedback", r.feedback,
                   "fine-tuning: CSV of corrected labels (path,label; an edited emo-predict --csv works)")
        ->needs(init);
    app.add_option("--validation", r.validation,
                   "fine-tuning: held-out labelled data to pick the best epoch (default: none; the last epoch is "
                   "kept)")
        ->needs(init);
    app.add_flag("--freeze-features", r.freeze_features, "fine-tuning: train only the classifier")->needs(init);
    app.add_flag("--extend-labels", r.extend_labels, "fine-tuning: labels the model lacks get new outputs")
        ->needs(init);
    app.add_option("--replay", r.replay, "fine-tuning: original training data (default: where the model says)")
        ->needs(init);
    app.add_option("--replay-ratio", r.replay_ratio,
                   "fine-tuning: original samples mixed in per new sample (default 1; 0: none)")
        ->needs(init);
    r.overrides_setting = "--set";
    app.add_option("--set", r.overrides,
                   "override config values, KEY=VALUE with a dotted key: --set train.learning_rate=0.001 "
                   "features.kind=mfcc (repeatable)");
    std::string folds;
    app.add_option("--folds", folds,
                   "cross-validate: K models, each tested on the fold it never trained on (speech: folds of speakers "
                   "of every corpus; face: stratified), or 'corpus': leave one corpus out; per-fold figures and "
                   "mean +- std in OUT/cv.txt, cv.csv, cv.json")
        ->excludes(init);
    app.add_option("--device", r.device, "cpu, cuda or cuda:N (default: the config's train.device, cpu)")
        ->check(emo::app::kDeviceName);
    emo::app::add_precision_option(app, r.precision)
        ->description(
            "auto (bf16 where the CPU has AMX-BF16 or AVX512-BF16, else fp32), fp32 or bf16 (default: the config's "
            "train.precision, auto)");
    int nproc = 1;
    app.add_option("--nproc", nproc,
                   "data-parallel training in N processes on this machine (c10d/Gloo; the config's batch_size is "
                   "the global batch); with --folds, N processes share the folds. Multi-machine jobs: start "
                   "emo-train with torchrun's environment (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT; see README)")
        ->check(CLI::Range(1, 256));
    app.add_option("--resume", resume_dir, "continue the interrupted run (or cross-validation) in this directory")
        ->excludes("--modality", "--config", "--data", "--out", "--epochs", "--seed", "--lr", "--set", "--folds", init);
    app.add_option("--threads", r.threads,
                   "CPU threads per process (default: the config's train.threads; "
                   "0 there means all cores shared among --nproc processes)")
        ->check(CLI::Range(1, 1024));
    // --device, --threads, --precision and --nproc may change when a run resumes: none is part of the run's state.
    return emo::app::run(app, argc, argv, [&] {
        emo::train::RunOptions run;
        run.on_warning = [](const std::string& line) { spdlog::warn("{}", line); };
        run.distributed = emo::train::distributed_from_environment();
        r.set_folds(folds);
        if (!resume_dir.empty()) {
            const std::string device = r.device;  // a resumed run may move to another device or thread count
            const int threads = r.threads;
            const std::string precision = r.precision;
            r = emo::train::TrainRequest::from_run_dir(resume_dir);
            r.device = device;
            r.threads = threads;
            r.precision = precision;
            run.resume = true;
            out_dir = resume_dir;
        }
        run.out_dir = out_dir.empty()
                          ? "runs/" + (r.modality.empty() ? std::string("finetune") : r.modality) +
                                (r.folds > 0 || r.folds_by_corpus ? "-cv-" : "-") + emo::train::utc_timestamp_compact()
                          : out_dir;
        run.init = {r.init, r.freeze_features, r.extend_labels};
        if ((r.folds > 0 || r.folds_by_corpus) && run.distributed.world_size > 1) {
            throw emo::ConfigError(
                "--folds: the folds run as independent processes (--nproc N), not as one "
                "data-parallel job (WORLD_SIZE is " +
                std::to_string(run.distributed.world_size) + ")");
        }
        if (nproc > 1) return launch(nproc, argc, argv, r, run);
        if (const auto share = fold_share_from_environment(); share.workers > 1) {
            if (share.worker > 0) spdlog::set_level(spdlog::level::warn);
            else run.on_info = [](const std::string& line) { spdlog::info("{}", line); };
            emo::train::train_fold_share(r, run, share);
            return 0;
        }
        if (!run.writes_files()) {  // rank > 0: errors only
            spdlog::set_level(spdlog::level::warn);
            return train_or_cross_validate(r, run);
        }
        run.on_info = [](const std::string& line) { spdlog::info("{}", line); };
        emo::app::ProgressBar bar;
        run.on_batch = [&](int epoch, long done, long total) {
            bar.update(double(done) / double(total), "epoch " + std::to_string(epoch),
                       std::to_string(done) + "/" + std::to_string(total));
        };
        run.on_epoch = [&](const emo::train::EpochRecord& e) {
            bar.clear();
            std::string per_corpus;
            for (const auto& [corpus, accuracy] : e.val_corpus_accuracy)
                per_corpus += fmt::format("  {} {:.3f}", corpus, accuracy);
            spdlog::info(
                "epoch {:3d}  lr {:.2e}  loss {:.4f}  acc {:.3f} | validation loss {:.4f}  acc {:.3f}  "
                "uar {:.3f}  macro-F1 {:.3f}{}  ({:.1f} s)",
                e.epoch, e.learning_rate, e.train_loss, e.train_accuracy, e.val_loss, e.val_accuracy, e.val_uar,
                e.val_macro_f1, per_corpus, e.seconds);
        };
        const bool new_run_dir = !run.resume && !std::filesystem::exists(run.out_dir) && run.writes_files();
        try {
            return train_or_cross_validate(r, run);
        } catch (...) {
            if (new_run_dir) emo::train::remove_unstarted_run(run.out_dir);
            throw;
        }
    });
}
