// Expected calibration error and temperature scaling (lib/eval/calibration.cpp).
#include <cmath>
#include <random>

#include "emo/error.hpp"
#include "emo/eval.hpp"
#include "helpers.hpp"

TEST_CASE("expected calibration error of a hand-built case", "[eval][calibration]") {
    // Bin (0.8667, 0.9333]: confidences 0.9, 0.9, 0.9, 0.9, one right -> |0.25 - 0.9| * 4/6.
    // Bin (0.4667, 0.5333]: confidences 0.5, 0.5, both right -> |1 - 0.5| * 2/6.
    const double ece = emo::eval::expected_calibration_error({0.9f, 0.9f, 0.9f, 0.9f, 0.5f, 0.5f},
                                                             {true, false, false, false, true, true});
    CHECK(ece == Approx(0.65 * 4.0 / 6.0 + 0.5 * 2.0 / 6.0));
    // Confident and always right in its bin: 0.
    CHECK(emo::eval::expected_calibration_error({1.0f, 1.0f}, {true, true}) == Approx(0.0));
    CHECK(emo::eval::expected_calibration_error(std::vector<float>{}, std::vector<bool>{}) == 0.0);
    CHECK_THROWS_AS(emo::eval::expected_calibration_error(std::vector<float>{0.5f}, std::vector<bool>{true, false}),
                    emo::RuntimeError);
    // From scores: the top score is the confidence, right when it is the true label's.
    CHECK(emo::eval::expected_calibration_error({{0.9f, 0.1f}, {0.2f, 0.8f}}, {0, 0}) ==
          Approx((std::abs(1.0 - 0.9) + std::abs(0.0 - 0.8)) / 2.0));
}

TEST_CASE("the window average of softmax with a temperature", "[eval][calibration]") {
    const std::vector<std::vector<std::vector<float>>> logits{{{0.0f, std::log(3.0f)}, {0.0f, 0.0f}}};
    const auto p = emo::eval::averaged_softmax(logits, 1.0);
    CHECK(p[0][1] == Approx((0.75 + 0.5) / 2));
    const auto hot = emo::eval::averaged_softmax(logits, 1000.0);  // a very high temperature: uniform
    CHECK(hot[0][0] == Approx(0.5).margin(1e-3));
}

TEST_CASE("fit_temperature recovers the temperature that made over-confident scores", "[eval][calibration]") {
    // Labels drawn from softmax(z); the model reports 3 z: fitting must find T close to 3.
    std::mt19937 rng(4);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<std::vector<std::vector<float>>> logits;
    std::vector<int> truth;
    for (int i = 0; i < 4000; ++i) {
        std::vector<float> z(4);
        for (auto& v : z) v = 1.5f * normal(rng);
        const auto p = emo::eval::averaged_softmax({{z}}, 1.0)[0];
        std::discrete_distribution<int> draw(p.begin(), p.end());
        truth.push_back(draw(rng));
        for (auto& v : z) v *= 3.0f;
        logits.push_back({z});
    }
    const double t = emo::eval::fit_temperature(logits, truth);
    CHECK(t == Approx(3.0).margin(0.25));
    const double before = emo::eval::expected_calibration_error(emo::eval::averaged_softmax(logits, 1.0), truth);
    const double after = emo::eval::expected_calibration_error(emo::eval::averaged_softmax(logits, t), truth);
    CHECK(after < before / 2);
    CHECK_THROWS_AS(emo::eval::fit_temperature({}, {}), emo::RuntimeError);
}
