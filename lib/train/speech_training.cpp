#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include <fmt/format.h>

#include "augment.hpp"
#include "corpus_sampling.hpp"
#include "emo/argmax.hpp"
#include "emo/core.hpp"
#include "emo/error.hpp"
#include "emo/eval.hpp"
#include "emo/speech_cnn.hpp"
#include "emo/train.hpp"
#include "engine.hpp"
#include "fit.hpp"
#include "run_files.hpp"

namespace emo::train {
namespace {

struct LabelledClips {
    std::vector<audio::Features> features;
    std::vector<int> labels;
    std::vector<int> speaker_groups;                // one id per speaker
    std::vector<std::vector<float>> speaker_means;  // per clip, its speaker's (input.speaker_norm only)
    const std::vector<float>* speaker_mean(std::size_t clip) const {
        return speaker_means.empty() ? nullptr : &speaker_means[clip];
    }
};

LabelledClips prepare_clips(const std::vector<data::Sample>& samples, const std::vector<std::string>& labels,
                            const config::SpeechConfig& cfg) {
    std::vector<std::string> paths, speakers;
    LabelledClips out;
    for (const auto& s : samples) {
        paths.push_back(s.path);
        speakers.push_back(s.speaker);
        out.labels.push_back(int(std::find(labels.begin(), labels.end(), s.label) - labels.begin()));
    }
    out.features = models::featurize_all(cfg.input, paths, cfg.cache_dir, true, cfg.train.threads);
    out.speaker_groups = models::speaker_groups(speakers, models::SpeakerGrouping::kSpeaker);
    if (cfg.input.speaker_norm) out.speaker_means = models::speaker_means(out.features, out.speaker_groups);
    return out;
}

// Per-dimension mean and std over every training frame (after utterance normalisation if set).
void feature_stats(const LabelledClips& train, const config::SpeechInputOptions& input, std::vector<float>& mean,
                   std::vector<float>& stdev) {
    const int dim = input.features.dim();
    std::vector<double> sum(std::size_t(dim), 0.0), sq(std::size_t(dim), 0.0);
    double frames = 0;
    const std::vector<float> zero(std::size_t(dim), 0.0f), one(std::size_t(dim), 1.0f);
    for (std::size_t i = 0; i < train.features.size(); ++i) {
        auto f = train.features[i];
        models::normalise(f, input, zero, one, train.speaker_mean(i));
        for (int t = 0; t < f.num_frames; ++t)
            for (int d = 0; d < dim; ++d) {
                const double v = f.frame(t)[d];
                sum[std::size_t(d)] += v;
                sq[std::size_t(d)] += v * v;
            }
        frames += f.num_frames;
    }
    mean.resize(std::size_t(dim));
    stdev.resize(std::size_t(dim));
    for (std::size_t d = 0; d < std::size_t(dim); ++d) {
        const double m = sum[d] / frames;
        mean[d] = float(m);
        stdev[d] = float(std::sqrt(std::max(sq[d] / frames - m * m, 1e-8)));
    }
}

// One line per corpus (clips, labels) and how the run treats them.
void describe_corpora(const std::vector<data::Sample>& train, bool unmasked, bool plain_draws,
                      float missing_label_weight, const std::function<void(const std::string&)>& info) {
    const auto corpora = data::corpora_of(train);
    if (corpora.size() < 2) return;
    const auto labels = data::labels_per_corpus(train);
    for (const auto& corpus : corpora) {
        const auto n =
            std::count_if(train.begin(), train.end(), [&](const data::Sample& s) { return s.corpus == corpus; });
        std::string line = "corpus " + corpus + ": " + std::to_string(n) + " training clips, labels";
        for (const auto& l : labels.at(corpus)) line += " " + l;
        info(line);
    }
    const std::string masked = missing_label_weight > 0.0f
                                   ? "each clip's loss covers its corpus's labels (" +
                                         std::to_string(int(std::lround(100 * missing_label_weight))) +
                                         " % of it every label)"
                                   : "each clip's loss covers its corpus's labels only";
    info(std::string(unmasked ? "every corpus has every label" : masked) +
         (plain_draws ? "; every clip once per epoch" : "; clips drawn by corpus/class balance (config: sampling)"));
}

// Validation accuracy of each corpus alone; empty for validation data of one corpus.
std::map<std::string, double> accuracy_per_corpus(const std::vector<std::vector<float>>& probs,
                                                  const std::vector<int>& truth,
                                                  const std::vector<data::Sample>& clips) {
    std::map<std::string, double> correct, total;
    for (std::size_t i = 0; i < clips.size(); ++i) {
        const auto predicted = int(core::argmax(probs[i]));
        correct[clips[i].corpus] += predicted == truth[i] ? 1.0 : 0.0;
        total[clips[i].corpus] += 1.0;
    }
    if (total.size() < 2) return {};
    for (auto& [corpus, c] : correct) c /= total[corpus];
    return correct;
}

// Each training clip's corpus as an index into data::corpora_of(clips); empty for fewer than two corpora.
std::vector<std::int64_t> corpus_indices(const std::vector<data::Sample>& clips) {
    const auto corpora = data::corpora_of(clips);
    if (corpora.size() < 2) return {};
    std::vector<std::int64_t> out;
    for (const auto& s : clips) out.push_back(std::find(corpora.begin(), corpora.end(), s.corpus) - corpora.begin());
    return out;
}

// DANN's schedule for the reversed gradient: 0 at the start, `weight` by the end of the run.
double adversary_scale(double weight, double progress) {
    return weight * (2.0 / (1.0 + std::exp(-10.0 * progress)) - 1.0);
}

// calibration.fit_temperature: the chosen model (result.model_path) gets the temperature that fits the
// held-out clips best, and the result the figures with it.
void calibrate(TrainResult& result, const LabelledClips& val, const std::vector<std::string>& labels,
               const std::function<void(const std::string&)>& info) {
    models::ModelMetadata meta;
    config::SpeechConfig saved;
    auto net = models::load_speech_network(result.model_path, meta, saved);
    const auto logits = models::window_logits(net, saved.input, meta.feature_mean, meta.feature_std, val.features, 64,
                                              val.speaker_groups);
    result.calibration.ece_before = eval::expected_calibration_error(eval::averaged_softmax(logits, 1.0), val.labels);
    result.calibration.temperature = eval::fit_temperature(logits, val.labels);
    const auto probs = eval::averaged_softmax(logits, result.calibration.temperature);
    result.calibration.ece_after = eval::expected_calibration_error(probs, val.labels);
    result.best_validation = metrics_of_scores(probs, val.labels, labels);
    result.best_validation.ece = result.calibration.ece_after;
    meta.temperature = float(result.calibration.temperature);
    models::save_model(result.model_path, *net, meta);  // without the training-only corpus classifier
    info(fmt::format("temperature {:.3f} fitted on the validation clips: expected calibration error {:.4f} -> {:.4f}",
                     result.calibration.temperature, result.calibration.ece_before, result.calibration.ece_after));
}

// Clips: cached features, drawn by corpus/class balance or shuffled, augmented on the fly and cut to
// the model's window; several corpora bring each clip's allowed labels.
class SpeechPart : public ModalityPart {
public:
    SpeechPart(const LabelledClips& train, const LabelledClips& val, const std::vector<data::Sample>& val_clips,
               const config::SpeechConfig& cfg, const models::ModelMetadata& meta,
               const std::vector<std::uint8_t>& masks, const std::vector<double>& draws,
               const std::vector<std::int64_t>& corpus_of_clip, int num_classes, models::SpeechCnn& net)
        : train_(train),
          val_(val),
          val_clips_(val_clips),
          cfg_(cfg),
          meta_(meta),
          masks_(masks),
          draws_(draws),
          corpus_of_clip_(corpus_of_clip),
          num_classes_(num_classes),
          net_(net) {}

    long samples() const override { return long(train_.features.size()); }
    void next_order(std::vector<std::int64_t>& order, std::mt19937& rng) const override {
        next_epoch(order, draws_, rng);
    }

    Batch batch(const std::int64_t* samples, long n, std::mt19937& rng) override {
        const int seg = cfg_.input.segment_frames(), dim = cfg_.input.features.dim();
        auto inputs = torch::empty({n, 1, dim, seg});
        std::vector<int64_t> targets(static_cast<std::size_t>(n)), corpora;
        auto allowed = masks_.empty() ? torch::Tensor() : torch::empty({n, num_classes_}, torch::kBool);
        for (std::size_t i = 0; i < std::size_t(n); ++i) {
            const auto sample = std::size_t(samples[i]);
            if (allowed.defined()) {
                std::copy_n(masks_.data() + sample * std::size_t(num_classes_), num_classes_,
                            reinterpret_cast<std::uint8_t*>(allowed.data_ptr<bool>()) + i * std::size_t(num_classes_));
            }
            audio::Features f = train_.features[sample];
            augment_level(f, cfg_.input, cfg_.augment, rng);
            warp_axes(f, cfg_.input, cfg_.augment, rng);
            const float own_share = cfg_.augment.own_mean_probability;
            const bool own_mean =
                own_share > 0.0f && std::uniform_real_distribution<float>(0.0f, 1.0f)(rng) < own_share;
            models::normalise(f, cfg_.input, meta_.feature_mean, meta_.feature_std,
                              own_mean ? nullptr : train_.speaker_mean(sample));
            float* window = inputs.data_ptr<float>() + i * std::size_t(dim) * std::size_t(seg);
            crop_window(f, seg, cfg_.augment.random_crop, rng, window);
            spec_augment(window, dim, seg, cfg_.augment, rng);
            targets[i] = train_.labels[sample];
            if (!corpus_of_clip_.empty()) corpora.push_back(corpus_of_clip_[sample]);
        }
        return {inputs, torch::tensor(targets), allowed, corpora.empty() ? torch::Tensor() : torch::tensor(corpora),
                torch::Tensor()};
    }

    long validation_samples() const override { return long(val_.features.size()); }
    std::vector<std::vector<float>> validate(long begin, long end) override {
        return models::predict_clips(net_, cfg_.input, meta_.feature_mean, meta_.feature_std,
                                     {val_.features.begin() + begin, val_.features.begin() + end}, 64, 1.0f,
                                     {val_.speaker_groups.begin() + begin, val_.speaker_groups.begin() + end});
    }
    void annotate(EpochRecord& rec, const std::vector<std::vector<float>>& probs) const override {
        rec.val_corpus_accuracy = accuracy_per_corpus(probs, val_.labels, val_clips_);
    }

private:
    const LabelledClips& train_;
    const LabelledClips& val_;
    const std::vector<data::Sample>& val_clips_;
    const config::SpeechConfig& cfg_;
    const models::ModelMetadata& meta_;
    const std::vector<std::uint8_t>& masks_;
    const std::vector<double>& draws_;
    const std::vector<std::int64_t>& corpus_of_clip_;  // empty without a corpus adversary
    int num_classes_;
    models::SpeechCnn& net_;
};

// Speech's side of fit(): clips featurized once (cached), a CNN with an optional corpus adversary,
// losses over each corpus's labels, and a temperature fitted afterwards if asked.
class SpeechTask : public Task {
public:
    SpeechTask(const config::SpeechConfig& cfg, const std::string& source, const data::Split& split)
        : cfg_(cfg), source_(source), split_(split) {}

    void check() const override {
        if (split_.train.empty()) throw InputError(source_, "no clips to train on");
    }
    std::vector<std::string> data_labels() const override { return data::labels_of(all_clips()); }
    const std::string& source() const override { return source_; }
    void load_parent(const std::string& path, models::ModelMetadata& parent) override {
        config::SpeechConfig parent_config;
        net_ = models::load_speech_network(path, parent, parent_config);
    }
    void write_split(const std::string& out_dir) const override { train::write_split(out_dir, source_, split_); }

    void prepare(const std::vector<std::string>& labels, models::ModelMetadata& meta,
                 const models::ModelMetadata* parent, const Info& info) override {
        const auto t0 = std::chrono::steady_clock::now();
        info("features: " + std::to_string(split_.train.size() + split_.validation.size()) +
             " clips (cache: " + data::FeatureCache(cfg_.cache_dir, "").dir() + ")");
        train_ = prepare_clips(split_.train, labels, cfg_);
        val_ = prepare_clips(split_.validation, labels, cfg_);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        info("features ready in " + std::to_string(int(seconds)) + " s; training on " +
             std::to_string(split_.train.size()) + " clips, validating on " + std::to_string(split_.validation.size()) +
             " clips");
        meta.trained_on = source_;
        if (parent != nullptr) {
            meta.feature_mean = parent->feature_mean;
            meta.feature_std = parent->feature_std;
        } else {
            feature_stats(train_, cfg_.input, meta.feature_mean, meta.feature_std);
        }
    }

    eval::Metrics metrics_before(const std::vector<std::string>& labels, const models::ModelMetadata& meta) override {
        return metrics_of_scores(models::predict_clips(net_, cfg_.input, meta.feature_mean, meta.feature_std,
                                                       val_.features, 64, 1.0f, val_.speaker_groups),
                                 val_.labels, labels);
    }

    void build_network(int classes, const InitOptions& init, const Info& info) override {
        if (net_) {
            net_->extend_classes(classes);
            if (init.freeze_features) freeze(net_->features());
        } else {
            net_ = models::SpeechCnn(cfg_.model, cfg_.input.features.dim(), classes);
        }
        // The corpus adversary: a corpus classifier whose reversed gradient pushes the trunk towards
        // features every corpus shares (config: model.corpus_adversary).
        if (cfg_.model.corpus_adversary > 0.0f) corpus_of_clip_ = corpus_indices(split_.train);
        if (!corpus_of_clip_.empty()) {
            const auto corpora = int(data::corpora_of(split_.train).size());
            net_->add_corpus_head(corpora, cfg_.model.adversary_hidden);
            info("corpus adversary over " + std::to_string(corpora) + " corpora, reversed-gradient weight up to " +
                 fmt::format("{:g}", cfg_.model.corpus_adversary));
        } else if (cfg_.model.corpus_adversary > 0.0f) {
            info("model.corpus_adversary: the training data has one corpus; no adversary");
        }
    }
    torch::nn::Module& network() override { return *net_; }

    // Several corpora: each clip's loss ranges over its corpus's labels, and the draws balance corpora
    // and classes as configured (the class weights then undo only what the draws leave unbalanced).
    LossOptions loss(const std::vector<std::string>& labels, const Info& info) override {
        masks_ = corpus_label_masks(split_.train, data::labels_per_corpus(all_clips()), labels);
        draws_ = draw_weights(split_.train, cfg_);
        describe_corpora(split_.train, masks_.empty(), draws_.empty(), cfg_.sampling.missing_label_weight, info);
        const auto weights =
            class_weights(expected_label_counts(train_.labels, draws_, int(labels.size())), cfg_.train);
        return {torch::nn::functional::CrossEntropyFuncOptions().weight(weights).label_smoothing(
                    cfg_.train.label_smoothing),
                cfg_.sampling.missing_label_weight, cfg_.augment.mixup_alpha};
    }
    ModalityPart& part(const std::vector<std::string>& labels, const models::ModelMetadata& meta) override {
        part_ = std::make_unique<SpeechPart>(train_, val_, split_.validation, cfg_, meta, masks_, draws_,
                                             corpus_of_clip_, int(labels.size()), net_);
        return *part_;
    }
    Trainee trainee() override {
        return {*net_, net_->features(), [this](const torch::Tensor& x, double progress) {
                    if (corpus_of_clip_.empty() || !net_->is_training()) return ForwardResult{net_->forward(x), {}};
                    auto out = net_->forward_with_corpus(x, adversary_scale(cfg_.model.corpus_adversary, progress));
                    return ForwardResult{out.logits, out.corpus_logits};
                }};
    }
    const std::vector<int>& validation_truth() const override { return val_.labels; }

    void after_training(TrainResult& result, const std::vector<std::string>& labels, const RunOptions& run,
                        const Info& info) override {
        if (cfg_.calibration.fit_temperature && run.writes_files() && !val_.features.empty() &&
            std::filesystem::exists(result.model_path))
            calibrate(result, val_, labels, info);
    }
    std::string validated_on() const override { return "validation clips"; }

private:
    std::vector<data::Sample> all_clips() const {
        auto all = split_.train;
        all.insert(all.end(), split_.validation.begin(), split_.validation.end());
        return all;
    }

    const config::SpeechConfig& cfg_;
    const std::string& source_;
    const data::Split& split_;
    models::SpeechCnn net_{nullptr};
    LabelledClips train_, val_;
    std::vector<std::int64_t> corpus_of_clip_;  // empty without a corpus adversary
    std::vector<std::uint8_t> masks_;
    std::vector<double> draws_;
    std::unique_ptr<SpeechPart> part_;
};

}  // namespace

TrainResult train_speech(const config::SpeechConfig& cfg, const data::Dataset& dataset, const RunOptions& run) {
    const auto split = data::split_by_speaker(dataset.samples, cfg.split.validation_speakers);
    if (split.train.empty())
        throw ConfigError("split.validation_speakers: every speaker is held out; nothing to train on");
    std::string description = dataset.source +
                              " (train speakers: " + std::to_string(data::speakers_of(split.train).size()) +
                              ", held-out validation speakers:";
    for (const auto& s : cfg.split.validation_speakers) description += " " + s;
    RunOptions with_data = run;
    if (run.data.empty()) {
        nlohmann::json data{{"path", dataset.source}, {"validation_speakers", cfg.split.validation_speakers}};
        if (cfg.data.size() > 1) {  // replay reads every corpus again, each under its name
            for (const auto& d : cfg.data)
                data["corpora"].push_back({{"path", d.path}, {"name", d.name}, {"weight", d.weight}});
        }
        with_data.data = data;
    }
    return train_speech(cfg, description + ")", split, with_data);
}

TrainResult train_speech(const config::SpeechConfig& cfg, const std::string& source, const data::Split& split,
                         const RunOptions& run) {
    cfg.validate();
    SpeechTask task(cfg, source, split);
    return fit(task, cfg.train, "speech", config::to_yaml(cfg), run);
}

}  // namespace emo::train
