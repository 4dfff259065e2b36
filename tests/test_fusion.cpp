// Decision fusion: label alignment, the three rules on hand-computed cases, a missing modality,
// the weight search, the fusion config and the files fusion reads.
#include <cmath>

#include "emo/error.hpp"
#include "emo/fusion.hpp"
#include "emo/prediction_json.hpp"
#include "helpers.hpp"

using Catch::Matchers::Contains;
using emo::fusion::Scores;

namespace {
const std::vector<std::string> kLabels{"neutral", "happy", "sad"};
const Scores kFace{{"happy", "sad"}, {0.8f, 0.2f}};
const Scores kSpeech{{"calm", "happy", "sad"}, {0.4f, 0.2f, 0.4f}};

emo::config::FusionConfig with_rule(emo::config::FusionRule rule, float face_weight) {
    emo::config::FusionConfig c;
    c.rule = rule;
    c.face_weight = face_weight;
    c.speech_weight = 1.0f - face_weight;
    return c;
}
}  // namespace

TEST_CASE("alignment maps calm onto neutral, adds mapped mass and drops labels outside the space", "[fusion]") {
    const auto a = emo::fusion::align(kSpeech, kLabels, {{"calm", "neutral"}});
    CHECK(a.values == std::vector<float>{0.4f, 0.2f, 0.4f});
    CHECK(a.present == std::vector<bool>{true, true, true});

    const auto unmapped = emo::fusion::align(kSpeech, kLabels, {});  // calm has no place: dropped, renormalised
    CHECK(unmapped.values[0] == 0.0f);
    CHECK_FALSE(unmapped.present[0]);
    CHECK(unmapped.values[1] == Approx(0.2 / 0.6));
    CHECK(unmapped.values[2] == Approx(0.4 / 0.6));

    CHECK(emo::fusion::fused_labels(emo::config::FusionConfig{}, {kFace.labels, kSpeech.labels}) == kLabels);
}

TEST_CASE("the weighted, product and max rules on a hand-computed case", "[fusion]") {
    using emo::config::FusionRule;
    // neutral is known to speech only (from calm): it gets speech's 0.4 at full weight, no penalty.
    const auto w = emo::fusion::fuse(kFace, kSpeech, with_rule(FusionRule::kWeighted, 0.5f), kLabels);
    const float total = 0.4f + 0.5f + 0.3f;
    CHECK(w.values[0] == Approx(0.4 / total));
    CHECK(w.values[1] == Approx(0.5 / total));
    CHECK(w.values[2] == Approx(0.3 / total));
    CHECK(w.labels[std::size_t(w.best)] == "happy");

    const auto p = emo::fusion::fuse(kFace, kSpeech, with_rule(FusionRule::kProduct, 0.5f), kLabels);
    const double happy = std::sqrt(0.8 * 0.2), sad = std::sqrt(0.2 * 0.4), sum = 0.4 + happy + sad;
    CHECK(p.values[1] == Approx(happy / sum));
    CHECK(p.values[2] == Approx(sad / sum));

    const auto m = emo::fusion::fuse(kFace, kSpeech, with_rule(FusionRule::kMax, 0.5f), kLabels);
    CHECK(m.values[1] == Approx(0.8 / (0.4 + 0.8 + 0.4)));

    // All weight on speech: the face has no say.
    const auto s = emo::fusion::fuse(kFace, kSpeech, with_rule(FusionRule::kWeighted, 0.0f), kLabels);
    CHECK(s.values == emo::fusion::align(kSpeech, kLabels, {{"calm", "neutral"}}).values);
}

TEST_CASE("a missing modality leaves the other one alone and says so in the weights", "[fusion]") {
    const auto f = emo::fusion::fuse(kFace, std::nullopt, with_rule(emo::config::FusionRule::kWeighted, 0.2f), kLabels);
    CHECK(f.face_weight == 1.0f);
    CHECK(f.speech_weight == 0.0f);
    CHECK(f.values[1] == Approx(0.8));
    CHECK_THROWS_AS(emo::fusion::fuse(std::nullopt, std::nullopt, {}, kLabels), emo::InputError);
}

TEST_CASE("the weight search finds the middle of the best plateau", "[fusion]") {
    // Pair 1 (happy): face sure and right, speech unsure and wrong. Pair 2 (sad): the reverse.
    // Weighted fusion gets both right for face weights in (0.2, 0.8).
    emo::fusion::PairedScores pairs;
    pairs.face = {Scores{{"happy", "sad"}, {0.9f, 0.1f}}, Scores{{"happy", "sad"}, {0.6f, 0.4f}}};
    pairs.speech = {Scores{{"happy", "sad"}, {0.4f, 0.6f}}, Scores{{"happy", "sad"}, {0.1f, 0.9f}}};
    pairs.truth = {"happy", "sad"};
    const std::vector<std::string> labels{"happy", "sad"};
    const auto fit = emo::fusion::fit_weights(pairs, {}, labels, emo::fusion::Objective::kAccuracy);
    CHECK(fit.objective == 1.0);
    CHECK(fit.face_weight == Approx(0.5f).margin(0.011));
    CHECK(fit.curve.size() == 101);
    CHECK(fit.curve.front().second == 0.5);  // speech alone
    CHECK(fit.curve.back().second == 0.5);   // face alone

    const auto m = emo::fusion::evaluate_pairs(pairs, {}, labels);
    CHECK(m.face.accuracy == 0.5);
    CHECK(m.speech.accuracy == 0.5);
    CHECK(m.fused.accuracy == 1.0);

    pairs.truth = {"happy", "contempt"};
    CHECK_THROWS_WITH(emo::fusion::evaluate_pairs(pairs, {}, labels), Contains("'contempt' is not a fused label"));
}

TEST_CASE("fusion configs: weights, rule and label map, validated and written back", "[fusion][config]") {
    const auto c = emo::config::parse_fusion_config(
        "rule: product\nweights: {face: 0.3, speech: 0.7}\nlabel_map: {calm: neutral, bored: neutral}\n", "f.yaml");
    CHECK(c.rule == emo::config::FusionRule::kProduct);
    CHECK(c.face_weight == 0.3f);
    CHECK(c.label_map.at("bored") == "neutral");
    const auto again = emo::config::parse_fusion_config(emo::config::to_yaml(c), "again");
    CHECK(again.face_weight == c.face_weight);
    CHECK(again.label_map == c.label_map);
    CHECK(again.rule == c.rule);

    CHECK_THROWS_WITH(emo::config::parse_fusion_config("weights: {face: 0.3, speech: 0.3}\n", "f.yaml"),
                      Contains("f.yaml: weights: expected face + speech = 1"));
    CHECK_THROWS_WITH(emo::config::parse_fusion_config("weights: {face: -0.5, speech: 1.5}\n", "f.yaml"),
                      Contains("weights.face: expected 0..1"));
    CHECK_THROWS_WITH(emo::config::parse_fusion_config("rule: mean\n", "f.yaml"),
                      Contains("f.yaml: rule: expected one of weighted | product | max"));
    CHECK_THROWS_WITH(emo::config::parse_fusion_config("wieghts: {face: 1, speech: 0}\n", "f.yaml"),
                      Contains("wieghts: unknown key"));
    CHECK_THROWS_WITH(emo::config::parse_fusion_config("label_map: [calm]\n", "f.yaml"), Contains("label_map"));
}

TEST_CASE("fusion reads emo-predict JSON (the largest face) and paired-set CSVs", "[fusion][data]") {
    emo::test::TempDir tmp;
    emo::test::write_text(tmp.file("face.json"),
                          R"({"file":"p.jpg","modality":"face","faces":[)"
                          R"({"box":[0,0,10,10],"label":"sad","confidence":0.9,"scores":{"happy":0.1,"sad":0.9}},)"
                          R"({"box":[0,0,40,40],"label":"happy","confidence":0.7,"scores":{"happy":0.7,"sad":0.3}}]})"
                          "\n");
    const auto face = emo::fusion::read_prediction_json(tmp.file("face.json"));
    CHECK(face.modality == "face");
    REQUIRE(face.scores);
    CHECK(face.scores->values == std::vector<float>{0.7f, 0.3f});

    emo::test::write_text(tmp.file("none.json"), R"({"file":"p.jpg","modality":"face","faces":[]})"
                                                 "\n");
    CHECK_FALSE(emo::fusion::read_prediction_json(tmp.file("none.json")).scores);
    emo::test::write_text(tmp.file("bad.json"), "{\"modality\": 3}\n");
    CHECK_THROWS_WITH(emo::fusion::read_prediction_json(tmp.file("bad.json")),
                      Contains("bad.json: not an emo-predict --json line"));

    emo::test::write_text(tmp.file("pairs.csv"), "face,speech,label\na.png,b.wav,Surprise\n");
    const auto pairs = emo::data::read_pairs(tmp.file("pairs.csv"));
    REQUIRE(pairs.size() == 1);
    CHECK(pairs[0].label == "surprised");
    CHECK(pairs[0].face == tmp.file("a.png"));
    emo::test::write_text(tmp.file("bad.csv"), "face,speech,label\na.png,b.wav,very bored!\n");
    CHECK_THROWS_WITH(emo::data::read_pairs(tmp.file("bad.csv")),
                      Contains("bad.csv: line 2: label 'very bored!' is not a word"));
    emo::test::write_text(tmp.file("hdr.csv"), "image,audio,label\n");
    CHECK_THROWS_WITH(emo::data::read_pairs(tmp.file("hdr.csv")), Contains("expected header face,speech,label"));
}
