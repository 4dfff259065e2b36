// Precision selection (auto/fp32/bf16, refused where the CPU lacks bf16) and what bf16 changes: the
// shipped models' predictions against fp32 on real held-out data, and a short bf16 training run.
#include <opencv2/imgcodecs.hpp>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "emo/core.hpp"
#include "emo/data.hpp"
#include "emo/emo.hpp"
#include "emo/error.hpp"
#include "emo/models.hpp"
#include "emo/precision.hpp"
#include "emo/train.hpp"
#include "emo/vision.hpp"
#include "helpers.hpp"
#include "training_helpers.hpp"

using Catch::Matchers::Contains;

namespace {
// Sets EMO_CPU_BF16=0 (a CPU without bf16) while alive.
struct NoBf16Cpu {
    NoBf16Cpu() { setenv("EMO_CPU_BF16", "0", 1); }
    ~NoBf16Cpu() { unsetenv("EMO_CPU_BF16"); }
};

struct Agreement {
    double labels = 0;               // share of items with the same argmax
    double mean_abs_difference = 0;  // over every class probability
};
Agreement agreement(const std::vector<std::vector<float>>& a, const std::vector<std::vector<float>>& b) {
    REQUIRE(a.size() == b.size());
    REQUIRE(!a.empty());
    Agreement out;
    std::size_t values = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto best_a = std::max_element(a[i].begin(), a[i].end()) - a[i].begin();
        const auto best_b = std::max_element(b[i].begin(), b[i].end()) - b[i].begin();
        out.labels += best_a == best_b;
        for (std::size_t k = 0; k < a[i].size(); ++k, ++values) out.mean_abs_difference += std::abs(a[i][k] - b[i][k]);
    }
    out.labels /= double(a.size());
    out.mean_abs_difference /= double(values);
    return out;
}

std::string shipped(const std::string& name) { return std::string(EMO_SOURCE_DIR) + "/models/" + name; }
}  // namespace

TEST_CASE("precision names: auto, fp32 and bf16, nothing else", "[precision]") {
    for (auto p : {emo::Precision::kAuto, emo::Precision::kFp32, emo::Precision::kBf16}) {
        emo::Precision back = emo::Precision::kAuto;
        CHECK(emo::parse_precision(emo::precision_name(p), back));
        CHECK(back == p);
    }
    emo::Precision p = emo::Precision::kFp32;
    CHECK_FALSE(emo::parse_precision("fp16", p));
    CHECK_FALSE(emo::parse_precision("BF16", p));
    CHECK(p == emo::Precision::kFp32);
}

TEST_CASE("auto runs bf16 where the CPU has it, fp32 where it does not, bf16 without it is refused", "[precision]") {
    const bool has_bf16 = emo::cpu_bf16_support().any();
    CHECK(emo::resolve_precision(emo::Precision::kAuto, "--precision") ==
          (has_bf16 ? emo::Precision::kBf16 : emo::Precision::kFp32));
    CHECK(emo::resolve_precision(emo::Precision::kFp32, "--precision") == emo::Precision::kFp32);
    CHECK(emo::resolve_precision(emo::Precision::kAuto, "--precision", false) == emo::Precision::kFp32);
    CHECK_THROWS_WITH(emo::resolve_precision(emo::Precision::kBf16, "--precision", false), Contains("CUDA"));
    {
        const NoBf16Cpu no_bf16;
        CHECK(emo::cpu_bf16_support().describe() == "none");
        CHECK(emo::resolve_precision(emo::Precision::kAuto, "--precision") == emo::Precision::kFp32);
        CHECK_THROWS_AS(emo::resolve_precision(emo::Precision::kBf16, "--precision"), emo::ConfigError);
        CHECK_THROWS_WITH(emo::resolve_precision(emo::Precision::kBf16, "--precision"),
                          Contains("--precision bf16") && Contains("AMX-BF16") && Contains("AVX512-BF16"));
    }
    CHECK(emo::cpu_bf16_support().any() == has_bf16);  // the variable gone, the CPU's own answer again
}

TEST_CASE("train.precision is read, written back and checked", "[precision][config]") {
    const auto c = emo::config::parse_face_config("modality: face\ntrain: {precision: fp32}\n", "p.yaml");
    CHECK(c.train.precision == emo::Precision::kFp32);
    CHECK(emo::config::parse_face_config("modality: face\n", "p.yaml").train.precision == emo::Precision::kAuto);
    const auto again = emo::config::parse_face_config(emo::config::to_yaml(c), "again.yaml");
    CHECK(again.train.precision == emo::Precision::kFp32);
    CHECK_THROWS_WITH(emo::config::parse_face_config("modality: face\ntrain: {precision: fp16}\n", "p.yaml"),
                      Contains("p.yaml") && Contains("train.precision") && Contains("bf16"));
}

TEST_CASE("bf16 inference of the shipped face model agrees with fp32 on PublicTest faces", "[precision][face]") {
    if (!emo::cpu_bf16_support().any()) return;  // nothing to compare: auto is fp32 here
    const auto dir = emo::test::data_dir();
    if (dir.empty()) return;
    const auto ds = emo::data::read_image_folder(dir + "/fer2013/publictest");
    std::vector<std::uint8_t> pixels;
    const std::size_t count = 1200;  // a third of PublicTest, every class in it
    for (std::size_t i = 0; i < count; ++i) {
        const cv::Mat face = cv::imread(ds.samples[i * ds.samples.size() / count].path, cv::IMREAD_GRAYSCALE);
        REQUIRE(face.size() == cv::Size(48, 48));
        pixels.insert(pixels.end(), face.datastart, face.dataend);
    }
    const auto fp32 = emo::models::FaceModel::load(shipped("face.pt"), {"cpu", emo::Precision::kFp32});
    const auto bf16 = emo::models::FaceModel::load(shipped("face.pt"), {"cpu", emo::Precision::kBf16});
    CHECK(fp32.precision() == emo::Precision::kFp32);
    CHECK(bf16.precision() == emo::Precision::kBf16);
    const auto a = agreement(fp32.predict(pixels.data(), count), bf16.predict(pixels.data(), count));
    CHECK(a.labels >= 0.995);
    CHECK(a.mean_abs_difference < 0.005);
    CHECK(a.mean_abs_difference > 0.0);  // bf16 did run: its rounding shows
}

TEST_CASE("bf16 inference of the shipped speech model agrees with fp32 on RAVDESS actors 17-20",
          "[precision][speech]") {
    if (!emo::cpu_bf16_support().any()) return;
    const auto dir = emo::test::data_dir();
    if (dir.empty()) return;
    const auto all = emo::data::read_ravdess(dir + "/ravdess");
    std::vector<std::string> files;
    for (const auto& s : all.samples)
        if (std::stoi(s.speaker) >= 17) files.push_back(s.path);
    REQUIRE(files.size() == 240);
    const auto fp32 = emo::models::SpeechModel::load(shipped("speech.pt"), {"cpu", emo::Precision::kFp32});
    const auto bf16 = emo::models::SpeechModel::load(shipped("speech.pt"), {"cpu", emo::Precision::kBf16});
    std::vector<std::vector<float>> a, b;
    for (const auto& p : emo::models::predict_speech_files(fp32, files)) a.push_back(p.scores);
    const auto predictions = emo::models::predict_speech_files(bf16, files);
    for (const auto& p : predictions) b.push_back(p.scores);
    CHECK(predictions.front().precision == "bf16");
    const auto agree = agreement(a, b);
    CHECK(agree.labels >= 0.995);
    CHECK(agree.mean_abs_difference < 0.005);
    CHECK(agree.mean_abs_difference > 0.0);
}

TEST_CASE("an fp32 and a bf16 Predictor work side by side, each in its own precision", "[precision][api]") {
    if (!emo::cpu_bf16_support().any()) return;
    const auto dir = emo::test::data_dir();
    if (dir.empty()) return;
    emo::PredictorOptions fp32_options, bf16_options;
    fp32_options.precision = "fp32";
    bf16_options.precision = "bf16";
    const emo::Predictor fp32(fp32_options), bf16(bf16_options);
    const auto clip = emo::data::read_ravdess(dir + "/ravdess").samples.front().path;
    // Built after both Predictors and called in turn: neither takes the other's setting.
    const auto a = fp32.predict_audio(clip), b = bf16.predict_audio(clip), again = fp32.predict_audio(clip);
    CHECK(a.precision == "fp32");
    CHECK(b.precision == "bf16");
    CHECK(again.precision == "fp32");
    CHECK(again.scores.values == a.scores.values);
    CHECK(a.scores.values != b.scores.values);  // bf16's rounding shows
}

TEST_CASE("a short bf16 training run learns above chance, and its model loads and predicts in fp32",
          "[precision][train][slow]") {
    if (!emo::cpu_bf16_support().any()) return;
    const auto dir = emo::test::data_dir();
    if (dir.empty()) return;
    emo::test::TempDir tmp;
    const auto ds = emo::test::ravdess_clips(dir, {"calm", "angry"}, 6);
    auto config = emo::test::tiny_speech_config(tmp.file("cache"), 6);
    config.train.precision = emo::Precision::kBf16;
    emo::train::RunOptions run;
    run.out_dir = tmp.file("run");
    const auto result = emo::train::train_speech(config, ds, run);
    CHECK(result.precision == "bf16");
    CHECK(result.best_validation.accuracy >= 0.75);  // chance is 0.5
    const auto validation = nlohmann::json::parse(emo::core::read_file(tmp.file("run/validation.json")));
    CHECK(validation.at("precision") == "bf16");

    std::vector<emo::data::Sample> held_out;
    for (const auto& s : ds.samples)
        if (s.speaker == "05") held_out.push_back(s);
    const auto fp32 = emo::test::speech_scores(result.model_path, held_out, emo::Precision::kFp32);
    const auto bf16 = emo::test::speech_scores(result.model_path, held_out, emo::Precision::kBf16);
    const auto agree = agreement(fp32, bf16);
    CHECK(agree.labels >= 0.95);
    CHECK(agree.mean_abs_difference < 0.02);
}
