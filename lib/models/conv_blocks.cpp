#include "conv_blocks.hpp"

namespace emo::models {

torch::nn::Sequential conv_blocks(const config::CnnOptions& opts) {
    namespace nn = torch::nn;
    nn::Sequential blocks;
    int in = 1;
    for (int out : opts.channels) {
        for (int layer = 0; layer < opts.convs_per_block; ++layer) {
            blocks->push_back(nn::Conv2d(nn::Conv2dOptions(layer == 0 ? in : out, out, 3).padding(1).bias(false)));
            blocks->push_back(nn::BatchNorm2d(out));
            blocks->push_back(nn::ReLU(nn::ReLUOptions(true)));
        }
        blocks->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2).ceil_mode(true)));
        in = out;
    }
    return blocks;
}

}  // namespace emo::models

namespace emo::models {

torch::nn::Linear extended_linear(const torch::nn::Linear& old, int out_features) {
    const long old_out = old->options.out_features();
    torch::nn::Linear grown(old->options.in_features(), out_features);
    torch::NoGradGuard no_grad;
    grown->weight.slice(0, 0, old_out).copy_(old->weight);
    grown->bias.slice(0, 0, old_out).copy_(old->bias);
    return grown;
}

}  // namespace emo::models
