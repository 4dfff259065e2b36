#include "face_augment.hpp"

#include <cmath>

namespace emo::train {
namespace {
// Uniform in [-x, x], one value per sample: [B].
torch::Tensor symmetric(long b, float x) { return (torch::rand({b}) * 2.0 - 1.0) * x; }

torch::Tensor random_erase(torch::Tensor x, float probability) {
    const long b = x.size(0), h = x.size(2), w = x.size(3);
    const auto apply = torch::rand({b}) < probability;
    const auto area = torch::empty({b}).uniform_(0.02, 0.2) * double(h * w);
    const auto aspect = torch::exp(torch::empty({b}).uniform_(std::log(0.3), std::log(3.3)));
    const auto eh = torch::sqrt(area * aspect).clamp(1, h - 1).to(torch::kLong);
    const auto ew = torch::sqrt(area / aspect).clamp(1, w - 1).to(torch::kLong);
    const auto top = (torch::rand({b}) * (h - eh + 1).to(torch::kFloat)).to(torch::kLong);
    const auto left = (torch::rand({b}) * (w - ew + 1).to(torch::kFloat)).to(torch::kLong);
    // Rectangle masks from row/column ranges: [B, 1, H, W].
    const auto rows = torch::arange(h).view({1, h});
    const auto cols = torch::arange(w).view({1, w});
    const auto in_rows = (rows >= top.view({b, 1})) & (rows < (top + eh).view({b, 1}));
    const auto in_cols = (cols >= left.view({b, 1})) & (cols < (left + ew).view({b, 1}));
    const auto mask = (in_rows.view({b, 1, h, 1}) & in_cols.view({b, 1, 1, w})) & apply.view({b, 1, 1, 1});
    return torch::where(mask, x.mean(), x);
}
}  // namespace

torch::Tensor augment_faces(const torch::Tensor& faces, const config::FaceAugmentOptions& a) {
    namespace F = torch::nn::functional;
    const long b = faces.size(0);
    auto x = faces;
    if (a.flip) x = torch::where((torch::rand({b}) < 0.5).view({b, 1, 1, 1}), x.flip({3}), x);

    // One affine map per sample (output -> input coordinates, normalised to [-1, 1]).
    const auto angle = symmetric(b, a.rotation_degrees * float(M_PI / 180.0));
    const auto zoom = 1.0 + symmetric(b, a.scale);
    const auto cos = torch::cos(angle) / zoom, sin = torch::sin(angle) / zoom;
    const auto tx = symmetric(b, 2.0f * a.shift), ty = symmetric(b, 2.0f * a.shift);
    const auto theta = torch::stack({torch::stack({cos, -sin, tx}, 1), torch::stack({sin, cos, ty}, 1)}, 1);
    const auto grid = F::affine_grid(theta, {b, 1, x.size(2), x.size(3)}, false);
    x = F::grid_sample(
        x, grid, F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kBorder).align_corners(false));

    const auto mean = x.mean({1, 2, 3}, true);
    const auto contrast = (1.0 + symmetric(b, a.contrast)).view({b, 1, 1, 1});
    const auto brightness = symmetric(b, a.brightness).view({b, 1, 1, 1});
    x = ((x - mean) * contrast + mean + brightness).clamp(0.0, 1.0);
    if (a.gamma > 0.0f) x = x.pow(torch::exp(symmetric(b, std::log1p(a.gamma))).view({b, 1, 1, 1}));
    if (a.sharpness > 0.0f) {
        const auto blurred = F::avg_pool2d(x, F::AvgPool2dFuncOptions(3).stride(1).padding(1).count_include_pad(false));
        const auto amount = torch::empty({b}).uniform_(-1.0, a.sharpness).view({b, 1, 1, 1});
        x = (x + amount * (x - blurred)).clamp(0.0, 1.0);
    }
    if (a.erasing_probability > 0.0f) x = random_erase(x, a.erasing_probability);
    return x;
}

}  // namespace emo::train
