#include <cmath>

#include "emo/error.hpp"
#include "emo/eval.hpp"
#include "helpers.hpp"


TEST_CASE("metrics match a hand-computed 3-class case", "[eval]") {
    // truth:     a a a b b c
    // predicted: a a b b a a
    const auto m = emo::eval::compute_metrics({"a", "b", "c"}, {0, 0, 0, 1, 1, 2}, {0, 0, 1, 1, 0, 0});
    CHECK(m.n == 6);
    CHECK(m.accuracy == Approx(3.0 / 6));
    CHECK(m.per_class[0].precision == Approx(2.0 / 4));
    CHECK(m.per_class[0].recall == Approx(2.0 / 3));
    CHECK(m.per_class[0].f1 == Approx(2 * 0.5 * (2.0 / 3) / (0.5 + 2.0 / 3)));
    CHECK(m.per_class[1].precision == Approx(0.5));
    CHECK(m.per_class[1].recall == Approx(0.5));
    CHECK(m.per_class[2].precision == 0.0);  // never predicted: 0, not NaN
    CHECK(m.per_class[2].recall == 0.0);
    CHECK(m.uar == Approx((2.0 / 3 + 0.5 + 0) / 3));
    CHECK(m.weighted.recall == Approx(m.accuracy));
    CHECK(m.confusion[0] == std::vector<int>{2, 1, 0});
    CHECK(m.confusion[2] == std::vector<int>{1, 0, 0});
}

TEST_CASE("a class with no support is left out of macro averages, no NaN anywhere", "[eval]") {
    const auto m = emo::eval::compute_metrics({"a", "b", "c"}, {0, 1}, {0, 1});
    CHECK(m.accuracy == 1.0);
    CHECK(m.macro.f1 == Approx(1.0));
    CHECK(m.per_class[2].support == 0);
    const auto json = emo::eval::to_json(m);
    CHECK(json.find("nan") == std::string::npos);
    CHECK(json.find("\"uar\"") != std::string::npos);
    const auto empty = emo::eval::compute_metrics({"a"}, {}, {});
    CHECK(empty.accuracy == 0.0);
    CHECK_FALSE(std::isnan(empty.macro.f1));
    CHECK_THROWS_AS(emo::eval::compute_metrics({"a"}, {0}, {}), emo::RuntimeError);
    CHECK_THROWS_AS(emo::eval::compute_metrics({"a"}, {0}, {3}), emo::RuntimeError);
}

TEST_CASE("the text report has every section", "[eval]") {
    const auto text = emo::eval::format_text(emo::eval::compute_metrics({"happy", "sad"}, {0, 1, 1}, {0, 1, 0}));
    for (const char* part : {"accuracy = 0.6667", "uar", "precision", "macro avg", "weighted avg", "confusion matrix"})
        CHECK(text.find(part) != std::string::npos);
}
