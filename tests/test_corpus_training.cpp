// Multi-corpus training pieces: the masked loss (a corpus without a label gives that label no
// gradient) and corpus/class-balanced drawing of an epoch's clips.
#include <torch/torch.h>

#include <map>

#include "../lib/train/corpus_sampling.hpp"
#include "../lib/train/loop.hpp"
#include "emo/speech_cnn.hpp"
#include "helpers.hpp"

namespace {
emo::data::Sample clip(const std::string& corpus, const std::string& label) {
    return {corpus + "-" + label + ".wav", label, corpus + "/1", corpus};
}
}  // namespace

TEST_CASE("with every class allowed the masked loss is torch's cross-entropy", "[train][corpora]") {
    torch::manual_seed(3);
    const auto logits = torch::randn({6, 5});
    const auto target = torch::tensor(std::vector<int64_t>{0, 1, 2, 3, 4, 2});
    const auto weight = torch::tensor(std::vector<float>{0.5f, 1.0f, 2.0f, 1.5f, 0.7f});
    const auto all = torch::ones({6, 5}, torch::kBool);
    for (double smoothing : {0.0, 0.1, 0.3}) {
        namespace F = torch::nn::functional;
        const auto expected =
            F::cross_entropy(logits, target, F::CrossEntropyFuncOptions().weight(weight).label_smoothing(smoothing));
        const auto got = emo::train::masked_cross_entropy(logits, target, all, weight, smoothing);
        CHECK(got.item<double>() == Approx(expected.item<double>()).epsilon(1e-5));
        CHECK(emo::train::masked_cross_entropy(logits, target, {}, weight, smoothing).item<double>() ==
              Approx(expected.item<double>()).epsilon(1e-5));
    }
}

TEST_CASE("a corpus without 'surprised' contributes no gradient to that class", "[train][corpora]") {
    // Labels: neutral happy sad surprised; rows 0-2 from a corpus without surprised, row 3 from one with it.
    const std::vector<std::string> labels{"neutral", "happy", "sad", "surprised"};
    const std::vector<emo::data::Sample> clips{clip("ased", "neutral"), clip("ased", "happy"), clip("ased", "sad"),
                                               clip("nemo", "surprised")};
    const std::map<std::string, std::vector<std::string>> corpus_labels{{"ased", {"neutral", "happy", "sad"}},
                                                                        {"nemo", labels}};
    const auto masks = emo::train::corpus_label_masks(clips, corpus_labels, labels);
    REQUIRE(masks == std::vector<std::uint8_t>{1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1});
    const auto allowed =
        torch::from_blob(const_cast<std::uint8_t*>(masks.data()), {4, 4}, torch::kUInt8).to(torch::kBool);

    // A linear classifier on fixed features: the surprised row of its weights learns only from nemo.
    torch::manual_seed(5);
    auto head = torch::nn::Linear(3, 4);
    const auto features = torch::randn({4, 3});
    const auto target = torch::tensor(std::vector<int64_t>{0, 1, 2, 3});
    const auto only_ased = torch::tensor(std::vector<int64_t>{0, 1, 2});
    auto loss =
        emo::train::masked_cross_entropy(head(features.index_select(0, only_ased)), target.index_select(0, only_ased),
                                         allowed.index_select(0, only_ased), {}, 0.1);
    loss.backward();
    CHECK(head->weight.grad()[3].abs().sum().item<float>() == 0.0f);
    CHECK(head->bias.grad()[3].item<float>() == 0.0f);
    CHECK(head->weight.grad()[0].abs().sum().item<float>() > 0.0f);
    CHECK(std::isfinite(loss.item<float>()));

    head->zero_grad();
    emo::train::masked_cross_entropy(head(features), target, allowed, {}, 0.1).backward();
    CHECK(head->bias.grad()[3].item<float>() != 0.0f);  // the clip from nemo does teach it

    // Every corpus with every label: no mask at all (training is exactly the unmasked one).
    CHECK(emo::train::corpus_label_masks(clips, {{"ased", labels}, {"nemo", labels}}, labels).empty());
    // Clips of no named corpus (fine-tuning on a user's manifest) are never masked: they train as before.
    const std::vector<emo::data::Sample> unnamed{clip("", "happy"), clip("", "sad")};
    CHECK(emo::train::corpus_label_masks(unnamed, {{"", {"happy", "sad"}}}, labels).empty());
    CHECK(emo::train::corpus_label_masks({clip("", "happy"), clip("ased", "sad")},
                                         {{"", {"happy"}}, {"ased", {"neutral", "happy", "sad"}}},
                                         labels) == std::vector<std::uint8_t>{1, 1, 1, 1, 1, 1, 1, 0});
}

TEST_CASE("balanced drawing gives corpora and classes the configured shares", "[train][corpora]") {
    // Corpus big: 90 happy + 10 sad; corpus small: 5 happy + 5 sad.
    std::vector<emo::data::Sample> clips;
    for (int i = 0; i < 90; ++i) clips.push_back(clip("big", "happy"));
    for (int i = 0; i < 10; ++i) clips.push_back(clip("big", "sad"));
    for (int i = 0; i < 5; ++i) clips.push_back(clip("small", "happy"));
    for (int i = 0; i < 5; ++i) clips.push_back(clip("small", "sad"));
    emo::config::SpeechConfig cfg;
    CHECK(emo::train::draw_weights(clips, cfg).empty());  // plain: every clip once per epoch

    const auto share = [&](const std::vector<double>& w, const std::string& corpus, const std::string& label) {
        double part = 0, total = 0;
        for (std::size_t i = 0; i < clips.size(); ++i) {
            total += w[i];
            if (clips[i].corpus == corpus && (label.empty() || clips[i].label == label)) part += w[i];
        }
        return part / total;
    };
    cfg.sampling.balance_corpora = 1.0f;
    cfg.sampling.balance_classes = 1.0f;
    auto w = emo::train::draw_weights(clips, cfg);
    CHECK(share(w, "big", "") == Approx(0.5));
    CHECK(share(w, "big", "sad") == Approx(0.25));
    CHECK(share(w, "small", "happy") == Approx(0.25));

    cfg.data = {{"/d/big", 3.0f, ""}, {"/d/small", 1.0f, ""}};  // named by folder; big weighs 3
    cfg.sampling.balance_classes = 0.0f;
    w = emo::train::draw_weights(clips, cfg);
    CHECK(share(w, "big", "") == Approx(0.75));
    CHECK(share(w, "big", "sad") == Approx(0.075));

    // Class weights follow the drawn class frequencies: here 0.8 happy, 0.2 sad.
    std::vector<int> labels;
    for (const auto& c : clips) labels.push_back(c.label == "happy" ? 0 : 1);
    const auto counts = emo::train::expected_label_counts(labels, w, 2);
    CHECK(counts[0] / 110.0 == Approx(0.75 * 0.9 + 0.25 * 0.5));

    // An epoch draws as many clips as there are, with replacement, reproducibly.
    std::vector<std::int64_t> order(clips.size());
    std::mt19937 rng(1), again(1);
    emo::train::next_epoch(order, w, rng);
    std::vector<std::int64_t> second(clips.size());
    emo::train::next_epoch(second, w, again);
    CHECK(order == second);
    long small = 0;
    for (int k = 0; k < 200; ++k) {
        emo::train::next_epoch(order, w, rng);
        for (auto i : order) small += clips[std::size_t(i)].corpus == "small";
    }
    CHECK(double(small) / (200.0 * 110.0) == Approx(0.25).margin(0.01));
}

TEST_CASE("missing_label_weight mixes the masked loss with the loss over every label", "[train][corpora]") {
    namespace F = torch::nn::functional;
    torch::manual_seed(9);
    auto head = torch::nn::Linear(3, 4);
    torch::optim::SGD optimizer(head->parameters(), torch::optim::SGDOptions(0.0));  // lr 0: weights stay
    const auto inputs = torch::randn({5, 3});
    const auto target = torch::tensor(std::vector<int64_t>{0, 1, 2, 0, 1});
    auto allowed = torch::ones({5, 4}, torch::kBool);
    allowed.index_put_({torch::indexing::Slice(), 3}, false);  // nobody's corpus has label 3
    const auto options = F::CrossEntropyFuncOptions().label_smoothing(0.1);
    const auto forward = [&](const torch::Tensor& x) { return emo::train::ForwardResult{head(x), {}}; };
    std::mt19937 rng(1);
    const auto loss_with = [&](double w) {
        emo::train::EpochSums sums;
        emo::train::optimise_step(forward, optimizer, inputs, {target, allowed, {}, {}}, {options, w, 0.0f, 0.0, 1.0},
                                  0.0, rng, sums);
        return sums.loss / double(sums.seen);
    };
    const double masked = emo::train::masked_cross_entropy(head(inputs), target, allowed, {}, 0.1).item<double>();
    const double full = F::cross_entropy(head(inputs), target, options).item<double>();
    CHECK(masked < full);  // label 3 takes probability mass only in the full loss
    CHECK(loss_with(0.0) == Approx(masked));
    CHECK(loss_with(1.0) == Approx(full));
    CHECK(loss_with(0.3) == Approx(0.7 * masked + 0.3 * full));
}

TEST_CASE("the gradient reversal layer passes values and turns the gradient round", "[train][adversary]") {
    torch::manual_seed(3);
    auto trunk = torch::nn::Linear(4, 3);
    auto head = torch::nn::Linear(3, 2);
    const auto x = torch::randn({6, 4});
    const auto target = torch::tensor(std::vector<int64_t>{0, 1, 1, 0, 1, 0});
    const auto grads_with = [&](double scale) {
        trunk->zero_grad();
        head->zero_grad();
        const auto features = trunk(x);
        const auto reversed = emo::models::reverse_gradient(features, scale);
        CHECK(torch::equal(reversed, features));
        torch::nn::functional::cross_entropy(head(reversed), target).backward();
        return std::make_pair(trunk->weight.grad().clone(), head->weight.grad().clone());
    };
    const auto [plain_trunk, plain_head] = grads_with(-1.0);  // -1: the ordinary gradient
    const auto [reversed_trunk, reversed_head] = grads_with(0.5);
    REQUIRE(plain_trunk.abs().sum().item<double>() > 1e-4);
    CHECK(torch::allclose(reversed_trunk, -0.5 * plain_trunk));  // the trunk: reversed and scaled
    CHECK(torch::allclose(reversed_head, plain_head));           // the classifier itself: unchanged
}

TEST_CASE("a speech network with a corpus classifier trains it and its trunk against it", "[train][adversary]") {
    torch::manual_seed(5);
    emo::config::SpeechCnnOptions opts;
    opts.channels = {4, 8};
    emo::models::SpeechCnn net(opts, 16, 3);
    CHECK_FALSE(net->has_corpus_head());
    CHECK_THROWS_WITH(net->forward_with_corpus(torch::randn({2, 1, 16, 20}), 1.0),
                      Catch::Matchers::Contains("no corpus classifier"));
    net->add_corpus_head(2, 8);
    REQUIRE(net->has_corpus_head());
    net->eval();  // dropout off: both passes see the same network
    const auto x = torch::randn({4, 1, 16, 20});
    const auto out = net->forward_with_corpus(x, 1.0);
    CHECK(out.logits.sizes() == torch::IntArrayRef({4, 3}));
    CHECK(out.corpus_logits.sizes() == torch::IntArrayRef({4, 2}));
    CHECK(torch::allclose(out.logits, net->forward(x)));
    // The corpus loss's gradient on the trunk with reversal 1 is minus that with reversal -1 (none).
    const auto corpora = torch::tensor(std::vector<int64_t>{0, 1, 0, 1});
    const auto trunk_grad = [&](double scale) {
        net->zero_grad();
        torch::nn::functional::cross_entropy(net->forward_with_corpus(x, scale).corpus_logits, corpora).backward();
        return net->features()->parameters().front().grad().clone();
    };
    const auto ordinary = trunk_grad(-1.0);
    REQUIRE(ordinary.abs().sum().item<double>() > 0.0);
    CHECK(torch::allclose(trunk_grad(1.0), -ordinary, 1e-4, 1e-6));
}

TEST_CASE("optimise_step adds the corpus classifier's loss when the forward pass gives one", "[train][adversary]") {
    torch::manual_seed(11);
    auto head = torch::nn::Linear(3, 2);
    auto corpus_head = torch::nn::Linear(3, 4);
    auto params = head->parameters();
    for (auto& p : corpus_head->parameters()) params.push_back(p);
    torch::optim::SGD optimizer(params, torch::optim::SGDOptions(0.0));
    const auto inputs = torch::randn({5, 3});
    const auto target = torch::tensor(std::vector<int64_t>{0, 1, 1, 0, 1});
    const auto corpora = torch::tensor(std::vector<int64_t>{0, 1, 2, 3, 0});
    const auto options = torch::nn::functional::CrossEntropyFuncOptions();
    std::mt19937 rng(1);
    emo::train::EpochSums sums;
    const auto forward = [&](const torch::Tensor& x) { return emo::train::ForwardResult{head(x), corpus_head(x)}; };
    emo::train::optimise_step(forward, optimizer, inputs, {target, {}, corpora, {}}, {options, 0.0, 0.0f, 0.0, 1.0},
                              0.0, rng, sums);
    namespace F = torch::nn::functional;
    const double expected =
        (F::cross_entropy(head(inputs), target) + F::cross_entropy(corpus_head(inputs), corpora)).item<double>();
    CHECK(sums.loss / double(sums.seen) == Approx(expected));
    CHECK(sums.corpus_seen == 5);
    CHECK(sums.corpus_correct == corpus_head(inputs).argmax(1).eq(corpora).sum().item<long>());
}
