// emo-train: train a model for one modality from a YAML config.
#include <spdlog/spdlog.h>

#include "app.hpp"
#include "emo/models.hpp"
#include "emo/train.hpp"

namespace {
std::string default_run_dir(const std::string& modality) {
    std::string stamp = emo::train::utc_timestamp_compact();
    return "runs/" + modality + "-" + stamp;
}
}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"emo-train: train an emotion model from a YAML config"};
    app.name("emo-train");
    std::string modality, config_path, data_path, out_dir;
    int epochs = 0, seed = -1;
    app.add_option("--modality", modality, "face or speech")->required()->check(CLI::IsMember({"speech", "face"}));
    app.add_option("--config", config_path, "YAML config (see configs/)")->required();
    app.add_option("--data", data_path, "RAVDESS-style folder or manifest CSV (path,label[,speaker])")->required();
    app.add_option("--out", out_dir, "run directory (default: runs/<modality>-<time>)");
    app.add_option("--epochs", epochs, "override train.epochs")->check(CLI::PositiveNumber);
    app.add_option("--seed", seed, "override train.seed")->check(CLI::NonNegativeNumber);
    return emo::app::run(app, argc, argv, [&] {
        if (modality != "speech") throw emo::ConfigError("--modality face: face training is not available yet");
        auto config = emo::config::load_speech_config(config_path);
        if (epochs > 0) config.train.epochs = epochs;
        if (seed >= 0) config.train.seed = seed;
        const auto dataset = emo::data::read_speech_dataset(data_path);
        emo::train::RunOptions run;
        run.out_dir = out_dir.empty() ? default_run_dir(modality) : out_dir;
        run.on_info = [](const std::string& line) { spdlog::info("{}", line); };
        run.on_epoch = [&](const emo::train::EpochRecord& e) {
            spdlog::info("epoch {:3d}/{}  lr {:.2e}  loss {:.4f}  acc {:.3f} | held-out loss {:.4f}  acc {:.3f}  "
                         "uar {:.3f}  macro-F1 {:.3f}  ({:.1f} s)",
                         e.epoch, config.train.epochs, e.learning_rate, e.train_loss, e.train_accuracy, e.val_loss,
                         e.val_accuracy, e.val_uar, e.val_macro_f1, e.seconds);
        };
        const auto result = emo::train::train_speech(config, dataset, run);
        spdlog::info("best epoch {}: held-out accuracy {:.4f}, uar {:.4f}, macro-F1 {:.4f}", result.best_epoch,
                     result.best_validation.accuracy, result.best_validation.uar, result.best_validation.macro.f1);
        spdlog::info("model: {}", result.model_path);
        return 0;
    });
}
