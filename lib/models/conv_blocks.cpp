#include "conv_blocks.hpp"

#include "emo/model_file.hpp"
#include "onednn_trunk.hpp"

namespace emo::models {

torch::nn::Sequential conv_blocks(const config::CnnOptions& opts) {
    namespace nn = torch::nn;
    nn::Sequential blocks;
    int in = 1;
    for (int out : opts.channels) {
        for (int layer = 0; layer < opts.convs_per_block; ++layer) {
            blocks->push_back(nn::Conv2d(nn::Conv2dOptions(layer == 0 ? in : out, out, 3).padding(1).bias(false)));
            blocks->push_back(nn::BatchNorm2d(out));
            blocks->push_back(InplaceRelu());
        }
        blocks->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2).ceil_mode(true)));
        in = out;
    }
    return blocks;
}

torch::nn::Sequential inference_trunk(torch::nn::Sequential trained, Precision precision) {
    namespace nn = torch::nn;
    torch::NoGradGuard no_grad;
    const std::vector<nn::AnyModule> layers(trained->begin(), trained->end());
    nn::Sequential out;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const auto* conv = layers[i].ptr()->as<nn::Conv2d>();
        const auto* norm = i + 1 < layers.size() ? layers[i + 1].ptr()->as<nn::BatchNorm2d>() : nullptr;
        if (!conv || !norm) {
            out->push_back(layers[i]);
            continue;
        }
        const auto& o = conv->options;
        nn::Conv2d folded(nn::Conv2dOptions(o.in_channels(), o.out_channels(), o.kernel_size())
                              .stride(o.stride())
                              .padding(o.padding())
                              .dilation(o.dilation())
                              .groups(o.groups()));
        const auto scale = norm->weight / torch::sqrt(norm->running_var + norm->options.eps());
        folded->weight.copy_(conv->weight * scale.view({-1, 1, 1, 1}));
        auto shift = norm->bias - norm->running_mean * scale;
        if (conv->bias.defined()) shift = shift + conv->bias * scale;
        folded->bias.copy_(shift);
        folded->weight.set_data(folded->weight.contiguous(torch::MemoryFormat::ChannelsLast));
        out->push_back(folded);
        ++i;  // the batch norm is inside the convolution now
    }
    out->to(device_of(*trained));
    out->eval();
    if (onednn_trunk_supports(out)) return nn::Sequential(OnednnTrunk(out, precision));
    return out;
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
