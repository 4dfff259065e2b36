// The gradient-reversal layer of domain-adversarial training (Ganin & Lempitsky 2015): what is
// before it learns to make what is after it fail.
#include "emo/speech_cnn.hpp"

namespace emo::models {
namespace {

class GradientReversal : public torch::autograd::Function<GradientReversal> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x, double scale) {
        ctx->saved_data["scale"] = scale;
        return x.clone();
    }
    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list grads) {
        const double scale = ctx->saved_data["scale"].toDouble();
        return {grads[0] * -scale, torch::Tensor()};
    }
};

}  // namespace

torch::Tensor reverse_gradient(const torch::Tensor& x, double scale) { return GradientReversal::apply(x, scale); }

}  // namespace emo::models
