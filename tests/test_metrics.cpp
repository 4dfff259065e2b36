#include <cmath>

#include "emo/error.hpp"
#include "emo/eval.hpp"
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

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

TEST_CASE("a collapse onto one label shows as its share of the predictions and a low entropy", "[eval]") {
    // Four labels, eight items: six predicted "b", one "a", one "c" (accuracy 3/8 whatever the spread).
    const auto m = emo::eval::compute_metrics({"a", "b", "c", "d"}, {0, 1, 2, 3, 0, 1, 2, 3}, {0, 1, 2, 1, 1, 1, 1, 1});
    CHECK(m.most_predicted == 1);
    CHECK(m.most_predicted_share == Approx(0.75));
    CHECK(m.prediction_entropy == Approx(-(0.75 * std::log2(0.75) + 2 * 0.125 * std::log2(0.125))));
    const auto even = emo::eval::compute_metrics({"a", "b", "c", "d"}, {0, 1, 2, 3}, {3, 2, 1, 0});
    CHECK(even.most_predicted_share == Approx(0.25));
    CHECK(even.prediction_entropy == Approx(2.0));  // log2(4): every label as often
    const auto one = emo::eval::compute_metrics({"a", "b"}, {0, 1, 1}, {1, 1, 1});
    CHECK(one.most_predicted_share == 1.0);
    CHECK(one.prediction_entropy == 0.0);
    CHECK(emo::eval::compute_metrics({"a"}, {}, {}).most_predicted == -1);

    CHECK_THAT(emo::eval::format_text(m),
               Catch::Matchers::Contains("most predicted = b (75.0 % of predictions)") &&
                   Catch::Matchers::Contains("prediction entropy = 1.06 bits (2.00: every label as often)"));
    const auto json = nlohmann::json::parse(emo::eval::to_json(m));
    CHECK(json["most_predicted"]["label"] == "b");
    CHECK(json["most_predicted"]["share"].get<double>() == Approx(0.75));
    CHECK(json["prediction_entropy_bits"].get<double>() == Approx(m.prediction_entropy));
}

TEST_CASE("row-normalised confusion and the CSV table, with an empty class", "[eval]") {
    const auto m = emo::eval::compute_metrics({"a", "b", "c"}, {0, 0, 0, 1}, {0, 1, 1, 1});
    const auto rows = emo::eval::row_normalised(m);
    CHECK(rows[0][0] == Approx(1.0 / 3));
    CHECK(rows[0][1] == Approx(2.0 / 3));
    CHECK(rows[2] == std::vector<double>{0, 0, 0});  // no support: zeros, not NaN
    const auto csv = emo::eval::to_csv(m);
    CHECK_THAT(csv, Catch::Matchers::StartsWith("row,precision,recall,f1,support\na,1.000000,0.333333,0.500000,3\n"));
    CHECK_THAT(csv, Catch::Matchers::Contains("c,0.000000,0.000000,0.000000,0\n"));
    CHECK_THAT(csv, Catch::Matchers::Contains("accuracy,,,0.500000,4\n"));
    CHECK_THAT(emo::eval::to_json(m), Catch::Matchers::Contains("\"normalized\":[[0.3333"));
    CHECK(csv.find("nan") == std::string::npos);
}

TEST_CASE("plots are valid PNGs of sensible size, written where asked", "[eval][plots]") {
    emo::test::TempDir tmp;
    const auto m = emo::eval::compute_metrics({"neutral", "happy", "sad"}, {0, 1, 1, 2, 2, 2}, {0, 1, 2, 2, 2, 0});
    emo::eval::plot_confusion(m, "confusion", tmp.file("confusion.png"));
    emo::eval::plot_bars(m.labels, {0.5, 0.8, 0.7}, "F1", "F1", tmp.file("f1.png"));
    emo::eval::Series a{"training", {1, 2, 3}, {1.0, 0.7, 0.5}}, b{"validation", {1, 2, 3}, {1.1, 0.9, 0.8}};
    emo::eval::plot_lines({{"loss", "epoch", "loss", {a, b}, true}, {"accuracy", "epoch", "accuracy", {a}, false}},
                          "run", tmp.file("curves.png"));
    for (const char* name : {"confusion.png", "f1.png", "curves.png"}) {
        const cv::Mat img = cv::imread(tmp.file(name), cv::IMREAD_COLOR);
        INFO(name);
        REQUIRE_FALSE(img.empty());
        CHECK(img.cols >= 300);
        CHECK(img.rows >= 300);
        CHECK(img.cols <= 2000);
        cv::Mat gray;
        cv::cvtColor(img, gray, cv::COLOR_BGR2GRAY);
        CHECK(cv::countNonZero(gray < 128) > 500);  // text and lines were drawn, not a blank page
    }
    CHECK_FALSE(std::filesystem::exists(tmp.file("curves.png.tmp.png")));
    CHECK_THROWS_WITH(emo::eval::plot_bars({"a"}, {1.0}, "t", "y", tmp.file("no/such/dir/x.png")),
                      Catch::Matchers::Contains("x.png: cannot open"));
}

TEST_CASE("results compare side by side with McNemar's exact test on shared items", "[eval][compare]") {
    emo::test::TempDir tmp;
    // a is right on items 0-9, b only on 0-1: 8 discordant pairs, all for a; p = 2 / 2^8.
    std::string a = R"({"n":10,"accuracy":1.0,"uar":1.0,"macro":{"f1":1.0},"predictions":[)";
    std::string b = R"({"n":10,"accuracy":0.2,"uar":0.2,"macro":{"f1":0.2},"predictions":[)";
    for (int i = 0; i < 10; ++i) {
        const std::string id = "\"clip" + std::to_string(i) + "\"", sep = i ? "," : "";
        a += sep + "[" + id + ",\"sad\",\"sad\"]";
        b += sep + "[" + id + ",\"sad\"," + (i < 2 ? "\"sad\"" : "\"calm\"") + "]";
    }
    emo::test::write_text(tmp.file("a.json"), a + "]}\n");
    emo::test::write_text(tmp.file("b.json"), b + "]}\n");
    const auto ra = emo::eval::read_result(tmp.file("a.json")), rb = emo::eval::read_result(tmp.file("b.json"));
    const auto m = emo::eval::mcnemar(ra, rb);
    CHECK(m.shared == 10);
    CHECK(m.only_a == 8);
    CHECK(m.only_b == 0);
    CHECK(m.p_value == Approx(2.0 / 256));
    CHECK(emo::eval::mcnemar(ra, ra).p_value == 1.0);
    const auto table = emo::eval::format_comparison({ra, rb});
    CHECK_THAT(table, Catch::Matchers::Contains("b.json") && Catch::Matchers::Contains("0.2000") &&
                          Catch::Matchers::Contains("p = 0.0078") && Catch::Matchers::Contains("significant"));
    CHECK(emo::eval::comparison_csv({ra, rb}) ==
          "result,n,accuracy,uar,macro_f1,weighted_f1,epoch,shared,only_first_right,only_this_right,p_value\n"
          "a.json,10,1.000000,1.000000,1.000000,0.000000,,,,,\n"
          "b.json,10,0.200000,0.200000,0.200000,0.000000,,10,8,0,0.0078125\n");

    emo::test::write_text(tmp.file("bad.json"), "{\"accuracy\": 1}\n");
    CHECK_THROWS_WITH(emo::eval::read_result(tmp.file("bad.json")),
                      Catch::Matchers::Contains("bad.json: not an emo-eval"));
}

TEST_CASE("cross-validation: mean, sample std and pooled confusion match a hand-computed case", "[eval][cv]") {
    using emo::eval::FoldResult;
    // fold 1: 3 of 4 right (a a b b -> a b b b); fold 2: 1 of 2 right (a b -> a a)
    FoldResult one{"speakers 01", 5, emo::eval::compute_metrics({"a", "b"}, {0, 0, 1, 1}, {0, 1, 1, 1}), 0.9};
    FoldResult two{"speakers 02", 5, emo::eval::compute_metrics({"a", "b"}, {0, 1}, {0, 0}), 0.7};
    const auto cv = emo::eval::summarise_folds({one, two});
    CHECK(cv.accuracy.mean == Approx(0.625));
    CHECK(cv.accuracy.std == Approx(std::sqrt(2 * 0.125 * 0.125)));  // sample std of 0.75 and 0.5
    CHECK(cv.best_epoch_accuracy.mean == Approx(0.8));
    CHECK(cv.pooled.n == 6);
    CHECK(cv.pooled.accuracy == Approx(4.0 / 6));
    CHECK(cv.pooled.confusion == std::vector<std::vector<int>>{{2, 1}, {1, 2}});
    const auto csv = emo::eval::to_csv(cv);
    CHECK_THAT(csv, Catch::Matchers::Contains("2,2,5,0.500000,0.500000,") &&
                        Catch::Matchers::Contains("\nmean,6,,0.625000,") &&
                        Catch::Matchers::Contains("\nstd,,,0.176777,"));
    CHECK_THAT(emo::eval::format_text(cv), Catch::Matchers::Contains("accuracy     0.6250 ± 0.1768"));
    CHECK(emo::eval::to_json(cv).find("nan") == std::string::npos);

    const auto single = emo::eval::summarise_folds({two});
    CHECK(single.accuracy.std == 0.0);  // one fold: no spread, not NaN
    // Folds with other label sets (leave-one-corpus-out) pool over the union of their labels.
    FoldResult other_labels{"x", 1, emo::eval::compute_metrics({"a", "c"}, {0, 1}, {0, 0}), 1.0};
    const auto pooled = emo::eval::summarise_folds({one, other_labels}).pooled;
    CHECK(pooled.labels == std::vector<std::string>{"a", "b", "c"});
    CHECK(pooled.confusion == std::vector<std::vector<int>>{{2, 1, 0}, {0, 2, 0}, {1, 0, 0}});
    CHECK_THROWS_AS(emo::eval::summarise_folds({}), emo::RuntimeError);
}
