#pragma once
// A folded convolutional trunk run on oneDNN's own tensor layout: the weights are reordered once,
// when the model loads, and the activations stay in oneDNN's blocked layout from the first
// convolution to the last pooling. With ordinary tensors each convolution reorders its input, its
// output and its weights on every call. On a 2-core CPU this path runs the face CNN 15-25 % and the
// speech CNN 35-55 % faster (bench/README.md). Inference only, CPU only.
#include <torch/torch.h>

namespace emo::models {

class OnednnTrunkImpl : public torch::nn::Module {
public:
    // `folded`: inference_trunk's layers (convolutions, ReLUs, max-pools). Throws RuntimeError on any
    // other layer: onednn_trunk_supports says beforehand.
    explicit OnednnTrunkImpl(const torch::nn::Sequential& folded);
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
};
TORCH_MODULE(OnednnTrunk);

// Whether this LibTorch has oneDNN (and it is not turned off), the trunk is on the CPU and every layer
// is one OnednnTrunk runs.
bool onednn_trunk_supports(torch::nn::Sequential folded);

}  // namespace emo::models
