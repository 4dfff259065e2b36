// Knowledge distillation's loss term and its place in an optimisation step (distill: in face configs).
#include <torch/torch.h>

#include "../lib/train/loop.hpp"
#include "helpers.hpp"

namespace {
namespace F = torch::nn::functional;

torch::Tensor probabilities(const torch::Tensor& logits, double temperature) {
    return torch::softmax(logits / temperature, 1);
}
}  // namespace

TEST_CASE("the distillation term is T^2 times KL(teacher || student), zero when they agree", "[train][distill]") {
    torch::manual_seed(4);
    const auto student = torch::randn({6, 5}), teacher_logits = torch::randn({6, 5}) * 2.0;
    for (double t : {1.0, 3.0}) {
        const auto p = probabilities(teacher_logits, t), q = probabilities(student, t);
        const double by_hand = (t * t * (p * (p.log() - q.log())).sum() / 6.0).item<double>();
        CHECK(emo::train::distillation_loss(student, p, t).item<double>() == Approx(by_hand).epsilon(1e-5));
        CHECK(by_hand > 0.01);
        CHECK(emo::train::distillation_loss(student, q, t).item<double>() == Approx(0.0).margin(1e-6));
    }
}

TEST_CASE("the distillation gradient is T (student - teacher) per row", "[train][distill]") {
    torch::manual_seed(5);
    const auto logits = torch::randn({4, 3}).requires_grad_(true);
    const auto teacher = probabilities(torch::randn({4, 3}), 2.0);
    emo::train::distillation_loss(logits, teacher, 2.0).backward();
    const auto expected = 2.0 * (probabilities(logits.detach(), 2.0) - teacher) / 4.0;
    CHECK(torch::allclose(logits.grad(), expected, 1e-5, 1e-6));
}

TEST_CASE("a step with a teacher and weight 1 follows the teacher, not the labels", "[train][distill]") {
    torch::manual_seed(6);
    auto head = torch::nn::Linear(3, 2);
    torch::optim::SGD optimizer(head->parameters(), torch::optim::SGDOptions(0.5));
    const auto inputs = torch::randn({8, 3});
    const auto labels = torch::zeros({8}, torch::kInt64);  // every label says class 0...
    auto teacher = torch::zeros({8, 2});
    teacher.index_put_({torch::indexing::Slice(), 1}, 1.0);  // ...the teacher says class 1
    const auto forward = [&](const torch::Tensor& x) { return emo::train::ForwardResult{head(x), {}}; };
    std::mt19937 rng(1);
    const auto share_of_class_1 = [&] { return torch::softmax(head(inputs), 1).select(1, 1).mean().item<double>(); };
    const auto step = [&](double weight) {
        emo::train::EpochSums sums;
        emo::train::optimise_step(forward, optimizer, inputs, {labels, {}, {}, teacher},
                                  {F::CrossEntropyFuncOptions(), 0.0, 0.0f, weight, 2.0}, 0.5, rng, sums);
    };
    const double before = share_of_class_1();
    step(1.0);
    const double after_teacher = share_of_class_1();
    CHECK(after_teacher > before + 0.01);
    step(0.0);  // the labels alone pull back towards class 0
    CHECK(share_of_class_1() < after_teacher - 0.01);
}
