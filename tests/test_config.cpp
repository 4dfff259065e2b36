#include <algorithm>
#include <filesystem>

#include "emo/config.hpp"
#include "emo/error.hpp"
#include "helpers.hpp"

using Catch::Matchers::Contains;
using emo::config::parse_speech_config;

TEST_CASE("the shipped speech config loads and round-trips through YAML", "[config]") {
    const auto c = emo::config::load_speech_config(std::string(EMO_SOURCE_DIR) + "/configs/speech_ravdess.yaml");
    CHECK(c.input.features.n_mels == 64);
    CHECK(c.split.validation_speakers.size() == 4);
    const auto again = parse_speech_config(emo::config::to_yaml(c), "roundtrip");
    CHECK(emo::config::to_yaml(again) == emo::config::to_yaml(c));
    auto flipped = c;
    flipped.model.keep_frequency = !c.model.keep_frequency;
    CHECK(parse_speech_config(emo::config::to_yaml(flipped), "roundtrip").model.keep_frequency ==
          flipped.model.keep_frequency);
    flipped.model.attention_pooling = !c.model.attention_pooling;
    CHECK(parse_speech_config(emo::config::to_yaml(flipped), "roundtrip").model.attention_pooling ==
          flipped.model.attention_pooling);
    flipped.model.corpus_adversary = 0.25f;
    flipped.model.adversary_hidden = 64;
    flipped.calibration.fit_temperature = !c.calibration.fit_temperature;
    const auto read_back = parse_speech_config(emo::config::to_yaml(flipped), "roundtrip");
    CHECK(read_back.model.corpus_adversary == 0.25f);
    CHECK(read_back.model.adversary_hidden == 64);
    CHECK(read_back.calibration.fit_temperature == flipped.calibration.fit_temperature);
}

TEST_CASE("the corpus adversary and calibration keys are checked", "[config]") {
    const std::string split = "split: {validation_speakers: ['01']}\n";
    CHECK(parse_speech_config(split, "a.yaml").model.corpus_adversary == 0.0f);  // off unless asked
    CHECK_FALSE(parse_speech_config(split, "a.yaml").calibration.fit_temperature);
    CHECK_THROWS_WITH(parse_speech_config("model: {corpus_adversary: -1}\n" + split, "a.yaml"),
                      Contains("a.yaml") && Contains("model.corpus_adversary"));
    CHECK_THROWS_WITH(parse_speech_config("model: {adversary_hidden: 0}\n" + split, "a.yaml"),
                      Contains("model.adversary_hidden"));
    CHECK_THROWS_WITH(parse_speech_config("calibration: {fit_temprature: true}\n" + split, "a.yaml"),
                      Contains("fit_temprature"));
}

TEST_CASE("every config in configs/ loads as its kind", "[config]") {
    int loaded = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(EMO_SOURCE_DIR) + "/configs")) {
        const auto name = entry.path().filename().string();
        INFO(name);
        if (name.rfind("face_", 0) == 0) {
            CHECK_NOTHROW(emo::config::load_face_config(entry.path().string()));
        } else if (name.rfind("speech_", 0) == 0) {
            CHECK_NOTHROW(emo::config::load_speech_config(entry.path().string()));
        } else if (name.rfind("fusion", 0) == 0) {
            CHECK_NOTHROW(emo::config::load_fusion_config(entry.path().string()));
        } else {
            FAIL("configs/ holds a file of no known kind (face_*, speech_*, fusion*)");
        }
        ++loaded;
    }
    CHECK(loaded >= 6);
}

TEST_CASE("the multi-corpus speech config names three corpora and held-out speakers of each", "[config][corpora]") {
    const auto c = emo::config::load_speech_config(std::string(EMO_SOURCE_DIR) + "/configs/speech_multicorpus.yaml");
    REQUIRE(c.data.size() == 3);
    CHECK(c.data[1].name == "ased");
    CHECK(c.sampling.balance_corpora == 1.0f);
    CHECK(c.sampling.missing_label_weight == Approx(0.3));
    for (const std::string corpus : {"ravdess/", "ased/", "nemo/"}) {
        CHECK(std::any_of(c.split.validation_speakers.begin(), c.split.validation_speakers.end(),
                          [&](const std::string& s) { return s.rfind(corpus, 0) == 0; }));
    }
}

TEST_CASE("config errors name the file, the key and what was expected", "[config]") {
    const std::string split = "split: {validation_speakers: ['1']}\n";
    CHECK_THROWS_WITH(parse_speech_config("train: {epoch: 3}\n" + split, "a.yaml"),
                      Contains("a.yaml") && Contains("train.epoch") && Contains("unknown key"));
    CHECK_THROWS_WITH(parse_speech_config("train: {epochs: many}\n" + split, "a.yaml"),
                      Contains("train.epochs") && Contains("integer"));
    CHECK_THROWS_WITH(parse_speech_config("train: {epochs: -3}\n" + split, "a.yaml"),
                      Contains("train.epochs") && Contains(">= 1"));
    CHECK_THROWS_WITH(parse_speech_config("features: {window: triangle}\n" + split, "a.yaml"),
                      Contains("features.window") && Contains("hann"));
    CHECK_THROWS_WITH(parse_speech_config("features: {n_mels: 0}\n" + split, "a.yaml"), Contains("n_mels"));
    CHECK_THROWS_WITH(parse_speech_config("augment: {freq_warp: 0.7}\n" + split, "a.yaml"),
                      Contains("augment.freq_warp") && Contains("< 0.5") && Contains("0.7"));
    CHECK_THROWS_WITH(parse_speech_config("train: [1, 2]\n" + split, "a.yaml"), Contains("expected a map"));
    CHECK_THROWS_WITH(parse_speech_config("train: {epochs: 3\n", "a.yaml"), Contains("not valid YAML"));
    CHECK_THROWS_WITH(parse_speech_config("train: {epochs: 3}\n", "a.yaml"), Contains("validation_speakers"));
    CHECK_THROWS_AS(emo::config::load_speech_config("/nonexistent/x.yaml"), emo::ConfigError);
}

TEST_CASE("a speech config lists corpora with weights and says how to balance them", "[config][corpora]") {
    const std::string split = "split: {validation_speakers: ['ravdess/17']}\n";
    const auto c = parse_speech_config(
        "data:\n  - {path: /d/ravdess}\n  - {path: /d/ased/manifest.csv, weight: 2, name: am}\n"
        "sampling: {balance_corpora: 1, balance_classes: 0.5}\n" +
            split,
        "m.yaml");
    REQUIRE(c.data.size() == 2);
    CHECK(c.data[0].weight == 1.0f);
    CHECK(c.data[1].name == "am");
    CHECK(c.data[1].weight == 2.0f);
    CHECK(c.sampling.balance_classes == 0.5f);
    const auto again = parse_speech_config(emo::config::to_yaml(c), "roundtrip");
    CHECK(emo::config::to_yaml(again) == emo::config::to_yaml(c));
    CHECK(again.data[1].path == "/d/ased/manifest.csv");
    // Adding corpora never changes which cached features a clip gets.
    CHECK(emo::config::input_fingerprint(c.input) == emo::config::input_fingerprint(emo::config::SpeechInputOptions{}));

    CHECK_THROWS_WITH(parse_speech_config("data: [{path: /d, weight: 0}]\n" + split, "m.yaml"),
                      Contains("m.yaml: data[0].weight: expected 0 < weight <= 1000, got 0"));
    CHECK_THROWS_WITH(parse_speech_config("data: [{weight: 1}]\n" + split, "m.yaml"), Contains("data[0].path"));
    CHECK_THROWS_WITH(parse_speech_config("data: [{path: /d, wieght: 1}]\n" + split, "m.yaml"),
                      Contains("data[0].wieght: unknown key"));
    CHECK_THROWS_WITH(parse_speech_config("data: /d\n" + split, "m.yaml"), Contains("data: expected a list"));
    CHECK_THROWS_WITH(parse_speech_config("sampling: {balance_corpora: 2}\n" + split, "m.yaml"),
                      Contains("sampling.balance_corpora") && Contains("0..1"));
    CHECK(parse_speech_config("sampling: {missing_label_weight: 0.3}\n" + split, "m.yaml")
              .sampling.missing_label_weight == Approx(0.3));
    CHECK_THROWS_WITH(parse_speech_config("sampling: {missing_label_weight: -1}\n" + split, "m.yaml"),
                      Contains("sampling.missing_label_weight"));
}

TEST_CASE("the feature fingerprint changes with feature settings only", "[config]") {
    emo::config::SpeechInputOptions a, b;
    b.segment_seconds = 1.0f;
    CHECK(emo::config::input_fingerprint(a) == emo::config::input_fingerprint(b));
    b.features.n_mels = 40;
    CHECK(emo::config::input_fingerprint(a) != emo::config::input_fingerprint(b));
}

TEST_CASE("face config: defaults, validation, round trip") {
    const auto shipped = emo::config::load_face_config(std::string(EMO_SOURCE_DIR) + "/configs/face_fer2013.yaml");
    CHECK(shipped.train.class_weight_power == Approx(0.5));
    const auto c = emo::config::parse_face_config("modality: face\n", "face.yaml");
    CHECK(c.input.size == 48);
    CHECK(c.model.channels == std::vector<int>{32, 64, 128, 256});
    CHECK(c.split.validation == "publictest");
    const auto back = emo::config::parse_face_config(emo::config::to_yaml(c), "again");
    CHECK(emo::config::to_yaml(back) == emo::config::to_yaml(c));
    // Keys set away from their defaults come back as set (a key both sides forgot would come back as default).
    const auto photo = emo::config::parse_face_config("augment: {gamma: 0.4, sharpness: 1.5}\n", "face.yaml");
    const auto photo_back = emo::config::parse_face_config(emo::config::to_yaml(photo), "again");
    CHECK(c.augment.gamma == 0.0f);
    CHECK(c.augment.sharpness == 0.0f);
    CHECK(photo_back.augment.gamma == Approx(0.4));
    CHECK(photo_back.augment.sharpness == Approx(1.5));
    CHECK_THROWS_WITH(emo::config::parse_face_config("augment: {gamma: -1}\n", "face.yaml"),
                      Catch::Contains("augment.gamma: expected 0..2 (0 disables), got -1"));
    CHECK(c.distill.teacher.empty());
    const auto student = emo::config::parse_face_config(
        "distill: {teacher: runs/vgg/model.pt, weight: 0.7, temperature: 4}\n", "f.yaml");
    const auto student_back = emo::config::parse_face_config(emo::config::to_yaml(student), "again");
    CHECK(student_back.distill.teacher == "runs/vgg/model.pt");
    CHECK(student_back.distill.weight == Approx(0.7));
    CHECK(student_back.distill.temperature == Approx(4.0));
    CHECK_THROWS_WITH(emo::config::parse_face_config("distill: {weight: 1.5}\n", "face.yaml"),
                      Catch::Contains("face.yaml: distill.weight: expected 0..1, got 1.5"));
    CHECK_THROWS_WITH(emo::config::parse_face_config("distill: {temperature: 0}\n", "face.yaml"),
                      Catch::Contains("distill.temperature: expected 0 < x <= 100, got 0"));

    CHECK_THROWS_WITH(emo::config::parse_face_config("augment: {rotation_degrees: 400}\n", "face.yaml"),
                      Catch::Contains("face.yaml: augment.rotation_degrees: expected 0..180, got 400"));
    CHECK_THROWS_WITH(emo::config::parse_face_config("input: {detector: yolo}\n", "face.yaml"),
                      Catch::Contains("face.yaml: input.detector: expected one of"));
    CHECK_THROWS_WITH(emo::config::parse_face_config("input: {sise: 48}\n", "face.yaml"),
                      Catch::Contains("input.sise: unknown key"));
    CHECK_THROWS_WITH(emo::config::parse_face_config("modality: speech\n", "face.yaml"),
                      Catch::Contains("modality: expected 'face', got 'speech'"));
    CHECK_THROWS_WITH(emo::config::parse_face_config("train: {class_weight_power: 3}\n", "face.yaml"),
                      Catch::Contains("train.class_weight_power: expected 0..2, got 3"));
    CHECK_THROWS_WITH(emo::config::parse_face_config("model: {keep_frequency: true}\n", "face.yaml"),
                      Catch::Contains("model.keep_frequency: unknown key"));
}

TEST_CASE("a DNN detector without its model files is a config error naming the key") {
    auto c = emo::config::parse_face_config("detector: {kind: dnn, model: /no/such/model.caffemodel}\n", "f.yaml");
    CHECK_THROWS_WITH(emo::vision::FaceDetector(c.input),
                      Catch::Contains("detector.model: /no/such/model.caffemodel: file not found"));
}

TEST_CASE("config overrides (emo-train --set) walk dotted keys, read values as YAML, and are checked by the parser",
          "[config]") {
    using emo::config::with_overrides;
    const std::string base = "train: {epochs: 3}\nsplit: {validation_speakers: ['1']}\n";
    const auto c = parse_speech_config(
        with_overrides(base, {"train.epochs=7", "model.channels=[8, 16]", "features.kind=mfcc"}, "a.yaml"), "a.yaml");
    CHECK(c.train.epochs == 7);
    CHECK(c.model.channels == std::vector<int>{8, 16});
    CHECK(c.input.features.kind == emo::audio::FeatureKind::kMfcc);
    CHECK(with_overrides(base, {}, "a.yaml") == base);
    CHECK_THROWS_WITH(parse_speech_config(with_overrides(base, {"train.epoch=7"}, "a.yaml"), "a.yaml (with --set)"),
                      Contains("a.yaml (with --set): train.epoch: unknown key"));
    CHECK_THROWS_WITH(with_overrides(base, {"train.epochs"}, "a.yaml"), Contains("expected KEY=VALUE"));
    CHECK_THROWS_WITH(with_overrides(base, {"=3"}, "a.yaml"), Contains("expected KEY=VALUE"));
    CHECK_THROWS_WITH(with_overrides(base, {"train..epochs=3"}, "a.yaml"), Contains("expected KEY=VALUE"));
    CHECK_THROWS_WITH(with_overrides(base, {"train.epochs.x=3"}, "a.yaml"), Contains("'epochs' is not a section"));
}
