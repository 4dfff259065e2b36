// Where a face training step spends its time, per precision and batch size: augmentation (the
// data side of an epoch), forward + loss, backward, AdamW step, as emo's training loop runs them
// (channels-last network, autocast to bf16 around the forward pass). Random pixels: speed only.
// Usage: bench_face_step CONFIG [threads] [steps] [batch sizes...]   e.g. configs/face_fer2013_averaged.yaml 2 30 64
// 128 With EMO_TRACE_DIR set, each (precision, batch) also writes LibTorch's op trace of its timed steps there (Chrome
// trace JSON; bench/trace_ops.py sums it per operator). EMO_NCHW_FIRST_BLOCK=1 lays the one-channel input and first
// weight out as contiguous(ChannelsLast) leaves them (NCHW strides), as training did before as_channels_last, to
// measure what that cost.
#include <torch/csrc/autograd/profiler_legacy.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <cstdio>
#include <string>
#include <vector>

#include "emo/config.hpp"
#include "emo/core.hpp"
#include "emo/face_cnn.hpp"
#include "emo/mixed_precision.hpp"
#include "emo/models.hpp"
#include "face_augment.hpp"

namespace {
using Clock = std::chrono::steady_clock;

struct Phases {
    double augment = 0, forward = 0, backward = 0, step = 0;
    double total() const { return augment + forward + backward + step; }
};

double since(Clock::time_point& t0) {
    const auto now = Clock::now();
    const double s = std::chrono::duration<double>(now - t0).count();
    t0 = now;
    return s;
}

Phases time_steps(const emo::config::FaceConfig& cfg, emo::Precision precision, long batch, int steps) {
    namespace F = torch::nn::functional;
    torch::manual_seed(1);
    emo::models::FaceCnn net(cfg.model, 7);
    net->train();
    torch::optim::AdamW optimizer(net->parameters(),
                                  torch::optim::AdamWOptions(1e-3).weight_decay(cfg.train.weight_decay));
    emo::models::to_channels_last(*net);
    const bool nchw_first_block = std::getenv("EMO_NCHW_FIRST_BLOCK") != nullptr;
    if (nchw_first_block) {
        torch::NoGradGuard no_grad;
        for (auto& w : net->parameters())
            if (w.dim() == 4 && w.size(1) == 1) w.set_data(torch::empty(w.sizes(), w.options()).copy_(w.data()));
    }
    const auto layout = [&](const torch::Tensor& x) {
        return nchw_first_block ? x.contiguous(torch::MemoryFormat::ChannelsLast) : emo::models::as_channels_last(x);
    };
    const auto pixels = torch::rand({batch, 1, cfg.input.size, cfg.input.size});
    const auto targets = torch::randint(0, 7, {batch}, torch::kLong);
    const auto loss_options = F::CrossEntropyFuncOptions().label_smoothing(cfg.train.label_smoothing);
    Phases p;
    const char* trace_dir = std::getenv("EMO_TRACE_DIR");
    std::unique_ptr<torch::autograd::profiler::RecordProfile> trace;
    for (int s = -3; s < steps; ++s) {  // three warm-up steps
        if (s == 0 && trace_dir != nullptr) {
            trace = std::make_unique<torch::autograd::profiler::RecordProfile>(
                std::string(trace_dir) + "/" + emo::precision_name(precision) + "-" + std::to_string(batch) + ".json");
        }
        Phases one;
        auto t0 = Clock::now();
        const auto inputs = (emo::train::augment_faces(pixels, cfg.augment) - 0.5) / 0.25;
        one.augment = since(t0);
        optimizer.zero_grad();
        torch::Tensor loss;
        {
            const emo::models::AutocastGuard autocast(precision);
            const auto logits = net->forward(layout(inputs)).to(torch::kFloat32);
            loss = F::cross_entropy(logits, targets, loss_options);
        }
        loss.item<float>();
        one.forward = since(t0);
        loss.backward();
        one.backward = since(t0);
        optimizer.step();
        one.step = since(t0);
        if (s < 0) continue;
        p.augment += one.augment, p.forward += one.forward, p.backward += one.backward, p.step += one.step;
    }
    return p;
}

}  // namespace

int main(int argc, char** argv) {
    emo::core::keep_freed_memory();  // as the programs do
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CONFIG [threads] [steps] [batch sizes...]\n", argv[0]);
        return 2;
    }
    const int threads = argc > 2 ? std::stoi(argv[2]) : 2;
    const int steps = argc > 3 ? std::stoi(argv[3]) : 30;
    std::vector<long> batches;
    for (int i = 4; i < argc; ++i) batches.push_back(std::stol(argv[i]));
    if (batches.empty()) batches = {64};
    try {
        emo::models::set_threads(threads);
        const auto cfg = emo::config::load_face_config(argv[1]);
        std::vector<emo::Precision> precisions{emo::Precision::kFp32};
        if (emo::cpu_bf16_support().any()) precisions.push_back(emo::Precision::kBf16);
        std::printf(
            "precision batch  images/s  augment  forward  backward  adamw   (share of a step; %d thread(s), %d "
            "steps)\n",
            threads, steps);
        for (const auto precision : precisions) {
            for (const long batch : batches) {
                const Phases p = time_steps(cfg, precision, batch, steps);
                const double t = p.total();
                std::printf("%-9s %5ld  %8.0f  %6.1f%%  %6.1f%%  %7.1f%%  %5.1f%%\n", emo::precision_name(precision),
                            batch, double(batch) * steps / t, 100 * p.augment / t, 100 * p.forward / t,
                            100 * p.backward / t, 100 * p.step / t);
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
