#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <random>

#include "augment.hpp"
#include "emo/core.hpp"
#include "emo/error.hpp"
#include "emo/speech_cnn.hpp"
#include "emo/train.hpp"
#include "run_files.hpp"

namespace emo::train {
namespace {

struct LabelledClips {
    std::vector<audio::Features> features;
    std::vector<int> labels;
};

LabelledClips prepare(const std::vector<data::Sample>& samples, const std::vector<std::string>& labels,
                      const config::SpeechConfig& cfg) {
    std::vector<std::string> paths;
    LabelledClips out;
    for (const auto& s : samples) {
        paths.push_back(s.path);
        out.labels.push_back(int(std::find(labels.begin(), labels.end(), s.label) - labels.begin()));
    }
    out.features = models::featurize_all(cfg.input, paths, cfg.cache_dir, true, cfg.train.threads);
    return out;
}

// Per-dimension mean and std over every training frame (after utterance normalisation if set).
void feature_stats(const LabelledClips& train, const config::SpeechInputOptions& input, std::vector<float>& mean,
                   std::vector<float>& stdev) {
    const int dim = input.features.dim();
    std::vector<double> sum(std::size_t(dim), 0.0), sq(std::size_t(dim), 0.0);
    double frames = 0;
    const std::vector<float> zero(std::size_t(dim), 0.0f), one(std::size_t(dim), 1.0f);
    for (auto f : train.features) {
        models::normalise(f, input, zero, one);
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

torch::Tensor class_weights(const std::vector<int>& labels, int num_classes, bool enabled) {
    std::vector<float> w(std::size_t(num_classes), 1.0f);
    if (enabled) {
        std::vector<float> counts(std::size_t(num_classes), 0.0f);
        for (int l : labels) counts[std::size_t(l)] += 1.0f;
        for (std::size_t c = 0; c < w.size(); ++c) w[c] = counts[c] > 0 ? float(labels.size()) / (num_classes * counts[c]) : 0.0f;
    }
    return torch::tensor(w);
}

double scheduled_lr(const config::TrainOptions& t, long step, long total) {
    const double progress = double(step) / double(std::max(1L, total));
    const double pi = 3.14159265358979323846;
    switch (t.schedule) {
        case config::Schedule::kNone: return t.learning_rate;
        case config::Schedule::kCosine: return t.learning_rate * 0.5 * (1 + std::cos(pi * progress));
        case config::Schedule::kOneCycle: {
            constexpr double warmup = 0.3;
            if (progress < warmup) {
                const double start = t.learning_rate / 25.0;
                return start + (t.learning_rate - start) * 0.5 * (1 - std::cos(pi * progress / warmup));
            }
            const double end = t.learning_rate / 1e4;
            return end + (t.learning_rate - end) * 0.5 * (1 + std::cos(pi * (progress - warmup) / (1 - warmup)));
        }
    }
    return t.learning_rate;
}

double sample_beta(float alpha, std::mt19937& rng) {
    std::gamma_distribution<double> gamma(alpha, 1.0);
    const double a = gamma(rng), b = gamma(rng);
    return a + b > 0 ? a / (a + b) : 0.5;
}

torch::Tensor shuffled_indices(long n, std::mt19937& rng) {
    std::vector<int64_t> idx(static_cast<std::size_t>(n));
    std::iota(idx.begin(), idx.end(), 0);
    std::shuffle(idx.begin(), idx.end(), rng);
    return torch::tensor(idx);
}

}  // namespace

TrainResult train_speech(const config::SpeechConfig& cfg, const data::Dataset& dataset, const RunOptions& run) {
    cfg.validate();
    const auto info = [&](const std::string& s) { if (run.on_info) run.on_info(s); };
    std::error_code ec;
    std::filesystem::create_directories(run.out_dir, ec);
    if (ec) throw RuntimeError(run.out_dir + ": cannot create run directory: " + ec.message());

    const auto split = data::split_by_speaker(dataset.samples, cfg.split.validation_speakers);
    if (split.train.empty()) throw ConfigError("split.validation_speakers: every speaker is held out; nothing to train on");
    const auto labels = dataset.labels();
    const int num_classes = int(labels.size());
    if (num_classes < 2) throw InputError(dataset.source, "needs at least two labels to train, found " + std::to_string(num_classes));
    core::write_file_atomic(run.out_dir + "/config.yaml", config::to_yaml(cfg));
    write_split(run.out_dir, dataset.source, split);

    models::set_threads(cfg.train.threads);
    torch::manual_seed(uint64_t(cfg.train.seed));
    std::mt19937 rng(uint32_t(cfg.train.seed));

    const auto t0 = std::chrono::steady_clock::now();
    info("features: " + std::to_string(dataset.samples.size()) + " clips (cache: " +
         data::FeatureCache(cfg.cache_dir, "").dir() + ")");
    const LabelledClips train = prepare(split.train, labels, cfg);
    const LabelledClips val = prepare(split.validation, labels, cfg);
    const double feature_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    info("features ready in " + std::to_string(int(feature_seconds)) + " s; training on " +
         std::to_string(split.train.size()) + " clips, validating on " + std::to_string(split.validation.size()) +
         " clips of held-out speakers");

    models::ModelMetadata meta;
    meta.labels = labels;
    meta.config_yaml = config::to_yaml(cfg);
    meta.trained_on = dataset.source + " (train speakers: " + std::to_string(data::speakers_of(split.train).size()) +
                      ", held-out validation speakers:";
    for (const auto& s : cfg.split.validation_speakers) meta.trained_on += " " + s;
    meta.trained_on += ")";
    meta.emo_version = kVersion;
    feature_stats(train, cfg.input, meta.feature_mean, meta.feature_std);

    models::SpeechCnn net(cfg.model, num_classes);
    torch::optim::AdamW optimizer(net->parameters(),
                                  torch::optim::AdamWOptions(cfg.train.learning_rate).weight_decay(cfg.train.weight_decay));
    const auto weights = class_weights(train.labels, num_classes, cfg.train.class_weighting);
    const auto loss_options = torch::nn::functional::CrossEntropyFuncOptions().weight(weights).label_smoothing(
        cfg.train.label_smoothing);

    const int seg = cfg.input.segment_frames(), dim = cfg.input.features.dim();
    const int batch_size = cfg.train.batch_size;
    const long steps_per_epoch = long((train.features.size() + std::size_t(batch_size) - 1) / std::size_t(batch_size));
    const long total_steps = steps_per_epoch * cfg.train.epochs;
    std::vector<std::size_t> order(train.features.size());
    std::iota(order.begin(), order.end(), 0);

    TrainResult result;
    result.run_dir = run.out_dir;
    result.model_path = run.out_dir + "/model.pt";
    double best_accuracy = -1.0;
    long step = 0;
    for (int epoch = 1; epoch <= cfg.train.epochs; ++epoch) {
        const auto epoch_start = std::chrono::steady_clock::now();
        std::shuffle(order.begin(), order.end(), rng);
        net->train();
        double loss_sum = 0;
        int correct = 0;
        double lr = 0;
        for (std::size_t b = 0; b < order.size(); b += std::size_t(batch_size)) {
            const std::size_t n = std::min(order.size() - b, std::size_t(batch_size));
            auto inputs = torch::empty({long(n), 1, dim, seg});
            std::vector<int64_t> targets(n);
            for (std::size_t i = 0; i < n; ++i) {
                audio::Features f = train.features[order[b + i]];
                augment_level(f, cfg.input, cfg.augment, rng);
                models::normalise(f, cfg.input, meta.feature_mean, meta.feature_std);
                float* window = inputs.data_ptr<float>() + i * std::size_t(dim) * std::size_t(seg);
                crop_window(f, seg, cfg.augment.random_crop, rng, window);
                spec_augment(window, dim, seg, cfg.augment, rng);
                targets[i] = train.labels[order[b + i]];
            }
            const auto target = torch::tensor(targets);
            lr = scheduled_lr(cfg.train, step++, total_steps);
            for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
            optimizer.zero_grad();
            torch::Tensor loss, logits;
            if (cfg.augment.mixup_alpha > 0.0f) {
                const double lambda = sample_beta(cfg.augment.mixup_alpha, rng);
                const auto partner = shuffled_indices(long(n), rng);
                logits = net->forward(lambda * inputs + (1.0 - lambda) * inputs.index_select(0, partner));
                loss = lambda * torch::nn::functional::cross_entropy(logits, target, loss_options) +
                       (1.0 - lambda) *
                           torch::nn::functional::cross_entropy(logits, target.index_select(0, partner), loss_options);
            } else {
                logits = net->forward(inputs);
                loss = torch::nn::functional::cross_entropy(logits, target, loss_options);
            }
            loss.backward();
            optimizer.step();
            loss_sum += loss.item<double>() * double(n);
            correct += logits.argmax(1).eq(target).sum().item<int>();
        }

        const auto probs = models::predict_clips(net, cfg.input, meta.feature_mean, meta.feature_std, val.features, 64);
        std::vector<int> predicted;
        double val_loss = 0;
        for (std::size_t i = 0; i < probs.size(); ++i) {
            predicted.push_back(int(std::max_element(probs[i].begin(), probs[i].end()) - probs[i].begin()));
            val_loss -= std::log(std::max(1e-7f, probs[i][std::size_t(val.labels[i])]));
        }
        const auto metrics = eval::compute_metrics(labels, val.labels, predicted);

        EpochRecord rec;
        rec.epoch = epoch;
        rec.learning_rate = lr;
        rec.train_loss = loss_sum / double(order.size());
        rec.train_accuracy = double(correct) / double(order.size());
        rec.val_loss = val_loss / double(std::max<std::size_t>(1, probs.size()));
        rec.val_accuracy = metrics.accuracy;
        rec.val_uar = metrics.uar;
        rec.val_macro_f1 = metrics.macro.f1;
        rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start).count();
        result.history.push_back(rec);
        if (run.on_epoch) run.on_epoch(rec);

        if (metrics.accuracy > best_accuracy) {
            best_accuracy = metrics.accuracy;
            result.best_epoch = epoch;
            result.best_validation = metrics;
            meta.created = utc_timestamp();
            meta.metrics_json = validation_json(metrics, epoch);
            models::save_speech_model(result.model_path, net, meta);
        }
        meta.created = utc_timestamp();
        meta.metrics_json = validation_json(metrics, epoch);
        models::save_speech_model(run.out_dir + "/last.pt", net, meta);
        write_history(run.out_dir, result.history);
        if (cfg.train.patience > 0 && epoch - result.best_epoch >= cfg.train.patience) {
            info("early stopping: no validation improvement for " + std::to_string(cfg.train.patience) + " epochs");
            break;
        }
    }
    core::write_file_atomic(run.out_dir + "/validation.txt",
                            "held-out speakers, best epoch " + std::to_string(result.best_epoch) + "\n" +
                                eval::format_text(result.best_validation));
    core::write_file_atomic(run.out_dir + "/validation.json", validation_json(result.best_validation, result.best_epoch) + "\n");
    return result;
}

}  // namespace emo::train
