#include "emo/training_job.hpp"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "emo/core.hpp"
#include "emo/error.hpp"
#include "emo/models.hpp"
#include "finetune_data.hpp"

namespace emo::train {
namespace fs = std::filesystem;
namespace {

void warn_of_problems(const std::vector<std::string>& problems, const RunOptions& run) {
    if (problems.empty()) return;
    run.warning(std::to_string(problems.size()) + " images skipped (unreadable or no face), e.g.:");
    for (std::size_t i = 0; i < std::min<std::size_t>(5, problems.size()); ++i) run.warning("  " + problems[i]);
}

// Device, threads and precision: where and how the run works, which a resumed run may change too. Errors name the
// request's fields ("precision: ..."); a program names its flags instead (apps/common/app.cpp).
template <class Config>
void set_where_it_runs(const TrainRequest& r, Config& c) {
    if (!r.device.empty()) c.train.device = r.device;
    if (r.threads > 0) c.train.threads = r.threads;
    if (!r.precision.empty() && !parse_precision(r.precision, c.train.precision)) {
        throw ConfigError("precision: expected auto, fp32 or bf16, got " + r.precision);
    }
}

// The parent's training settings with the fine-tuning defaults, or the config file as it is; then the
// overrides and the request's own settings.
template <class Config>
Config resolve_config(const TrainRequest& r, Config (*parse)(const std::string&, const std::string&),
                      const RunOptions& run) {
    if (r.config_resolved) {  // a run being resumed: only where it runs may change
        Config c = parse(config::read_config_file(r.config), r.config);
        set_where_it_runs(r, c);
        return c;
    }
    const std::string with_set = r.overrides.empty() ? "" : " (with " + r.overrides_setting + ")";
    const auto parse_with_overrides = [&](const std::string& text, const std::string& name) {
        return parse(config::with_overrides(text, r.overrides, name), name + with_set);
    };
    Config c;
    if (r.init.empty()) {
        c = parse_with_overrides(config::read_config_file(r.config), r.config);
    } else {
        const auto parent = models::read_metadata(r.init);
        const Config own = parse(parent.config_yaml, r.init + " (embedded config)");
        c = r.config.empty() ? parse_with_overrides(parent.config_yaml, r.init + " (embedded config)")
                             : parse_with_overrides(config::read_config_file(r.config), r.config);
        if (!r.config.empty()) run.info("model and input settings come from " + r.init);
        c.model = own.model;
        c.input = own.input;
        const auto overridden = [&](const std::string& key) {
            return std::any_of(r.overrides.begin(), r.overrides.end(),
                               [&](const std::string& a) { return a.rfind(key + "=", 0) == 0; });
        };
        if (!overridden("train.learning_rate")) c.train.learning_rate = own.train.learning_rate / 10.0f;
        c.train.epochs = 20;
        if (!overridden("train.average_last")) c.train.average_last = 0;  // the parent's long run is not this one
        c.train.device = "cpu";  // not the device the parent happened to be trained on
    }
    set_where_it_runs(r, c);
    if (r.learning_rate > 0) c.train.learning_rate = r.learning_rate;
    if (r.epochs > 0) {
        c.train.epochs = r.epochs;
        if (c.train.average_last > r.epochs)
            throw ConfigError("epochs " + std::to_string(r.epochs) + ": fewer than the " +
                              std::to_string(c.train.average_last) +
                              " last epochs the config averages (train.average_last); override "
                              "train.average_last=N with N <= " +
                              std::to_string(r.epochs) + " (0: no averaging)");
    }
    if (r.seed >= 0) c.train.seed = r.seed;
    return c;
}

train::TrainResult train_speech(const TrainRequest& r, train::RunOptions run) {
    const auto cfg = speech_config_of(r, run);
    if (r.init.empty()) return train::train_speech(cfg, train::read_corpora(cfg), run);
    const auto data = speech_finetune_data(r, cfg, run);
    run.data = data.data;
    run.keep_last = data.validation_is_training_data;
    return train::train_speech(cfg, data.description, data.split, run);
}

train::TrainResult train_face(const TrainRequest& r, train::RunOptions run) {
    const auto cfg = face_config_of(r, run);
    std::vector<std::string> problems;
    const auto data =
        r.init.empty() ? face_training_data(r, cfg, problems, run) : face_finetune_data(r, cfg, problems, run);
    warn_of_problems(problems, run);
    run.data = data.data;
    run.keep_last = data.validation_is_training_data;
    return train::train_face(cfg, data.train, data.validation, run);
}
}  // namespace

std::string absolute_path(const std::string& path) {
    return path.empty() ? "" : fs::absolute(path).lexically_normal().string();
}

config::SpeechConfig speech_config_of(const TrainRequest& r, const RunOptions& run) {
    auto c = resolve_config(r, config::parse_speech_config, run);
    if (!r.init.empty()) return c;
    if (!r.data.empty()) {
        c.data.clear();
        for (const auto& path : r.data) c.data.push_back({path, 1.0f, ""});
    }
    if (c.data.empty()) throw ConfigError("data: required (or a data: list in " + r.config + ")");
    // The run's config.yaml says exactly what was read, from wherever it is resumed.
    for (auto& d : c.data) {
        if (d.name.empty()) d.name = data::corpus_name(d.path);
        d.path = absolute_path(d.path);
    }
    return c;
}
config::FaceConfig face_config_of(const TrainRequest& r, const RunOptions& run) {
    return resolve_config(r, config::parse_face_config, run);
}

std::string TrainRequest::one_data(const std::string& what) const {
    if (data.size() > 1) {
        throw ConfigError("data: " + what + " takes one dataset, got " + std::to_string(data.size()));
    }
    return data.empty() ? "" : data.front();
}

void TrainRequest::set_folds(const std::string& text) {
    if (text.empty()) return;
    if (text == "corpus") {
        folds_by_corpus = true;
        folds = 0;
        return;
    }
    try {
        std::size_t used = 0;
        folds = std::stoi(text, &used);
        if (used == text.size()) return;
    } catch (const std::exception&) {
    }
    throw ConfigError("folds: expected a number of folds or 'corpus' (leave one corpus out), got '" + text + "'");
}

std::string TrainRequest::to_json() const {
    nlohmann::json paths = nlohmann::json::array();
    for (const auto& d : data) paths.push_back(absolute_path(d));
    const nlohmann::json j{{"modality", modality},
                           {"data", data.size() == 1 ? paths[0] : paths},
                           {"feedback", absolute_path(feedback)},
                           {"validation", absolute_path(validation)},
                           {"init", absolute_path(init)},
                           {"replay", absolute_path(replay)},
                           {"replay_ratio", replay_ratio},
                           {"freeze_features", freeze_features},
                           {"extend_labels", extend_labels},
                           {"set", overrides},
                           {"folds", folds_by_corpus ? nlohmann::json("corpus") : nlohmann::json(folds)}};
    return j.dump(1);
}

TrainRequest TrainRequest::from_run_dir(const std::string& run_dir) {
    const std::string path = run_dir + "/run.json";
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        throw InputError(run_dir, "not a run directory of this emo (no run.json); cannot resume");
    }
    TrainRequest r;
    try {
        const auto j = nlohmann::json::parse(core::read_file(path));
        r.modality = j.at("modality");
        const auto& data = j.at("data");
        if (data.is_string()) {
            if (!data.get<std::string>().empty()) r.data = {data.get<std::string>()};
        } else {
            r.data = data.get<std::vector<std::string>>();
        }
        r.feedback = j.at("feedback");
        r.validation = j.at("validation");
        r.init = j.at("init");
        r.replay = j.at("replay");
        r.replay_ratio = j.at("replay_ratio");
        r.freeze_features = j.at("freeze_features");
        r.extend_labels = j.at("extend_labels");
        const auto folds = j.value("folds", nlohmann::json(0));
        if (folds.is_string()) r.set_folds(folds.get<std::string>());
        else r.folds = folds.get<int>();
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path, std::string("corrupt run description: ") + e.what());
    }
    r.config = run_dir + "/config.yaml";
    r.config_resolved = true;
    return r;
}

void check_request(const TrainRequest& r) {
    if (r.init.empty()) {
        if (r.modality.empty()) throw ConfigError("modality: required (face or speech) unless fine-tuning a model");
        if (r.config.empty()) throw ConfigError("config: required unless fine-tuning a model");
        // Speech may name its corpora in the config's data: list instead (checked with the config).
        if (r.data.empty() && r.modality != "speech") {
            throw ConfigError("data: required unless fine-tuning a model on feedback");
        }
    } else if (r.data.empty() && r.feedback.empty()) {
        throw ConfigError("init: fine-tuning needs new labelled data, feedback or both");
    }
    if (r.replay_ratio < 0 || r.replay_ratio > 100) throw ConfigError("replay_ratio: expected 0..100");
    if ((r.folds != 0 || r.folds_by_corpus) && !r.init.empty())
        throw ConfigError("folds: cross-validation trains from scratch, not by fine-tuning a model");
    if (r.folds == 1 || r.folds < 0) throw ConfigError("folds: expected at least 2, got " + std::to_string(r.folds));
}

TrainRequest start_run(const TrainRequest& request, const train::RunOptions& run) {
    TrainRequest r = request;
    if (!r.init.empty()) {
        const auto parent = models::read_metadata(r.init);
        if (!r.modality.empty() && r.modality != parent.modality) {
            throw ConfigError("modality " + r.modality + ": " + r.init + " is a " + parent.modality + " model");
        }
        r.modality = parent.modality;
    }
    check_request(r);
    std::error_code ec;
    if (run.writes_files()) fs::create_directories(run.out_dir, ec);
    if (ec) throw RuntimeError(run.out_dir + ": cannot create run directory: " + ec.message());
    if (!run.resume && run.writes_files()) core::write_file_atomic(run.out_dir + "/run.json", r.to_json() + "\n");
    return r;
}

train::TrainResult train_request(const TrainRequest& request, train::RunOptions run) {
    const TrainRequest r = start_run(request, run);
    return r.modality == "face" ? train_face(r, run) : train_speech(r, run);
}

void remove_unstarted_run(const std::string& run_dir) {
    std::error_code ec;
    for (fs::recursive_directory_iterator it(run_dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().filename() == "checkpoint.pt") return;
    }
    fs::remove_all(run_dir, ec);
}

}  // namespace emo::train
