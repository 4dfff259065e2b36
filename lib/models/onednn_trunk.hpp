#pragma once
// A folded convolutional trunk run on oneDNN's own tensor layout: the weights are reordered once,
// when the model loads, and the activations stay in oneDNN's blocked layout from the first
// convolution to the last pooling. With ordinary tensors each convolution reorders its input, its
// output and its weights on every call. On a 2-core CPU this path runs the face CNN 15-25 % and the
// speech CNN 35-55 % faster (bench/README.md). Inference only, CPU only. In bf16 the weights are
// reordered to bf16 once and activations stay bf16 from the second convolution to the last pooling;
// the first convolution (one input channel, little work), biases and the output stay fp32. With the
// first convolution in bf16 too, the shipped speech model's labels on RAVDESS actors 17-20 agreed
// with fp32 on 98.3 % of clips; with it in fp32, on at least 99.5 % (tests/test_precision.cpp).
#include <torch/torch.h>

#include "emo/precision.hpp"

namespace emo::models {

class OnednnTrunkImpl : public torch::nn::Module {
public:
    // `folded`: inference_trunk's layers (convolutions, ReLUs, max-pools). Throws RuntimeError on any
    // other layer: onednn_trunk_supports says beforehand.
    OnednnTrunkImpl(const torch::nn::Sequential& folded, Precision precision);
    torch::Tensor forward(torch::Tensor x);  // ordinary tensor in, ordinary tensor out

private:
    struct Layer {
        enum Kind { kConv, kRelu, kMaxPool } kind;
        torch::Tensor weight, bias;  // kConv: weight reordered for oneDNN
        std::vector<std::int64_t> kernel, stride, padding, dilation;
        std::int64_t groups = 1;
        bool ceil_mode = false;
    };
    std::vector<Layer> layers_;
    torch::ScalarType activations_ = torch::kFloat32;
    std::size_t bf16_from_ = 0;  // bf16: the layer (the second convolution) whose input is cast; 0: none
};
TORCH_MODULE(OnednnTrunk);

// Whether this LibTorch has oneDNN (and it is not turned off), the trunk is on the CPU and every layer
// is one OnednnTrunk runs.
bool onednn_trunk_supports(torch::nn::Sequential folded);

}  // namespace emo::models
