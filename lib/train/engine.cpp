#include "engine.hpp"

#include <algorithm>
#include <numeric>
#include <thread>

#include "emo/mixed_precision.hpp"

namespace emo::train {
namespace {

// The floating-point tensors in one flat CPU tensor, for one collective operation instead of many.
torch::Tensor flatten(const std::vector<torch::Tensor>& tensors) {
    std::vector<torch::Tensor> flat;
    for (const auto& t : tensors) flat.push_back(t.detach().reshape({-1}).to(torch::kCPU, torch::kFloat32));
    return torch::cat(flat);
}

void unflatten(const torch::Tensor& flat, std::vector<torch::Tensor>& tensors) {
    torch::NoGradGuard no_grad;
    long offset = 0;
    for (auto& t : tensors) {
        t.copy_(flat.slice(0, offset, offset + t.numel()).view_as(t));
        offset += t.numel();
    }
}

// Each rank's gradient weighted by its share of the global batch, summed over the ranks: the gradient
// of the global batch's mean loss.
void average_gradients(ProcessGroup& group, torch::nn::Module& net, double share_of_batch) {
    std::vector<torch::Tensor> grads;
    for (auto& p : net.parameters()) {
        if (!p.requires_grad()) continue;
        if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
        grads.push_back(p.grad());
    }
    if (grads.empty()) return;
    auto flat = flatten(grads) * share_of_batch;
    group.all_reduce_sum(flat);
    unflatten(flat, grads);
}

// Batch-norm running statistics: each rank saw other batches; the model keeps their mean.
void average_statistics(ProcessGroup& group, torch::nn::Module& net) {
    std::vector<torch::Tensor> stats;
    for (auto& b : net.buffers())
        if (b.is_floating_point()) stats.push_back(b);
    if (stats.empty()) return;
    auto flat = flatten(stats);
    group.all_reduce_sum(flat);
    flat /= double(group.size());
    unflatten(flat, stats);
}

// Every rank starts from rank 0's weights and statistics.
void broadcast_model(ProcessGroup& group, torch::nn::Module& net) {
    torch::NoGradGuard no_grad;
    auto all = net.parameters();
    for (auto& b : net.buffers()) all.push_back(b);
    for (auto& t : all) {
        auto cpu = t.detach().to(torch::kCPU).contiguous();
        group.broadcast(cpu, 0);
        t.copy_(cpu);
    }
}

void broadcast_order(ProcessGroup& group, std::vector<std::int64_t>& order) {
    auto t = torch::from_blob(order.data(), {long(order.size())}, torch::kInt64);
    group.broadcast(t, 0);
}

bool broadcast_flag(ProcessGroup& group, bool flag) {
    auto t = torch::tensor({flag ? 1.0f : 0.0f});
    group.broadcast(t, 0);
    return t.item<float>() > 0.5f;
}

// Every rank scores its share of the validation samples, and the ranks exchange them: a sum over
// rows that are zero everywhere but on the rank that scored them, so every rank ends with the same.
std::vector<std::vector<float>> validate_shared(ModalityPart& part, long classes, ProcessGroup* group) {
    const long n = part.validation_samples();
    if (group == nullptr) return part.validate(0, n);
    const long begin = n * group->rank() / group->size(), end = n * (group->rank() + 1) / group->size();
    auto table = torch::zeros({n, classes});
    float* rows = table.data_ptr<float>();
    const auto mine = part.validate(begin, end);
    for (long i = 0; i < end - begin; ++i)
        std::copy(mine[std::size_t(i)].begin(), mine[std::size_t(i)].end(), rows + (begin + i) * classes);
    group->all_reduce_sum(table);
    rows = table.data_ptr<float>();
    std::vector<std::vector<float>> out;
    for (long i = 0; i < n; ++i) out.emplace_back(rows + i * classes, rows + (i + 1) * classes);
    return out;
}

// A rank's part of the global batch of `global` samples starting at `b`: [begin, begin + size).
struct Share {
    long begin, size;
};
Share share_of_batch(long b, long global, int rank, int ranks) {
    const long begin = b + global * rank / ranks;
    return {begin, b + global * (rank + 1) / ranks - begin};
}

void add_up(ProcessGroup& group, EpochSums& sums) {
    auto t = torch::tensor(
        {sums.loss, double(sums.correct), double(sums.seen), double(sums.corpus_correct), double(sums.corpus_seen)},
        torch::kFloat64);
    group.all_reduce_sum(t);
    sums.loss = t[0].item<double>();
    sums.correct = std::lround(t[1].item<double>());
    sums.seen = std::lround(t[2].item<double>());
    sums.corpus_correct = std::lround(t[3].item<double>());
    sums.corpus_seen = std::lround(t[4].item<double>());
}

// Ranks other than 0 augment with their own streams, drawn afresh every epoch from the seed, rank and
// epoch: rank 0's generators are in the checkpoint, so a resumed job repeats the uninterrupted one.
void reseed_rank(const config::TrainOptions& t, int rank, int epoch, std::mt19937& rng) {
    const auto seed = std::uint64_t(t.seed) + 7919u * std::uint64_t(rank) + 104729u * std::uint64_t(epoch);
    torch::manual_seed(seed);
    rng.seed(std::uint32_t(seed));
}

// Optimiser state restored from a checkpoint (on the CPU) joins the weights on their device.
void move_optimiser_state(torch::optim::Optimizer& optimizer, const torch::Device& device) {
    for (auto& entry : optimizer.state()) {
        auto* s = dynamic_cast<torch::optim::AdamWParamState*>(entry.second.get());
        if (s == nullptr) continue;
        s->exp_avg(s->exp_avg().to(device));
        s->exp_avg_sq(s->exp_avg_sq().to(device));
        if (s->max_exp_avg_sq().defined()) s->max_exp_avg_sq(s->max_exp_avg_sq().to(device));
    }
}

Batch on_device(Batch b, const torch::Device& device) {
    if (device.is_cpu()) return b;
    const auto moved = [&](const torch::Tensor& t) { return t.defined() ? t.to(device) : t; };
    return {b.inputs.to(device), b.targets.to(device), moved(b.allowed), moved(b.corpora), moved(b.teacher)};
}

void optimise_empty_share(torch::optim::Optimizer& optimizer, double lr, const std::function<void()>& synchronise) {
    for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
    optimizer.zero_grad();
    synchronise();
    optimizer.step();
}

}  // namespace

std::shared_ptr<ProcessGroup> join_job(const RunOptions& run) {
    if (run.distributed.world_size <= 1) return nullptr;
    return ProcessGroup::join(run.distributed);
}

std::mt19937 seeded_generators(const config::TrainOptions& t, const RunOptions& run) {
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    models::set_threads(t.threads > 0 ? t.threads : std::max(1, cores / std::max(1, run.distributed.local_world_size)));
    torch::manual_seed(uint64_t(t.seed));
    return std::mt19937(uint32_t(t.seed));
}

void train_epochs(ModalityPart& part, const Trainee& trainee, const LoopSettings& s, const RunState& state,
                  const RunOptions& run, ProcessGroup* group) {
    torch::optim::Optimizer& optimizer = state.optimizer;
    EpochTracker& tracker = state.tracker;
    models::ModelMetadata& meta = state.meta;
    std::mt19937& rng = state.rng;
    const config::TrainOptions& t = s.train;
    const long n = part.samples(), batch_size = t.batch_size;
    const long total_steps = ((n + batch_size - 1) / batch_size) * t.epochs;
    const int rank = group ? group->rank() : 0, ranks = group ? group->size() : 1;
    // The order is carried from epoch to epoch (weighted draws refill it), so it is part of the run's state.
    std::vector<std::int64_t> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    const Progress& progress = tracker.resume(trainee.net, optimizer, rng, meta, &order);
    const torch::Device device = models::device_named(t.device);
    LossOptions loss = s.loss;
    if (!device.is_cpu()) {
        trainee.net.to(device);
        move_optimiser_state(optimizer, device);
        if (loss.cross_entropy.weight().defined()) loss.cross_entropy.weight(loss.cross_entropy.weight().to(device));
    }
    if (group != nullptr) broadcast_model(*group, trainee.net);
    const Precision precision = resolve_precision(t.precision, "train.precision", device.is_cpu());
    tracker.set_precision(precision);
    if (run.on_info && !progress.finished) run.on_info(std::string("training in ") + precision_name(precision));
    // Channels-last in fp32 too: oneDNN's convolutions then need no reorder of their activations.
    models::to_channels_last(trainee.net);
    models::match_parameter_layout(optimizer);
    // Convolutions and matrix products in bf16 where asked; the loss and everything after the network in fp32.
    double progress_of_run = 0;  // of the step being taken
    const auto forward = [&](const torch::Tensor& x) {
        const models::AutocastGuard autocast(precision);
        auto out = trainee.forward(models::as_channels_last(x), progress_of_run);
        out.logits = out.logits.to(torch::kFloat32);
        if (out.corpus_logits.defined()) out.corpus_logits = out.corpus_logits.to(torch::kFloat32);
        return out;
    };
    const auto validate = [&] {
        const models::AutocastGuard autocast(precision);
        return validate_shared(part, long(s.labels.size()), group);
    };
    const bool already_finished = progress.finished;  // the ranks agree on it: one checkpoint
    for (int epoch = progress.epoch + 1; !already_finished && epoch <= t.epochs; ++epoch) {
        const auto epoch_start = std::chrono::steady_clock::now();
        if (rank == 0) part.next_order(order, rng);
        if (rank > 0) reseed_rank(t, rank, epoch, rng);
        if (group != nullptr) broadcast_order(*group, order);
        train_mode(trainee.net, trainee.trunk, run.init.freeze_features);
        EpochSums sums;
        double lr = 0;
        for (long b = 0; b < n; b += batch_size) {
            const long global = std::min(n - b, batch_size);
            const Share mine = share_of_batch(b, global, rank, ranks);
            const auto synchronise = [&] {
                if (group != nullptr) average_gradients(*group, trainee.net, double(mine.size) / double(global));
            };
            const long step = tracker.next_step();
            lr = scheduled_lr(t, step, total_steps);
            progress_of_run = double(step) / double(std::max(1L, total_steps));
            if (mine.size == 0) {
                optimise_empty_share(optimizer, lr, synchronise);
            } else {
                const Batch batch = on_device(part.batch(order.data() + mine.begin, mine.size, rng), device);
                optimise_step(forward, optimizer, batch.inputs,
                              {batch.targets, batch.allowed, batch.corpora, batch.teacher}, loss, lr, rng, sums,
                              synchronise);
            }
            if (run.on_batch) run.on_batch(epoch, b + global, n);
        }
        if (group != nullptr) {
            add_up(*group, sums);
            average_statistics(*group, trainee.net);
        }
        if (epoch > t.epochs - t.average_last) add_to_average(tracker.average(), trainee.net);
        const auto probs = validate();
        const auto score = score_validation(probs, s.validation_truth, s.labels);
        auto rec = epoch_record(epoch, lr, sums, score, epoch_start);
        part.annotate(rec, probs);
        bool stop = tracker.finish(rec, score.metrics, meta, trainee.net, optimizer, rng, t.epochs, order);
        if (group != nullptr) stop = broadcast_flag(*group, stop);  // rank 0's validation decides
        if (stop) break;
    }
    if (t.average_last > 0 && !progress.averaged && tracker.average().epochs > 0) {
        load_average(tracker.average(), trainee.net);
        train_mode(trainee.net, trainee.trunk, run.init.freeze_features);
        recompute_batch_norm(trainee.net, [&] {  // one pass over the training data, each rank its share
            for (long b = 0; b < n; b += batch_size) {
                const Share mine = share_of_batch(b, std::min(n - b, batch_size), rank, ranks);
                if (mine.size > 0)
                    forward(on_device(part.batch(order.data() + mine.begin, mine.size, rng), device).inputs);
            }
        });
        if (group != nullptr) average_statistics(*group, trainee.net);
        const auto probs = validate();
        tracker.finish_average(score_validation(probs, s.validation_truth, s.labels).metrics, meta, trainee.net,
                               optimizer, rng, order);
    }
    if (group != nullptr) group->barrier();  // no rank leaves while another still needs it
}

}  // namespace emo::train
