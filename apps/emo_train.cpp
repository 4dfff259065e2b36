// emo-train: train a model for one modality from a YAML config.
#include <spdlog/spdlog.h>

#include "app.hpp"
#include "emo/models.hpp"
#include "emo/train.hpp"

namespace {
std::string default_run_dir(const std::string& modality) {
    return "runs/" + modality + "-" + emo::train::utc_timestamp_compact();
}

void log_problems(const std::vector<std::string>& problems) {
    if (problems.empty()) return;
    spdlog::warn("{} images skipped (unreadable or no face), e.g.:", problems.size());
    for (std::size_t i = 0; i < std::min<std::size_t>(5, problems.size()); ++i) spdlog::warn("  {}", problems[i]);
}

emo::train::TrainResult train_face(const std::string& config_path, const std::string& data_path, int epochs, int seed,
                                   const emo::train::RunOptions& run) {
    auto config = emo::config::load_face_config(config_path);
    if (epochs > 0) config.train.epochs = epochs;
    if (seed >= 0) config.train.seed = seed;
    const emo::vision::FaceDetector detector(config.input);
    const auto mode = emo::vision::CropMode::kAuto;
    std::vector<std::string> problems;
    emo::data::FaceImages train, val;
    if (emo::vision::has_split(data_path, config.split.train)) {
        train = emo::vision::load_faces(data_path, config.split.train, detector, mode, config.train.threads, problems);
        val = emo::vision::load_faces(data_path, config.split.validation, detector, mode, config.train.threads, problems);
    } else {
        const auto all = emo::vision::load_faces(data_path, "", detector, mode, config.train.threads, problems);
        emo::data::stratified_split(all, config.split.validation_fraction, config.train.seed, train, val);
        spdlog::info("no '{}' split in {}: holding out a stratified {:.0f} % for validation", config.split.train,
                     data_path, 100.0 * config.split.validation_fraction);
    }
    log_problems(problems);
    return emo::train::train_face(config, train, val, run);
}

emo::train::TrainResult train_speech(const std::string& config_path, const std::string& data_path, int epochs,
                                     int seed, const emo::train::RunOptions& run) {
    auto config = emo::config::load_speech_config(config_path);
    if (epochs > 0) config.train.epochs = epochs;
    if (seed >= 0) config.train.seed = seed;
    return emo::train::train_speech(config, emo::data::read_speech_dataset(data_path), run);
}
}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"emo-train: train an emotion model from a YAML config"};
    app.name("emo-train");
    std::string modality, config_path, data_path, out_dir;
    int epochs = 0, seed = -1;
    app.add_option("--modality", modality, "face or speech")->required()->check(CLI::IsMember({"speech", "face"}));
    app.add_option("--config", config_path, "YAML config (see configs/)")->required();
    app.add_option("--data", data_path,
                   "speech: RAVDESS-style folder or manifest CSV; face: FER2013 CSV or folder (split folders or "
                   "class folders) or manifest CSV")
        ->required();
    app.add_option("--out", out_dir, "run directory (default: runs/<modality>-<time>)");
    app.add_option("--epochs", epochs, "override train.epochs")->check(CLI::PositiveNumber);
    app.add_option("--seed", seed, "override train.seed")->check(CLI::NonNegativeNumber);
    return emo::app::run(app, argc, argv, [&] {
        emo::train::RunOptions run;
        run.out_dir = out_dir.empty() ? default_run_dir(modality) : out_dir;
        run.on_info = [](const std::string& line) { spdlog::info("{}", line); };
        run.on_epoch = [&](const emo::train::EpochRecord& e) {
            spdlog::info("epoch {:3d}  lr {:.2e}  loss {:.4f}  acc {:.3f} | validation loss {:.4f}  acc {:.3f}  "
                         "uar {:.3f}  macro-F1 {:.3f}  ({:.1f} s)",
                         e.epoch, e.learning_rate, e.train_loss, e.train_accuracy, e.val_loss, e.val_accuracy,
                         e.val_uar, e.val_macro_f1, e.seconds);
        };
        const auto result = modality == "face" ? train_face(config_path, data_path, epochs, seed, run)
                                               : train_speech(config_path, data_path, epochs, seed, run);
        spdlog::info("best epoch {}: validation accuracy {:.4f}, uar {:.4f}, macro-F1 {:.4f}", result.best_epoch,
                     result.best_validation.accuracy, result.best_validation.uar, result.best_validation.macro.f1);
        spdlog::info("model: {}", result.model_path);
        return 0;
    });
}
