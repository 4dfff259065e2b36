// emo-eval: accuracy, UAR, per-class precision/recall/F1, averages and confusion matrix of a model.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "app.hpp"
#include "destinations.hpp"
#include "emo/core.hpp"
#include "emo/eval.hpp"
#include "emo/face_data.hpp"
#include "emo/models.hpp"
#include "emo/scoring.hpp"

namespace {
using Scored = emo::api::ScoredData;

// The emo-eval --json object plus the per-item predictions [id, true label, predicted label], which
// --compare pairs up for its significance test.
std::string result_json(const emo::eval::Metrics& m, const Scored& s, const std::vector<std::string>& labels,
                        bool closed_set) {
    nlohmann::ordered_json j = nlohmann::json(m);
    if (!s.data_labels.empty() && s.data_labels != labels) j["data_labels"] = s.data_labels;
    if (!s.unscored.empty()) j["unscored"] = s.unscored;
    j["precision"] = s.precision;
    if (closed_set) j["closed_set"] = true;
    auto& items = j["predictions"] = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < s.ids.size(); ++i) {
        items.push_back({s.ids[i], labels[std::size_t(s.truth[i])], labels[std::size_t(s.predicted[i])]});
    }
    return j.dump();
}

// --compare: the table (and with --csv as CSV), and with --plots a bar chart and the runs' validation curves.
void compare(const std::vector<std::string>& paths, const std::string& csv_path, const std::string& plots_dir) {
    std::vector<emo::eval::EvalResult> results;
    for (const auto& p : paths) results.push_back(emo::eval::read_result(p));
    std::cout << emo::eval::format_comparison(results);
    if (!csv_path.empty()) emo::core::write_file_atomic(csv_path, emo::eval::comparison_csv(results));
    if (plots_dir.empty()) return;
    emo::app::make_output_folder(plots_dir);
    std::vector<std::string> names;
    std::vector<double> accuracy;
    emo::eval::Panel loss{"validation loss", "epoch", "loss", {}, true};
    emo::eval::Panel acc{"validation accuracy", "epoch", "accuracy", {}, false};
    for (const auto& r : results) {
        names.push_back(r.name);
        accuracy.push_back(r.accuracy);
        if (r.epochs.empty()) continue;
        loss.series.push_back({r.name, r.epochs, r.val_loss});
        acc.series.push_back({r.name, r.epochs, r.val_accuracy});
    }
    emo::eval::plot_bars(names, accuracy, "accuracy", "accuracy", plots_dir + "/compare.png");
    if (!acc.series.empty()) emo::eval::plot_lines({loss, acc}, "runs compared", plots_dir + "/curves.png");
    spdlog::info("plots: {}/compare.png{}", plots_dir, acc.series.empty() ? "" : ", curves.png");
}

// Confusion heatmap, per-class F1 bars and the evaluated data's class distribution.
void write_plots(const std::string& dir, const emo::eval::Metrics& m, const std::string& model_name) {
    emo::app::make_output_folder(dir);
    emo::eval::plot_confusion(m, "confusion: " + model_name + ", n = " + std::to_string(m.n), dir + "/confusion.png");
    std::vector<double> f1, support;
    for (const auto& c : m.per_class) f1.push_back(c.f1), support.push_back(c.support);
    emo::eval::plot_bars(m.labels, f1, "F1 per class: " + model_name, "F1", dir + "/f1.png");
    emo::eval::plot_bars(m.labels, support, "evaluated samples per class", "samples", dir + "/classes.png");
    spdlog::info("plots: {}/confusion.png, f1.png, classes.png", dir);
}

// The labelled samples of any supported dataset, without decoding images or audio.
std::vector<emo::data::Sample> samples_of(const std::string& path, const std::string& split) {
    using Kind = emo::data::DatasetLayout::Kind;
    const auto kind = emo::data::dataset_layout(path, split).kind;
    if (kind == Kind::kSpeech) return emo::data::read_speech_dataset(path).samples;
    if (kind == Kind::kFaceManifest) return emo::data::read_manifest(path).samples;
    if (kind == Kind::kFaceFolders)
        return emo::data::read_image_folder(split.empty() ? path : path + "/" + split).samples;
    std::vector<emo::data::Sample> out;
    const auto faces = emo::data::read_fer2013_csv(path, split);
    for (std::size_t i = 0; i < faces.count(); ++i) out.push_back({faces.ids[i], faces.labels[i], "", ""});
    return out;
}

// --describe: class distribution (and per speaker) as tables, and classes.png with --plots.
void describe(const std::string& path, const std::string& split, const std::string& plots_dir) {
    const auto d = emo::data::describe(samples_of(path, split));
    std::cout << "data: " << path << (split.empty() ? "" : " (split " + split + ")") << "\n\n" << d.text();
    if (plots_dir.empty()) return;
    emo::app::make_output_folder(plots_dir);
    emo::eval::plot_bars(
        d.labels, std::vector<double>(d.per_label.begin(), d.per_label.end()),
        "samples per class: " + std::filesystem::path(path).filename().string() + (split.empty() ? "" : "/" + split),
        "samples", plots_dir + "/classes.png");
    spdlog::info("plot: {}/classes.png", plots_dir);
}

// The metadata without the per-band normalisation statistics (numbers only the model needs).
void print_model_info(const std::string& model_file) {
    nlohmann::json j = emo::models::read_metadata(model_file);
    j.erase("feature_mean");
    j.erase("feature_std");
    std::cout << j.dump(2) << '\n';
}
}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"emo-eval: evaluate a model on labelled data"};
    app.name("emo-eval");
    std::string model_path, data_path, json_path, split, crop = "auto";
    std::vector<std::string> speakers;
    int threads = 0;
    app.add_option("--model", model_path, "model file (default: the shipped model for the data's modality)");
    bool model_info = false;
    app.add_option("--data", data_path,
                   "speech: RAVDESS-style folder or manifest CSV; face: FER2013 CSV, class-folder tree or manifest");
    app.add_flag("--model-info", model_info,
                 "print the model's metadata (labels, training data, validation metrics, lineage) as JSON");
    app.add_option("--speakers", speakers, "speech: evaluate only these speakers/actors (e.g. 17,18,19,20)")
        ->delimiter(',');
    std::string normalize = "speaker";
    app.add_option("--normalize", normalize,
                   "speech models trained with input.speaker_norm: speaker (each speaker's clips together, default), "
                   "batch (all clips as one speaker) or none (each clip alone)")
        ->check(CLI::IsMember({"none", "batch", "speaker"}));
    bool closed_set = false;
    app.add_flag("--closed-set", closed_set,
                 "choose each prediction among the labels the data has (scores renormalised over them), as "
                 "cross-corpus comparisons on shared labels do; default: any of the model's labels");
    app.add_option("--split", split,
                   "face: the split to evaluate (a split folder such as publictest, or the "
                   "FER2013 CSV's Usage value such as PublicTest)");
    app.add_option("--crop", crop, "face: auto, whole or detect (see emo-predict --help)")
        ->check(CLI::IsMember({"auto", "whole", "detect"}));
    std::string csv_path, plots_dir;
    app.add_option("--json", json_path, "also write the report as JSON to this file");
    app.add_option("--csv", csv_path,
                   "also write the per-class table as CSV to this file (with --compare: the comparison table)");
    app.add_option("--plots", plots_dir, "write confusion.png, f1.png and classes.png to this folder");
    std::vector<std::string> compare_paths;
    bool describe_data = false;
    app.add_flag("--describe", describe_data,
                 "describe --data: samples per class (and per speaker), classes.png with --plots; no model needed");
    app.add_option("--compare", compare_paths,
                   "compare emo-eval --json results and/or run directories side by side (McNemar's test on shared "
                   "items); with --plots: compare.png and the runs' curves")
        ->expected(1, -1);
    app.add_option("--threads", threads, "decoding and inference threads (0: all cores)")
        ->check(CLI::NonNegativeNumber);
    std::string device = "cpu";
    app.add_option("--device", device, "where the models run: cpu, cuda or cuda:N (default: cpu)")
        ->check(emo::app::kDeviceName);
    std::string precision;
    emo::app::add_precision_option(app, precision);
    return emo::app::run(app, argc, argv, [&] {
        const auto where = emo::app::placement(device, precision);
        emo::app::check_destinations({json_path, csv_path}, {plots_dir});
        if (model_info) {
            print_model_info(model_path.empty() ? emo::app::default_model("speech") : model_path);
            return 0;
        }
        if (describe_data) {
            if (data_path.empty()) throw emo::ConfigError("--describe: give the dataset with --data");
            describe(data_path, split, plots_dir);
            return 0;
        }
        if (!compare_paths.empty()) {
            compare(compare_paths, csv_path, plots_dir);
            return 0;
        }
        if (data_path.empty()) throw emo::ConfigError("--data: required (unless --model-info or --compare)");
        emo::models::set_threads(threads);
        const std::string model_file =
            model_path.empty() ? emo::app::default_model(emo::data::dataset_layout(data_path, split).modality())
                               : model_path;
        const bool face = emo::models::read_metadata(model_file).modality == "face";
        if (face && !speakers.empty()) throw emo::ConfigError("--speakers: applies to speech models only");
        emo::api::ScoringRequest request{
            model_file, data_path, split,        speakers,        "--speakers", emo::app::crop_named(crop),
            threads,    normalize, where.device, where.precision, closed_set};
        const Scored scored = emo::api::score_dataset(request);
        const auto& labels = scored.labels;
        emo::app::Batch batch;
        for (const auto& problem : scored.problems) batch.fail(problem, emo::ExitCode::kBadInput);
        if (scored.predicted.empty()) throw emo::InputError(data_path, "no input could be read");
        const auto metrics = emo::api::metrics_of(scored);
        std::cout << "model: " << model_file << " (" << scored.precision << ")\ndata: " << scored.description << "\n"
                  << emo::eval::format_text(metrics);
        if (!json_path.empty())
            emo::core::write_file_atomic(json_path, result_json(metrics, scored, labels, closed_set) + "\n");
        if (!csv_path.empty()) emo::core::write_file_atomic(csv_path, emo::eval::to_csv(metrics));
        if (!plots_dir.empty()) write_plots(plots_dir, metrics, std::filesystem::path(model_file).filename().string());
        return batch.exit_code();
    });
}
