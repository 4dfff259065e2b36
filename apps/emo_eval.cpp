// emo-eval: accuracy, UAR, per-class precision/recall/F1, averages and confusion matrix of a model.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>

#include "app.hpp"
#include "emo/core.hpp"
#include "emo/eval.hpp"
#include "emo/models.hpp"

int main(int argc, char** argv) {
    CLI::App app{"emo-eval: evaluate a model on labelled data"};
    app.name("emo-eval");
    std::string model_path, data_path, json_path;
    std::vector<std::string> speakers;
    int threads = 0;
    app.add_option("--model", model_path, "model file (default: the shipped speech model)");
    app.add_option("--data", data_path, "RAVDESS-style folder or manifest CSV (path,label[,speaker])")->required();
    app.add_option("--speakers", speakers, "evaluate only these speakers/actors (e.g. 17,18,19,20)")->delimiter(',');
    app.add_option("--json", json_path, "also write the report as JSON to this file");
    app.add_option("--threads", threads, "decoding and inference threads (0: all cores)")->check(CLI::NonNegativeNumber);
    return emo::app::run(app, argc, argv, [&] {
        emo::models::set_threads(threads);
        const auto model = emo::models::SpeechModel::load(model_path.empty() ? emo::app::default_model("speech") : model_path);
        auto dataset = emo::data::read_speech_dataset(data_path);
        if (!speakers.empty()) dataset.samples = emo::data::select_speakers(dataset.samples, speakers, "--speakers");
        const auto& labels = model.metadata().labels;
        std::vector<std::string> files;
        std::vector<int> truth;
        emo::app::Batch batch;
        for (const auto& s : dataset.samples) {
            const auto it = std::find(labels.begin(), labels.end(), s.label);
            if (it == labels.end()) {
                throw emo::ConfigError(s.path + ": label '" + s.label + "' is not one the model knows");
            }
            files.push_back(s.path);
            truth.push_back(int(it - labels.begin()));
        }
        std::vector<int> kept_truth, predicted;
        const auto predictions = emo::models::predict_speech_files(model, files, threads);
        for (std::size_t i = 0; i < predictions.size(); ++i) {
            if (!predictions[i].error.empty()) {
                batch.fail(predictions[i].error, emo::ExitCode::kBadInput);
                continue;
            }
            kept_truth.push_back(truth[i]);
            predicted.push_back(int(std::find(labels.begin(), labels.end(), predictions[i].label) - labels.begin()));
        }
        if (predicted.empty()) throw emo::InputError(data_path, "no clip could be read");
        const auto metrics = emo::eval::compute_metrics(labels, kept_truth, predicted);
        std::cout << "model: " << model.path() << "\ndata: " << dataset.source
                  << (speakers.empty() ? "" : " (speakers " + CLI::detail::join(speakers) + ")") << "\n" << emo::eval::format_text(metrics);
        if (!json_path.empty()) emo::core::write_file_atomic(json_path, emo::eval::to_json(metrics) + "\n");
        return batch.exit_code();
    });
}
