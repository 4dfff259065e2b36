#pragma once
#include <torch/torch.h>

#include "emo/config.hpp"

namespace emo::models {
// The convolutional trunk both CNNs share: per entry of opts.channels, convs_per_block x
// (conv3x3 -> batchnorm -> ReLU), then 2x2 max-pool (ceil mode). Output channels: channels.back().
torch::nn::Sequential conv_blocks(const config::CnnOptions& opts);
}  // namespace emo::models
