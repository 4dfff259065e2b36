#include "onednn_trunk.hpp"

#include <ATen/Context.h>

#include "conv_blocks.hpp"
#include "emo/error.hpp"
#include "emo/model_file.hpp"

namespace emo::models {
namespace nn = torch::nn;
namespace {

std::vector<std::int64_t> pair_of(const torch::ExpandingArray<2>& a) { return {a->at(0), a->at(1)}; }

bool is_supported(const nn::AnyModule& layer) {
    const auto* conv = layer.ptr()->as<nn::Conv2d>();
    if (conv) return conv->bias.defined() && c10::get_if<torch::ExpandingArray<2>>(&conv->options.padding()) != nullptr;
    return layer.ptr()->as<InplaceReluImpl>() || layer.ptr()->as<nn::MaxPool2d>();
}

}  // namespace

bool onednn_trunk_supports(nn::Sequential folded) {
    if (!at::hasMKLDNN() || !at::globalContext().userEnabledMkldnn() || !device_of(*folded).is_cpu()) return false;
    for (const auto& layer : *folded)
        if (!is_supported(layer)) return false;
    return true;
}

OnednnTrunkImpl::OnednnTrunkImpl(const nn::Sequential& folded, Precision precision)
    : activations_(precision == Precision::kBf16 ? torch::kBFloat16 : torch::kFloat32) {
    torch::NoGradGuard no_grad;
    for (const auto& layer : *folded) {
        if (!is_supported(layer)) throw RuntimeError("OnednnTrunk: unsupported layer " + layer.ptr()->name());
        Layer l{Layer::kRelu, {}, {}, {}, {}, {}, {}, 1, false};
        if (const auto* conv = layer.ptr()->as<nn::Conv2d>()) {
            const auto& o = conv->options;
            l.kind = Layer::kConv;
            l.stride = pair_of(o.stride());
            l.padding = pair_of(c10::get<torch::ExpandingArray<2>>(o.padding()));
            l.dilation = pair_of(o.dilation());
            l.groups = o.groups();
            // The first convolution (one input channel, little work) stays fp32; bf16 starts at the second.
            const bool first = layers_.empty();
            if (!first && bf16_from_ == 0 && activations_ != torch::kFloat32) bf16_from_ = layers_.size();
            const auto dtype = first ? torch::kFloat32 : activations_;
            l.weight = at::mkldnn_reorder_conv2d_weight(conv->weight.contiguous().to_mkldnn(dtype), l.padding, l.stride,
                                                        l.dilation, l.groups);
            l.bias = conv->bias.contiguous();
        } else if (const auto* pool = layer.ptr()->as<nn::MaxPool2d>()) {
            const auto& o = pool->options;
            l.kind = Layer::kMaxPool;
            l.kernel = pair_of(o.kernel_size());
            l.stride = pair_of(o.stride());
            l.padding = pair_of(o.padding());
            l.dilation = pair_of(o.dilation());
            l.ceil_mode = o.ceil_mode();
        }
        layers_.push_back(std::move(l));
    }
}

torch::Tensor OnednnTrunkImpl::forward(torch::Tensor x) {
    x = x.contiguous().to_mkldnn();
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        const auto& l = layers_[i];
        if (i > 0 && i == bf16_from_) x = x.to_dense(torch::kFloat32).to_mkldnn(activations_);
        switch (l.kind) {
            case Layer::kConv:
                x = at::mkldnn_convolution(x, l.weight, l.bias, l.padding, l.stride, l.dilation, l.groups);
                break;
            case Layer::kRelu: x = at::relu(x); break;
            case Layer::kMaxPool:
                x = at::mkldnn_max_pool2d(x, l.kernel, l.stride, l.padding, l.dilation, l.ceil_mode);
                break;
        }
    }
    return x.to_dense(torch::kFloat32);
}

}  // namespace emo::models
