// train.average_last: the mean of the last epochs' weights, batch-norm statistics recomputed for it,
// kept through interruptions, and offered as model.pt.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "../lib/train/weight_average.hpp"
#include "emo/error.hpp"
#include "emo/models.hpp"
#include "emo/train.hpp"
#include "helpers.hpp"
#include "training_helpers.hpp"

using Catch::Matchers::Contains;
using emo::test::Interrupted;
using emo::test::speech_scores;

namespace {
torch::nn::Sequential small_net() {
    return torch::nn::Sequential(torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 3, 3)), torch::nn::BatchNorm2d(3),
                                 torch::nn::Linear(4, 2));
}
}  // namespace

TEST_CASE("the weight average is the running mean of the parameters added", "[train][average]") {
    torch::manual_seed(1);
    std::vector<torch::nn::Sequential> nets{small_net(), small_net(), small_net()};
    emo::train::WeightAverage average;
    CHECK_THROWS_AS(emo::train::load_average(average, *nets[0]), emo::RuntimeError);
    for (auto& n : nets) emo::train::add_to_average(average, *n);
    CHECK(average.epochs == 3);
    auto target = small_net();
    emo::train::load_average(average, *target);
    const auto p = target->parameters();
    for (std::size_t i = 0; i < p.size(); ++i) {
        const auto mean = (nets[0]->parameters()[i] + nets[1]->parameters()[i] + nets[2]->parameters()[i]) / 3.0;
        CHECK(torch::allclose(p[i], mean, 1e-6, 1e-7));
    }
    CHECK_THROWS_AS(emo::train::add_to_average(average, *torch::nn::Sequential(torch::nn::Linear(4, 2))),
                    emo::RuntimeError);
}

TEST_CASE("batch-norm statistics are recomputed as the plain mean over the batches fed", "[train][average]") {
    torch::manual_seed(2);
    torch::nn::BatchNorm2d trained(2), frozen(2);
    torch::nn::Sequential net(trained, frozen);
    net->train();
    frozen->eval();  // a frozen trunk's layer keeps its statistics
    {
        torch::NoGradGuard no_grad;
        frozen->running_mean.fill_(0.25);
        trained->running_mean.fill_(9.0);  // stale statistics, to be forgotten
    }
    const auto a = torch::randn({4, 2, 3, 3}) * 2.0 + 1.0, b = torch::randn({4, 2, 3, 3}) - 3.0;
    emo::train::recompute_batch_norm(*net, [&] {
        net->forward(a);
        net->forward(b);
    });
    const auto per_channel = [](const torch::Tensor& x) { return x.transpose(0, 1).reshape({2, -1}); };
    const auto expected_mean = (per_channel(a).mean(1) + per_channel(b).mean(1)) / 2.0;
    const auto expected_var = (per_channel(a).var(1) + per_channel(b).var(1)) / 2.0;  // unbiased, as BN keeps
    CHECK(torch::allclose(trained->running_mean, expected_mean, 1e-5, 1e-6));
    CHECK(torch::allclose(trained->running_var, expected_var, 1e-5, 1e-6));
    CHECK(torch::allclose(frozen->running_mean, torch::full({2}, 0.25)));
    CHECK(trained->options.momentum() == c10::optional<double>(0.1));  // restored for further training
}

TEST_CASE("train.average_last asks for a fixed number of epochs", "[config][average]") {
    const auto parse = [](const std::string& train) {
        return emo::config::parse_speech_config("train: {" + train + "}\nsplit: {validation_speakers: ['05']}\n",
                                                "test-config");
    };
    CHECK(parse("epochs: 10, patience: 0, average_last: 10").train.average_last == 10);
    CHECK(parse("epochs: 10").train.average_last == 0);
    CHECK_THROWS_WITH(parse("epochs: 10, patience: 0, average_last: 11"),
                      Contains("train.average_last") && Contains("0..train.epochs (10)"));
    CHECK_THROWS_WITH(parse("epochs: 10, patience: 3, average_last: 4"),
                      Contains("train.average_last") && Contains("early stopping"));
    CHECK_THROWS_WITH(parse("epochs: 10, patience: 0, average_last: -1"), Contains("train.average_last"));
}

TEST_CASE("a run with weight averaging offers the mean, and an interrupted one ends the same", "[train][average]") {
    const auto dir = emo::test::data_dir();
    if (dir.empty()) return;
    emo::test::TempDir tmp;
    const auto ds = emo::test::ravdess_clips(dir, {"calm", "angry"}, 5);
    auto config = emo::test::tiny_speech_config(tmp.file("cache"), 4);
    config.train.average_last = 2;
    const auto validation = emo::data::split_by_speaker(ds.samples, {"05"}).validation;

    emo::train::RunOptions run;
    run.out_dir = tmp.file("whole");
    const auto whole = emo::train::train_speech(config, ds, run);
    REQUIRE(std::filesystem::exists(tmp.file("whole/average.pt")));
    // The mean's recorded validation figures are those of the file as saved (its own statistics).
    const auto average = emo::models::SpeechModel::load(tmp.file("whole/average.pt"));
    const auto& recorded = average.metadata().metrics;
    const auto average_scores = speech_scores(tmp.file("whole/average.pt"), validation);
    int correct = 0;
    for (std::size_t i = 0; i < validation.size(); ++i) {
        const auto& s = average_scores[i];
        correct += average.metadata().labels[std::size_t(std::max_element(s.begin(), s.end()) - s.begin())] ==
                   validation[i].label;
    }
    CHECK(double(correct) / double(validation.size()) == Approx(recorded.at("accuracy").get<double>()));
    // It is not any one epoch's weights.
    CHECK(average_scores != speech_scores(tmp.file("whole/last.pt"), validation));
    if (whole.chosen.rfind("mean weights of epochs 3-4", 0) == 0) {
        CHECK(speech_scores(whole.model_path, validation) == average_scores);
    } else {
        CHECK(whole.chosen == "best epoch " + std::to_string(whole.best_epoch));
    }

    // Interrupted in the last epoch (the checkpoint holds epoch 3 in the mean), then while the mean is
    // scored (the checkpoint says finished, not yet averaged): the resumed run ends as the whole one.
    run.out_dir = tmp.file("interrupted");
    run.on_epoch = [](const emo::train::EpochRecord& e) {
        if (e.epoch == 4) throw Interrupted();
    };
    CHECK_THROWS_AS(emo::train::train_speech(config, ds, run), Interrupted);
    run.on_epoch = {};
    run.resume = true;
    run.on_info = [](const std::string& line) {
        if (line.rfind("mean weights", 0) == 0) throw Interrupted();
    };
    CHECK_THROWS_AS(emo::train::train_speech(config, ds, run), Interrupted);
    CHECK_FALSE(std::filesystem::exists(tmp.file("interrupted/average.pt")));
    std::vector<std::string> lines;
    run.on_info = [&](const std::string& line) { lines.push_back(line); };
    const auto resumed = emo::train::train_speech(config, ds, run);
    CHECK(resumed.chosen == whole.chosen);
    CHECK(resumed.best_validation.confusion == whole.best_validation.confusion);
    CHECK(speech_scores(tmp.file("interrupted/average.pt"), validation) == average_scores);
    CHECK(speech_scores(resumed.model_path, validation) == speech_scores(whole.model_path, validation));
    const auto mean_lines = [&] {
        return std::count_if(lines.begin(), lines.end(),
                             [](const std::string& l) { return l.rfind("mean weights", 0) == 0; });
    };
    CHECK(mean_lines() == 1);
    CHECK_THAT(lines.back(), Contains("mean weights of epochs 3-4: validation accuracy"));

    // Finished and averaged: resuming again changes nothing.
    lines.clear();
    const auto again = emo::train::train_speech(config, ds, run);
    CHECK(again.chosen == whole.chosen);
    CHECK(mean_lines() == 0);
}
