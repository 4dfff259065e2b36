#include "loop.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <numeric>

#include "emo/argmax.hpp"
#include "emo/core.hpp"
#include "emo/error.hpp"
#include "run_files.hpp"

namespace emo::train {

torch::Tensor class_weights(const std::vector<double>& counts, const config::TrainOptions& t) {
    std::vector<float> w(counts.size(), 1.0f);
    if (t.class_weighting) {
        double total = 0;
        for (double c : counts) total += c;
        const float k = float(counts.size());  // float arithmetic as before expected counts existed
        for (std::size_t c = 0; c < w.size(); ++c)
            w[c] = counts[c] > 0 ? std::pow(float(total) / (k * float(counts[c])), t.class_weight_power) : 0.0f;
    }
    return torch::tensor(w);
}

torch::Tensor class_weights(const std::vector<int>& labels, int num_classes, const config::TrainOptions& t) {
    std::vector<double> counts(std::size_t(num_classes), 0.0);
    for (int l : labels) counts[std::size_t(l)] += 1.0;
    return class_weights(counts, t);
}

torch::Tensor masked_cross_entropy(const torch::Tensor& logits, const torch::Tensor& target,
                                   const torch::Tensor& allowed, const torch::Tensor& weight, double label_smoothing) {
    const auto mask = allowed.defined() ? allowed : torch::ones_like(logits, torch::kBool);
    // A large finite fill: exp() underflows to 0 and, unlike -inf, never meets 0 * inf in backward.
    const auto log_p = torch::log_softmax(logits.masked_fill(mask.logical_not(), -1e30), 1);
    const auto w = weight.defined() ? weight : torch::ones({logits.size(1)}, logits.options());
    const auto target_w = w.index_select(0, target);
    const auto nll = -(log_p.gather(1, target.unsqueeze(1)).squeeze(1) * target_w).sum() / target_w.sum();
    if (label_smoothing == 0.0) return nll;
    // torch's smoothing term: sum over classes of -w_c log p_c / K; here over each row's own classes.
    const auto per_row = -torch::where(mask, log_p * w.unsqueeze(0), torch::zeros_like(log_p)).sum(1) /
                         mask.sum(1).to(log_p.scalar_type());
    return (1.0 - label_smoothing) * nll + label_smoothing * per_row.sum() / target_w.sum();
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

torch::Tensor distillation_loss(const torch::Tensor& logits, const torch::Tensor& teacher_probs, double temperature) {
    namespace F = torch::nn::functional;
    const auto student = F::log_softmax(logits.to(torch::kFloat32) / temperature, F::LogSoftmaxFuncOptions(1));
    return temperature * temperature *
           F::kl_div(student, teacher_probs, F::KLDivFuncOptions().reduction(torch::kBatchMean));
}

void optimise_step(const TrainingForward& forward, torch::optim::Optimizer& optimizer, torch::Tensor inputs,
                   const StepTargets& targets, const LossOptions& options, double lr, std::mt19937& rng,
                   EpochSums& sums, const std::function<void()>& synchronise) {
    namespace F = torch::nn::functional;
    for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
    optimizer.zero_grad();
    const auto& ce = options.cross_entropy;
    const double w = options.missing_label_weight;
    const auto loss_of = [&](const ForwardResult& out, const torch::Tensor& t, const torch::Tensor& a,
                             const torch::Tensor& corpora, const torch::Tensor& teacher) {
        auto loss = !a.defined() ? F::cross_entropy(out.logits, t, ce)
                                 : masked_cross_entropy(out.logits, t, a, ce.weight(), ce.label_smoothing());
        if (a.defined() && w > 0.0) loss = (1.0 - w) * loss + w * F::cross_entropy(out.logits, t, ce);
        if (teacher.defined()) {
            const double d = options.distill_weight;
            loss = (1.0 - d) * loss + d * distillation_loss(out.logits, teacher, options.distill_temperature);
        }
        if (out.corpus_logits.defined()) loss = loss + F::cross_entropy(out.corpus_logits, corpora);
        return loss;
    };
    const auto& target = targets.classes;
    const auto& allowed = targets.allowed;
    torch::Tensor loss;
    ForwardResult out;
    if (options.mixup_alpha > 0.0f) {
        const double lambda = sample_beta(options.mixup_alpha, rng);
        const auto partner = shuffled_indices(inputs.size(0), rng).to(inputs.device());
        const auto pick = [&](const torch::Tensor& t) { return t.defined() ? t.index_select(0, partner) : t; };
        out = forward(lambda * inputs + (1.0 - lambda) * inputs.index_select(0, partner));
        loss = lambda * loss_of(out, target, allowed, targets.corpora, targets.teacher) +
               (1.0 - lambda) * loss_of(out, pick(target), pick(allowed), pick(targets.corpora), pick(targets.teacher));
    } else {
        out = forward(inputs);
        loss = loss_of(out, target, allowed, targets.corpora, targets.teacher);
    }
    loss.backward();
    if (synchronise) synchronise();
    optimizer.step();
    const auto logits = out.logits.detach();
    const auto scored = allowed.defined() ? logits.masked_fill(allowed.logical_not(), -1e30) : logits;
    sums.loss += loss.item<double>() * double(inputs.size(0));
    sums.correct += scored.argmax(1).eq(target).sum().item<long>();
    if (out.corpus_logits.defined()) {
        sums.corpus_correct += out.corpus_logits.detach().argmax(1).eq(targets.corpora).sum().item<long>();
        sums.corpus_seen += inputs.size(0);
    }
    sums.seen += inputs.size(0);
}

EpochRecord epoch_record(int epoch, double lr, const EpochSums& sums, const ValidationScore& val,
                         std::chrono::steady_clock::time_point start) {
    EpochRecord rec;
    rec.epoch = epoch;
    rec.learning_rate = lr;
    rec.train_loss = sums.loss / double(std::max(1L, sums.seen));
    rec.train_accuracy = double(sums.correct) / double(std::max(1L, sums.seen));
    rec.train_corpus_accuracy = sums.corpus_seen > 0 ? double(sums.corpus_correct) / double(sums.corpus_seen) : -1.0;
    rec.val_loss = val.loss;
    rec.val_accuracy = val.metrics.accuracy;
    rec.val_uar = val.metrics.uar;
    rec.val_macro_f1 = val.metrics.macro.f1;
    rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return rec;
}

ValidationScore score_validation(const std::vector<std::vector<float>>& probs, const std::vector<int>& truth,
                                 const std::vector<std::string>& labels) {
    std::vector<int> predicted;
    ValidationScore out;
    for (std::size_t i = 0; i < probs.size(); ++i) {
        predicted.push_back(int(core::argmax(probs[i])));
        out.loss -= std::log(std::max(1e-7f, probs[i][std::size_t(truth[i])]));
    }
    out.loss /= double(std::max<std::size_t>(1, probs.size()));
    out.metrics = eval::compute_metrics(labels, truth, predicted);
    return out;
}

void create_run_dir(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw RuntimeError(dir + ": cannot create run directory: " + ec.message());
}

void freeze(torch::nn::Sequential& trunk) {
    for (auto& p : trunk->parameters()) p.set_requires_grad(false);
}

std::vector<torch::Tensor> trainable(torch::nn::Module& net) {
    std::vector<torch::Tensor> out;
    for (auto& p : net.parameters())
        if (p.requires_grad()) out.push_back(p);
    return out;
}

void train_mode(torch::nn::Module& net, torch::nn::Sequential& trunk, bool trunk_frozen) {
    net.train();
    if (trunk_frozen) trunk->eval();
}

std::vector<std::string> run_labels(const std::vector<std::string>& data_labels, const std::string& data_source,
                                    const models::ModelMetadata* parent, const InitOptions& init) {
    if (parent == nullptr) return data_labels;
    std::vector<std::string> labels = parent->labels;
    for (const auto& label : data_labels) {
        if (std::find(labels.begin(), labels.end(), label) != labels.end()) continue;
        if (!init.extend_labels) {
            std::string known;
            for (const auto& l : parent->labels) known += " " + l;
            throw InputError(data_source, "label '" + label + "' is not one of the model's labels (" + known.substr(1) +
                                              "); extending the labels adds it to the model");
        }
        labels.push_back(label);
    }
    return labels;
}

eval::Metrics metrics_of_scores(const std::vector<std::vector<float>>& scores, const std::vector<int>& truth,
                                const std::vector<std::string>& labels) {
    std::vector<int> predicted;
    for (const auto& s : scores) predicted.push_back(int(core::argmax(s)));
    return eval::compute_metrics(labels, truth, predicted);
}

EpochTracker::EpochTracker(const RunOptions& run, TrainResult& result, int patience,
                           const models::ModelMetadata* parent, const eval::Metrics* metrics_before)
    : run_(run), result_(result), patience_(patience) {
    result_.run_dir = run.out_dir;
    result_.model_path = run.out_dir + "/model.pt";
    stage_ = {{"data", run.data}};
    if (parent != nullptr) {
        parent_lineage_ = parent->lineage;
        stage_["parent"] = {{"path", std::filesystem::absolute(run.init.model_path).lexically_normal().string()},
                            {"created", parent->created},
                            {"trained_on", parent->trained_on}};
        stage_["freeze_features"] = run.init.freeze_features;
        parent_labels_ = parent->labels;
    }
    if (metrics_before != nullptr) stage_["metrics_before"] = *metrics_before;
}

const Progress& EpochTracker::resume(torch::nn::Module& net, torch::optim::Optimizer& optimizer, std::mt19937& rng,
                                     models::ModelMetadata& meta, std::vector<std::int64_t>* order) {
    const std::string path = run_.out_dir + "/checkpoint.pt";
    if (!run_.resume || !std::filesystem::exists(path)) return progress_;
    if (run_.writes_files()) core::remove_abandoned_temporaries(run_.out_dir);
    const Checkpoint c = load_checkpoint(path, meta.modality, net, optimizer, rng);
    progress_ = c.progress;
    average_ = c.average;
    meta = c.metadata;
    if (order != nullptr && !c.order.empty()) *order = c.order;  // older face runs kept none
    result_.history = progress_.history;
    result_.best_epoch = progress_.best_epoch;
    result_.chosen = chosen();
    result_.best_validation = eval::metrics_from_confusion(meta.labels, progress_.best_confusion);
    if (run_.on_info) {
        const int threads = torch::get_num_threads();
        run_.on_info("resuming " + run_.out_dir + " after epoch " + std::to_string(progress_.epoch) + " with " +
                     std::to_string(threads) + (threads == 1 ? " thread" : " threads") +
                     (progress_.finished ? " (the run had already finished)" : ""));
    }
    return progress_;
}

nlohmann::json EpochTracker::lineage_with_this_stage(const models::ModelMetadata& meta,
                                                     const eval::Metrics& after) const {
    auto lineage = parent_lineage_;
    auto stage = stage_;
    stage["created"] = meta.created;
    stage["trained_on"] = meta.trained_on;
    stage["config_yaml"] = meta.config_yaml;
    stage["epoch"] = progress_.epoch;
    stage["metrics_after"] = after;
    if (stage.contains("parent")) {
        auto added = nlohmann::json::array();
        for (const auto& l : meta.labels)
            if (std::find(parent_labels_.begin(), parent_labels_.end(), l) == parent_labels_.end()) added.push_back(l);
        stage["labels_added"] = added;
    }
    lineage.push_back(stage);
    return lineage;
}

bool EpochTracker::finish(const EpochRecord& rec, const eval::Metrics& metrics, models::ModelMetadata& meta,
                          torch::nn::Module& net, torch::optim::Optimizer& optimizer, const std::mt19937& rng,
                          int epochs, const std::vector<std::int64_t>& order) {
    progress_.epoch = rec.epoch;
    progress_.history.push_back(rec);
    result_.history = progress_.history;
    if (run_.on_epoch) run_.on_epoch(rec);
    meta.created = utc_timestamp();
    meta.metrics = validation_json(metrics, rec.epoch);
    meta.training_data = run_.data;
    meta.lineage = lineage_with_this_stage(meta, metrics);
    if (metrics.accuracy > progress_.best_accuracy || run_.keep_last) {
        progress_.best_accuracy = metrics.accuracy;
        progress_.best_epoch = rec.epoch;
        progress_.best_confusion = metrics.confusion;
        result_.best_epoch = rec.epoch;
        result_.chosen = chosen();
        result_.best_validation = metrics;
        if (run_.writes_files()) models::save_model(result_.model_path, net, meta);
    }
    if (run_.writes_files()) {
        models::save_model(run_.out_dir + "/last.pt", net, meta);
        write_history(run_.out_dir, result_.history);
    }
    const bool stop_early = patience_ > 0 && rec.epoch - progress_.best_epoch >= patience_;
    if (stop_early) run_.info("early stopping: no validation improvement for " + std::to_string(patience_) + " epochs");
    progress_.finished = stop_early || rec.epoch >= epochs;
    save_checkpoint_now(net, optimizer, rng, meta, order);
    return progress_.finished;
}

void EpochTracker::finish_average(const eval::Metrics& metrics, models::ModelMetadata& meta, torch::nn::Module& net,
                                  torch::optim::Optimizer& optimizer, const std::mt19937& rng,
                                  const std::vector<std::int64_t>& order) {
    const std::string what = "mean weights of " + averaged_epochs();
    meta.created = utc_timestamp();
    meta.metrics = validation_json(metrics, progress_.epoch);
    meta.lineage = lineage_with_this_stage(meta, metrics);
    const bool better = metrics.accuracy > progress_.best_accuracy || run_.keep_last;
    run_.info(fmt::format("{}: validation accuracy {:.4f}, uar {:.4f}, against {:.4f} at epoch {}; model.pt {}", what,
                          metrics.accuracy, metrics.uar, progress_.best_accuracy, progress_.best_epoch,
                          better ? "is the mean" : "stays that epoch"));
    if (better) {
        progress_.best_accuracy = metrics.accuracy;
        progress_.best_confusion = metrics.confusion;
        progress_.best_is_average = true;
        result_.best_validation = metrics;
        result_.chosen = chosen();
        if (run_.writes_files()) models::save_model(result_.model_path, net, meta);
    }
    if (run_.writes_files()) models::save_model(run_.out_dir + "/average.pt", net, meta);
    progress_.averaged = true;
    save_checkpoint_now(net, optimizer, rng, meta, order);
}

void EpochTracker::save_checkpoint_now(torch::nn::Module& net, torch::optim::Optimizer& optimizer,
                                       const std::mt19937& rng, const models::ModelMetadata& meta,
                                       const std::vector<std::int64_t>& order) const {
    if (!run_.writes_files()) return;
    save_checkpoint(run_.out_dir + "/checkpoint.pt", net, optimizer, rng, Checkpoint{progress_, meta, order, average_});
}

std::string EpochTracker::averaged_epochs() const {
    return "epochs " + std::to_string(progress_.epoch - average_.epochs + 1) + "-" + std::to_string(progress_.epoch);
}

std::string EpochTracker::chosen() const {
    if (progress_.best_is_average) return "mean weights of " + averaged_epochs();
    return (run_.keep_last ? "last epoch " : "best epoch ") + std::to_string(progress_.best_epoch);
}

void EpochTracker::write_validation(const std::string& what) const {
    if (!run_.writes_files()) return;
    const auto& calibration = result_.calibration;
    const std::string temperature =
        calibration.ece_before < 0
            ? ""
            : fmt::format("temperature {:.3f} fitted on these clips (expected calibration error {:.4f} before)\n",
                          calibration.temperature, calibration.ece_before);
    core::write_file_atomic(run_.out_dir + "/validation.txt", what + ", " + result_.chosen + "\n" + temperature +
                                                                  eval::format_text(result_.best_validation));
    auto j = validation_json(result_.best_validation, progress_.best_is_average ? progress_.epoch : result_.best_epoch);
    j["model"] = result_.chosen;
    if (!result_.precision.empty()) j["precision"] = result_.precision;
    if (calibration.ece_before >= 0) {
        j["calibration"] = {{"temperature", calibration.temperature},
                            {"ece_before", calibration.ece_before},
                            {"ece_after", calibration.ece_after}};
    }
    core::write_file_atomic(run_.out_dir + "/validation.json", j.dump() + "\n");
    eval::plot_confusion(result_.best_validation, what + ", " + result_.chosen, run_.out_dir + "/confusion.png");
    write_html_report(run_.out_dir, what, result_.best_validation, result_.chosen, result_.history);
}

}  // namespace emo::train
