// The trunk folded for inference computes what the trained trunk computes in eval mode, on oneDNN's
// layout (where this LibTorch has oneDNN) and on ordinary tensors, for face- and speech-shaped inputs.
#include <torch/torch.h>

#include <ATen/Context.h>

#include "../lib/models/conv_blocks.hpp"
#include "../lib/models/onednn_trunk.hpp"
#include "helpers.hpp"

namespace {
// A trunk with batch-norm statistics of its own (as if trained), in eval mode.
torch::nn::Sequential trained_trunk() {
    emo::config::CnnOptions opts;
    opts.channels = {8, 16, 24};
    opts.convs_per_block = 2;
    torch::manual_seed(4);
    auto trunk = emo::models::conv_blocks(opts);
    torch::NoGradGuard no_grad;
    for (auto& b : trunk->buffers()) {
        if (b.dtype() == torch::kFloat32) b.copy_(torch::rand_like(b) + 0.5);  // running mean and variance
    }
    for (auto& p : trunk->parameters()) {
        if (p.dim() == 1) p.copy_(torch::randn_like(p));  // batch-norm scale and shift
    }
    trunk->eval();
    return trunk;
}

float largest_difference(const torch::Tensor& a, const torch::Tensor& b) {
    REQUIRE(a.sizes() == b.sizes());
    return (a - b).abs().max().item<float>();
}
}  // namespace

TEST_CASE("the folded trunk gives the trained trunk's outputs, odd sizes included", "[models]") {
    auto trained = trained_trunk();
    auto folded = emo::models::inference_trunk(trained, emo::Precision::kFp32);
    CHECK(at::hasMKLDNN() == (folded->size() == 1));  // one OnednnTrunk where oneDNN is there
    torch::NoGradGuard no_grad;
    for (const auto& shape : std::vector<std::vector<std::int64_t>>{{5, 1, 48, 48}, {3, 1, 64, 151}, {1, 1, 7, 9}}) {
        INFO("input " << torch::IntArrayRef(shape));
        const auto x = torch::randn(shape);
        const auto expected = trained->forward(x);
        CHECK(largest_difference(folded->forward(x), expected) < 1e-4f * (1.0f + expected.abs().max().item<float>()));
    }
}

TEST_CASE("the oneDNN trunk equals the same folded layers run on ordinary tensors", "[models]") {
    if (!at::hasMKLDNN()) return;
    auto trained = trained_trunk();
    auto folded = emo::models::inference_trunk(trained, emo::Precision::kFp32);
    auto layers = folded[0]->as<emo::models::OnednnTrunkImpl>();
    REQUIRE(layers != nullptr);
    torch::NoGradGuard no_grad;
    // The ordinary path: the same folding without oneDNN is what a CUDA or oneDNN-less build runs.
    at::globalContext().setUserEnabledMkldnn(false);
    auto plain = emo::models::inference_trunk(trained, emo::Precision::kFp32);
    at::globalContext().setUserEnabledMkldnn(true);
    const auto x = torch::randn({4, 1, 33, 65});
    CHECK(largest_difference(layers->forward(x), plain->forward(x)) < 1e-4f);
}
