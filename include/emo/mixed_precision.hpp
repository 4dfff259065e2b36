#pragma once
// bf16 on the CPU's matrix units the way PyTorch's CPU autocast does it, for training and for the
// unfolded networks training validates: convolutions and matrix products in bf16, everything else
// (weights, optimiser state, loss, softmax, batch-norm statistics) in fp32, tensors channels-last so
// oneDNN need not reorder them between layers. Includes torch: training code only.
#include <torch/torch.h>

#include "emo/precision.hpp"

namespace emo::models {

// While alive (and `precision` is kBf16), this thread's CPU operations run under autocast to bf16.
// Nested guards are fine; the outermost one drops the cached bf16 copies of the weights, so a guard
// per step (the weights change between steps) never sees stale ones.
class AutocastGuard {
public:
    explicit AutocastGuard(Precision precision);
    ~AutocastGuard();
    AutocastGuard(const AutocastGuard&) = delete;
    AutocastGuard& operator=(const AutocastGuard&) = delete;

private:
    bool active_ = false, was_enabled_ = false;
    at::ScalarType was_dtype_ = at::kBFloat16;
};

// `t` ([N, C, H, W]) with channels-last strides, also where C is 1 (there contiguous(ChannelsLast) keeps
// NCHW strides, so a convolution on it would run, and hand on its output, in NCHW).
torch::Tensor as_channels_last(const torch::Tensor& t);
// Every 4-D parameter and buffer of `net` (and their gradients) in channels-last memory format.
void to_channels_last(torch::nn::Module& net);
// AdamW's moment estimates in their parameter's memory format (after a checkpoint restored them).
void match_parameter_layout(torch::optim::Optimizer& optimizer);

}  // namespace emo::models
