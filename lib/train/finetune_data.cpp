#include "finetune_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>

#include "emo/error.hpp"
#include "emo/models.hpp"
#include "emo/face_data.hpp"
#include "emo/vision.hpp"

namespace emo::train {
namespace fs = std::filesystem;
namespace {

// `count` of 0..n-1, drawn without replacement (all of them when count >= n), seeded.
std::vector<std::size_t> draw(std::size_t n, std::size_t count, int seed) {
    std::vector<std::size_t> idx(n);
    std::iota(idx.begin(), idx.end(), 0);
    std::mt19937 rng(uint32_t(seed) + 7919u);
    std::shuffle(idx.begin(), idx.end(), rng);
    idx.resize(std::min(n, count));
    std::sort(idx.begin(), idx.end());
    return idx;
}

// Where the parent's training data is, and how it was split: its training_data record, or for
// older models the path at the start of trained_on. An explicit --replay wins.
nlohmann::json replay_source(const TrainRequest& r, const models::ModelMetadata& parent) {
    auto source = parent.training_data;
    if (source.contains("replay_source")) source = source["replay_source"];
    if (!source.contains("path")) {
        const auto end = parent.trained_on.find(" (");
        source["path"] = parent.trained_on.substr(0, end);
    }
    if (!r.replay.empty()) {  // the named location replaces every corpus the parent trained on
        source.erase("corpora");
        source["path"] = absolute_path(r.replay);
    }
    return source;
}

std::size_t replay_count(const TrainRequest& r, std::size_t new_count) {
    return std::size_t(std::lround(double(r.replay_ratio) * double(new_count)));
}

// Replay is on by default; when the original data (every corpus of a multi-corpus parent) is not
// where the model says, fine-tuning goes on without it (with a warning) unless the user named the location.
bool replay_available(const TrainRequest& r, const nlohmann::json& source, const RunOptions& run) {
    std::vector<std::string> paths;
    for (const auto& c : source.value("corpora", nlohmann::json::array())) paths.push_back(c.at("path"));
    if (paths.empty()) paths.push_back(source.at("path"));
    std::error_code ec;
    for (const auto& path : paths) {
        if (fs::exists(path, ec)) continue;
        if (!r.replay.empty()) throw InputError(r.replay, "replay: original training data not found");
        run.warning("original training data " + path + " not found: fine-tuning without replay (give its new place)");
        return false;
    }
    return true;
}

nlohmann::json new_data_json(const TrainRequest& r) {
    nlohmann::json j{{"path", absolute_path(r.one_data("fine-tuning"))}};
    if (!r.feedback.empty()) j["feedback"] = absolute_path(r.feedback);
    if (!r.validation.empty()) j["validation"] = absolute_path(r.validation);
    return j;
}

// A multi-corpus parent names its held-out speakers "corpus/speaker"; replayed from one corpus
// (--replay PATH) the same speakers are plain "speaker", and must stay out all the same.
bool is_held_out(const std::string& speaker, const std::vector<std::string>& held_out) {
    return std::any_of(held_out.begin(), held_out.end(), [&](const std::string& h) {
        const auto slash = h.find('/');
        return h == speaker || (slash != std::string::npos && h.compare(slash + 1, std::string::npos, speaker) == 0);
    });
}

std::vector<data::Sample> original_training_clips(const nlohmann::json& source,
                                                  const config::SpeechConfig& parent_config) {
    std::vector<data::CorpusPath> corpora;
    for (const auto& c : source.value("corpora", nlohmann::json::array()))
        corpora.push_back({c.at("path"), c.at("name")});
    const auto dataset = corpora.empty() ? data::read_speech_dataset(source.at("path").get<std::string>())
                                         : data::read_speech_corpora(corpora);
    const auto held_out = source.value("validation_speakers", parent_config.split.validation_speakers);
    std::vector<data::Sample> out;
    for (const auto& s : dataset.samples)
        if (!is_held_out(s.speaker, held_out)) out.push_back(s);
    return out;
}

data::FaceImages faces_of(const std::string& path, const std::string& split, const config::FaceConfig& cfg,
                          std::vector<std::string>& problems) {
    const vision::FaceDetector detector(cfg.input);
    const std::string wanted = data::has_split(path, split) ? split : "";
    return data::load_faces(path, wanted, detector, vision::CropMode::kAuto, cfg.train.threads, problems);
}

data::FaceImages subset(const data::FaceImages& all, const std::vector<std::size_t>& which) {
    data::FaceImages out{all.source, all.size, {}, {}, {}};
    for (std::size_t i : which) out.append(all, i);
    return out;
}
}  // namespace

SpeechRunData speech_finetune_data(const TrainRequest& r, const config::SpeechConfig& cfg, const RunOptions& run) {
    SpeechRunData out;
    std::vector<std::string> parts;
    if (!r.data.empty()) {
        const auto ds = data::read_speech_dataset(r.one_data("fine-tuning"));
        out.split.train = ds.samples;
        parts.push_back(std::to_string(ds.samples.size()) + " clips of " + ds.source);
    }
    if (!r.feedback.empty()) {
        const auto fb = data::read_feedback(r.feedback);
        const auto samples = fb.samples();
        out.split.train.insert(out.split.train.end(), samples.begin(), samples.end());
        parts.push_back(std::to_string(samples.size()) + " feedback clips of " + fb.source);
    }
    const std::size_t new_count = out.split.train.size();
    out.validation_is_training_data = r.validation.empty();
    out.split.validation = r.validation.empty() ? out.split.train : data::read_speech_dataset(r.validation).samples;

    auto record = new_data_json(r);
    const auto parent = models::read_metadata(r.init);
    const auto source = replay_source(r, parent);
    record["replay_source"] = source;
    if (r.replay_ratio > 0 && replay_available(r, source, run)) {
        const auto parent_config = config::parse_speech_config(parent.config_yaml, r.init);
        const auto pool = original_training_clips(source, parent_config);
        for (std::size_t i : draw(pool.size(), replay_count(r, new_count), cfg.train.seed))
            out.split.train.push_back(pool[i]);
        const std::size_t replayed = out.split.train.size() - new_count;
        parts.push_back(std::to_string(replayed) + " replayed clips of " + source["path"].get<std::string>());
        record["replayed"] = replayed;
    }
    out.data = record;
    out.description = "fine-tuned from " + absolute_path(r.init) + " on";
    for (std::size_t i = 0; i < parts.size(); ++i) out.description += (i ? " + " : " ") + parts[i];
    out.description += out.validation_is_training_data ? "; no held-out validation data"
                                                       : "; validation: " + absolute_path(r.validation);
    return out;
}

FaceRunData face_training_data(const TrainRequest& r, const config::FaceConfig& cfg, std::vector<std::string>& problems,
                               const RunOptions& run) {
    FaceRunData out;
    const vision::FaceDetector detector(cfg.input);
    const auto mode = vision::CropMode::kAuto;
    const std::string data = r.one_data("face training");
    nlohmann::json record{{"path", absolute_path(data)}};
    if (data::has_split(data, cfg.split.train)) {
        out.train = data::load_faces(data, cfg.split.train, detector, mode, cfg.train.threads, problems);
        out.validation = data::load_faces(data, cfg.split.validation, detector, mode, cfg.train.threads, problems);
        record["split"] = cfg.split.train;
    } else {
        const auto all = data::load_faces(data, "", detector, mode, cfg.train.threads, problems);
        data::stratified_split(all, cfg.split.validation_fraction, cfg.train.seed, out.train, out.validation);
        run.info(fmt::format("no '{}' split in {}: holding out a stratified {:.0f} % for validation", cfg.split.train,
                             data, 100.0 * cfg.split.validation_fraction));
        record["validation_fraction"] = cfg.split.validation_fraction;
        record["seed"] = cfg.train.seed;
    }
    out.data = record;
    return out;
}

FaceRunData face_finetune_data(const TrainRequest& r, const config::FaceConfig& cfg, std::vector<std::string>& problems,
                               const RunOptions& run) {
    FaceRunData out;
    out.train.size = cfg.input.size;
    if (!r.data.empty()) out.train = faces_of(r.one_data("fine-tuning"), cfg.split.train, cfg, problems);
    if (!r.feedback.empty()) {
        const auto fb =
            data::load_feedback_faces(data::read_feedback(r.feedback), vision::FaceDetector(cfg.input), problems);
        for (std::size_t i = 0; i < fb.count(); ++i) out.train.append(fb, i);
        if (r.data.empty()) out.train.source = fb.source;
    }
    const std::size_t new_count = out.train.count();
    out.validation_is_training_data = r.validation.empty();
    out.validation = r.validation.empty() ? out.train : faces_of(r.validation, cfg.split.validation, cfg, problems);

    auto record = new_data_json(r);
    const auto parent = models::read_metadata(r.init);
    const auto source = replay_source(r, parent);
    record["replay_source"] = source;
    if (r.replay_ratio > 0 && replay_available(r, source, run)) {
        auto pool = faces_of(source["path"], source.value("split", ""), cfg, problems);
        if (source.contains("validation_fraction")) {
            data::FaceImages held_out;
            data::stratified_split(data::FaceImages(pool), source["validation_fraction"], source["seed"], pool,
                                   held_out);
        }
        const auto replayed = subset(pool, draw(pool.count(), replay_count(r, new_count), cfg.train.seed));
        for (std::size_t i = 0; i < replayed.count(); ++i) out.train.append(replayed, i);
        record["replayed"] = replayed.count();
        run.info("replaying " + std::to_string(replayed.count()) + " faces of " + pool.source);
    }
    out.data = record;
    return out;
}

}  // namespace emo::train
