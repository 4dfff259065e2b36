#pragma once
// Weight averaging (train.average_last): the mean of the last epochs' weights, which generalises
// better than any one of them (Izmailov et al. 2018, "Averaging Weights Leads to Wider Optima").
#include <torch/torch.h>

#include <functional>
#include <vector>

namespace emo::train {

struct WeightAverage {
    std::vector<torch::Tensor> parameters;  // on the CPU, in the order of Module::parameters()
    int epochs = 0;                         // how many epochs' weights the mean holds
};

// Adds `net`'s current parameters to the running mean.
void add_to_average(WeightAverage& average, torch::nn::Module& net);
// Puts the mean into `net`'s parameters. Throws RuntimeError when it holds no epoch or another network's.
void load_average(const WeightAverage& average, torch::nn::Module& net);

// The batch-norm layers in training mode forget their statistics and take them afresh from the
// batches `feed_batches` runs through the network (by calling forward on each, without gradients):
// averaged weights need statistics of their own. Layers in evaluation mode (a frozen trunk) keep theirs.
void recompute_batch_norm(torch::nn::Module& net, const std::function<void()>& feed_batches);

}  // namespace emo::train
