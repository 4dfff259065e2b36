#include "emo/mixed_precision.hpp"

#include <ATen/autocast_mode.h>

namespace emo::models {
namespace {

torch::Tensor channels_last(const torch::Tensor& t) { return t.defined() && t.dim() == 4 ? as_channels_last(t) : t; }

torch::Tensor like_layout_of(const torch::Tensor& t, const torch::Tensor& param) {
    if (!t.defined() || t.dim() != 4) return t;
    return param.is_contiguous(torch::MemoryFormat::ChannelsLast) ? channels_last(t) : t.contiguous();
}

}  // namespace

torch::Tensor as_channels_last(const torch::Tensor& t) {
    auto out = t.contiguous(torch::MemoryFormat::ChannelsLast);
    if (out.suggest_memory_format() == torch::MemoryFormat::ChannelsLast) return out;
    // One channel: NCHW and NHWC are the same bytes, so contiguous() keeps NCHW strides and the
    // convolution runs (and hands its output on) in NCHW. Channels-last strides, written out, say NHWC.
    const auto c = t.size(1), h = t.size(2), w = t.size(3);
    out = torch::empty_strided(t.sizes(), {c * h * w, 1, w * c, c}, t.options());
    return out.copy_(t);
}

AutocastGuard::AutocastGuard(Precision precision) {
    if (precision != Precision::kBf16) return;
    active_ = true;
    was_enabled_ = at::autocast::is_cpu_enabled();
    was_dtype_ = at::autocast::get_autocast_cpu_dtype();
    at::autocast::set_cpu_enabled(true);
    at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
    at::autocast::increment_nesting();
}

AutocastGuard::~AutocastGuard() {
    if (!active_) return;
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    at::autocast::set_cpu_enabled(was_enabled_);
    at::autocast::set_autocast_cpu_dtype(was_dtype_);
}

void to_channels_last(torch::nn::Module& net) {
    torch::NoGradGuard no_grad;
    for (auto& p : net.parameters()) {
        if (p.dim() != 4) continue;
        p.set_data(channels_last(p.data()));
        if (p.grad().defined()) p.mutable_grad() = channels_last(p.grad());
    }
    for (auto& b : net.buffers())
        if (b.dim() == 4) b.set_data(channels_last(b.data()));
}

void match_parameter_layout(torch::optim::Optimizer& optimizer) {
    for (auto& group : optimizer.param_groups()) {
        for (auto& p : group.params()) {
            const auto it = optimizer.state().find(c10::guts::to_string(p.unsafeGetTensorImpl()));
            if (it == optimizer.state().end()) continue;
            auto* s = dynamic_cast<torch::optim::AdamWParamState*>(it->second.get());
            if (s == nullptr) continue;
            s->exp_avg(like_layout_of(s->exp_avg(), p));
            s->exp_avg_sq(like_layout_of(s->exp_avg_sq(), p));
            if (s->max_exp_avg_sq().defined()) s->max_exp_avg_sq(like_layout_of(s->max_exp_avg_sq(), p));
        }
    }
}

}  // namespace emo::models
