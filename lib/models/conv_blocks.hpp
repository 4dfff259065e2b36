#pragma once
#include <torch/torch.h>

#include "emo/config.hpp"
#include "emo/precision.hpp"

namespace emo::models {
// ReLU in place. Computed with threshold_ because LibTorch 1.13's relu_ (clamp_min_) is not vectorised for
// bf16 and takes twice as long there (bench/README.md "Precision"); values and gradient are the same.
struct InplaceReluImpl : torch::nn::Module {
    torch::Tensor forward(torch::Tensor x) { return torch::threshold_(x, 0, 0); }
};
TORCH_MODULE(InplaceRelu);

// The convolutional trunk both CNNs share: per entry of opts.channels, convs_per_block x
// (conv3x3 -> batchnorm -> ReLU), then 2x2 max-pool (ceil mode). Output channels: channels.back().
torch::nn::Sequential conv_blocks(const config::CnnOptions& opts);

// The same trunk for inference only (the same outputs in eval mode, faster): each batch norm folded
// into the convolution before it; on the CPU with oneDNN, run as one OnednnTrunk (onednn_trunk.hpp),
// elsewhere with the convolutions' weights channels-last. Not for training: the folded trunk has no
// batch norm left. `precision` kBf16 runs the OnednnTrunk in bf16 (fp32 elsewhere).
torch::nn::Sequential inference_trunk(torch::nn::Sequential trained, Precision precision);
}  // namespace emo::models

namespace emo::models {
// A copy of `old` with `out_features` outputs (>= old's): existing rows keep their weights and
// bias, new rows get the layer's default initialisation.
torch::nn::Linear extended_linear(const torch::nn::Linear& old, int out_features);
}  // namespace emo::models
