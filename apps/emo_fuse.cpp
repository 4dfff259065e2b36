// emo-fuse: weighted decision fusion of face and speech predictions; evaluates fusion on a paired
// set and fits its weights.
#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>

#include "app.hpp"
#include "destinations.hpp"
#include "emo/core.hpp"
#include "emo/fusion.hpp"
#include "emo/prediction_json.hpp"
#include "fusion_output.hpp"
#include "video_output.hpp"

namespace {
using emo::config::FusionConfig;

// --weights FACE,SPEECH: two non-negative numbers summing to 1.
void apply_weights(const std::string& text, FusionConfig& c) {
    const auto comma = text.find(',');
    const std::string expected =
        "--weights: expected FACE,SPEECH, two non-negative numbers summing to 1, got '" + text + "'";
    if (comma == std::string::npos) throw emo::ConfigError(expected);
    try {
        std::size_t used_face = 0, used_speech = 0;
        const std::string face = text.substr(0, comma), speech = text.substr(comma + 1);
        c.face_weight = std::stof(face, &used_face);
        c.speech_weight = std::stof(speech, &used_speech);
        if (used_face != face.size() || used_speech != speech.size()) throw emo::ConfigError(expected);
    } catch (const std::logic_error&) {
        throw emo::ConfigError(expected);
    }
    if (c.face_weight < 0 || c.speech_weight < 0 || std::abs(c.face_weight + c.speech_weight - 1.0f) > 1e-3f) {
        throw emo::ConfigError(expected);
    }
}

std::string model_or_shipped(const std::string& path, const std::string& modality) {
    return path.empty() ? emo::app::default_model(modality) : path;
}

bool looks_like_json(const std::string& path) {
    std::ifstream in(path);
    char c = 0;
    while (in.get(c) && std::isspace(static_cast<unsigned char>(c))) {
    }
    return in && c == '{';
}

emo::app::FusionInputs from_saved(const std::vector<std::string>& files) {
    emo::app::FusionInputs in;
    for (const auto& f : files) {
        if (!looks_like_json(f)) {
            std::error_code ec;
            if (!std::filesystem::exists(f, ec)) throw emo::InputError(f, "no such file");
            throw emo::InputError(f, "neither an emo-predict --json file nor a video");
        }
        const auto saved = emo::fusion::read_prediction_json(f);
        auto& given = saved.modality == "face" ? in.face_given : in.speech_given;
        if (given)
            throw emo::ConfigError(f + ": a second " + saved.modality + " prediction; give one face and one speech");
        given = true;
        (saved.modality == "face" ? in.face : in.speech) = saved.scores;
    }
    return in;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"emo-fuse: combine face and speech predictions (weighted decision fusion)"};
    app.name("emo-fuse");
    std::string config_path, weights, rule, image, clip, face_model, speech_model, pairs, write_config, sweep_dir;
    std::string objective = "accuracy";
    std::vector<std::string> inputs;
    bool json = false, fit = false;
    int threads = 0;
    app.add_option("--config", config_path, "fusion config (default: the shipped configs/fusion.yaml)");
    app.add_option("--weights", weights, "FACE,SPEECH: non-negative weights summing to 1 (overrides the config)");
    app.add_option("--rule", rule, "weighted (default), product or max (overrides the config)")
        ->check(CLI::IsMember({"weighted", "product", "max"}));
    app.add_flag("--json", json, "one JSON object (DESIGN.md shape) instead of text");
    auto* face_flag = app.add_option("--face", image, "an image: its largest face is fused");
    auto* speech_flag = app.add_option("--speech", clip, "a speech clip");
    app.add_option("--face-model", face_model, "face model (default: the shipped one)");
    app.add_option("--speech-model", speech_model, "speech model (default: the shipped one)");
    auto* pairs_flag = app.add_option("--pairs", pairs, "evaluate on a paired set: CSV face,speech,label");
    auto* fit_flag =
        app.add_flag("--fit", fit, "with --pairs: search the weights that maximise --objective")->needs(pairs_flag);
    app.add_option("--objective", objective, "--fit maximises accuracy (default) or macro-f1")
        ->check(CLI::IsMember({"accuracy", "macro-f1"}))
        ->needs(fit_flag);
    app.add_option("--write-config", write_config, "--fit: write the fitted fusion config here")->needs(fit_flag);
    app.add_option("--sweep", sweep_dir,
                   "with --pairs: every rule at face weights 0, 0.05, ..., 1; writes DIR/sweep.csv and sweep.png")
        ->needs(pairs_flag);
    app.add_option("--threads", threads, "decoding and inference threads (0: all cores)")
        ->check(CLI::NonNegativeNumber);
    std::string precision;
    emo::app::add_precision_option(app, precision);
    emo::VideoOptions video_options;
    emo::PredictorOptions predictor_options;
    emo::app::add_video_options(app, video_options, predictor_options);
    app.add_option("inputs", inputs,
                   "one or two emo-predict --json files (a face and/or a speech prediction), or one video")
        ->excludes(face_flag, speech_flag, pairs_flag);
    return emo::app::run(app, argc, argv, [&]() -> int {
        std::string weights_from;
        FusionConfig config = emo::app::load_fusion(config_path, &weights_from);
        if (!weights.empty()) apply_weights(weights, config), weights_from = "--weights";
        if (!rule.empty()) config.rule = emo::config::parse_rule(rule, "--rule");
        emo::models::set_threads(threads);
        const auto where = emo::app::placement("cpu", precision);

        if (!pairs.empty()) {
            emo::app::check_destinations({write_config}, {sweep_dir});
            const auto face = emo::models::FaceModel::load(model_or_shipped(face_model, "face"), where);
            const auto speech = emo::models::SpeechModel::load(model_or_shipped(speech_model, "speech"), where);
            const auto scores = emo::fusion::predict_pairs(emo::data::read_pairs(pairs), face, speech, threads);
            const auto labels = emo::fusion::fused_labels(config, {face.metadata().labels, speech.metadata().labels});
            if (!sweep_dir.empty()) {
                emo::app::write_weight_sweep(scores, config, labels, sweep_dir);
                spdlog::info("weight sweep: {}/sweep.csv, sweep.png", sweep_dir);
            }
            if (fit) {
                const auto goal =
                    objective == "accuracy" ? emo::fusion::Objective::kAccuracy : emo::fusion::Objective::kMacroF1;
                const auto result = emo::fusion::fit_weights(scores, config, labels, goal);
                config.face_weight = result.face_weight;
                config.speech_weight = 1.0f - result.face_weight;
                weights_from = "fitted on these pairs for " + objective + ": not an unbiased estimate";
                spdlog::info("fit: face weight {:.2f} gives {} {:.4f}", result.face_weight, objective,
                             result.objective);
                if (!write_config.empty()) {
                    emo::core::write_file_atomic(write_config, "# emo-fuse --fit --pairs " + pairs + " --objective " +
                                                                   objective + "\n" + emo::config::to_yaml(config));
                    spdlog::info("fusion config: {}", write_config);
                }
            }
            emo::app::print_paired_report(pairs, emo::fusion::evaluate_pairs(scores, config, labels), config,
                                          weights_from, json, std::cout);
            return 0;
        }
        // Media (an image and a clip, or a video) are scored through the library's Predictor.
        const auto predictor = [&] {
            predictor_options.speech_model = model_or_shipped(speech_model, "speech");
            predictor_options.face_model = model_or_shipped(face_model, "face");
            predictor_options.threads = threads;
            predictor_options.precision = precision.empty() ? "auto" : precision;
            return emo::Predictor(predictor_options);
        };
        if (!image.empty() || !clip.empty()) {
            if (image.empty() || clip.empty()) throw emo::ConfigError("--face and --speech: give both");
            emo::app::print_fused(emo::app::fusion_inputs_from_media(image, clip, predictor()), config, json,
                                  std::cout);
            return 0;
        }
        if (inputs.empty() || inputs.size() > 2) {
            throw emo::ConfigError(
                "give one or two prediction JSON files, --face IMAGE --speech AUDIO, or --pairs CSV");
        }
        if (inputs.size() == 1 && emo::is_video_file(inputs[0])) {
            video_options.validate();
            video_options.fusion = {config_path, weights.empty() ? -1.0f : config.face_weight, rule};
            emo::app::print_video(inputs[0], predictor(), video_options,
                                  json ? emo::app::Format::kJson : emo::app::Format::kText, std::cout);
            return 0;
        }
        emo::app::print_fused(from_saved(inputs), config, json, std::cout);
        return 0;
    });
}
