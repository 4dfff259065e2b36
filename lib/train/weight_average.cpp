#include "weight_average.hpp"

#include "emo/error.hpp"

namespace emo::train {

void add_to_average(WeightAverage& average, torch::nn::Module& net) {
    torch::NoGradGuard no_grad;
    const auto params = net.parameters();
    if (average.epochs == 0) {
        average.parameters.clear();
        for (const auto& p : params) average.parameters.push_back(p.detach().to(torch::kCPU).clone());
    } else {
        if (average.parameters.size() != params.size()) throw RuntimeError("weight average of another network");
        for (std::size_t i = 0; i < params.size(); ++i) {
            const auto p = params[i].detach().to(torch::kCPU);
            average.parameters[i].add_(p - average.parameters[i], 1.0 / double(average.epochs + 1));
        }
    }
    ++average.epochs;
}

void load_average(const WeightAverage& average, torch::nn::Module& net) {
    const auto params = net.parameters();
    if (average.epochs == 0 || average.parameters.size() != params.size()) {
        throw RuntimeError("no weight average of this network to load");
    }
    torch::NoGradGuard no_grad;
    for (std::size_t i = 0; i < params.size(); ++i) params[i].copy_(average.parameters[i]);
}

void recompute_batch_norm(torch::nn::Module& net, const std::function<void()>& feed_batches) {
    std::vector<torch::nn::BatchNorm2dImpl*> layers;
    std::vector<c10::optional<double>> momenta;
    for (const auto& m : net.modules(false)) {
        auto* bn = m->as<torch::nn::BatchNorm2d>();
        if (bn == nullptr || !bn->is_training()) continue;
        bn->reset_running_stats();
        layers.push_back(bn);
        momenta.push_back(bn->options.momentum());
        bn->options.momentum(c10::nullopt);  // the plain mean over all batches, not a moving one
    }
    {
        torch::NoGradGuard no_grad;
        feed_batches();
    }
    for (std::size_t i = 0; i < layers.size(); ++i) layers[i]->options.momentum(momenta[i]);
}

}  // namespace emo::train
