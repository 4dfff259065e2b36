// A short real training run on RAVDESS (calm vs angry, 8 actors train, 2 held-out actors).
#include <sndfile.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "emo/error.hpp"
#include "emo/models.hpp"
#include "emo/train.hpp"
#include "helpers.hpp"

using Catch::Matchers::Contains;

namespace {
emo::config::SpeechConfig small_config(const std::string& cache_dir) {
    auto c = emo::config::parse_speech_config(
        "model: {channels: [8, 16, 32], dropout: 0.2}\n"
        "input: {segment_seconds: 2.0}\n"
        "train: {epochs: 8, batch_size: 16, learning_rate: 0.003, patience: 0, seed: 7}\n"
        "split: {validation_speakers: ['09', '10']}\n",
        "test-config");
    c.cache_dir = cache_dir;
    return c;
}

emo::data::Dataset calm_vs_angry(const std::string& data_dir) {
    auto all = emo::data::read_ravdess(data_dir + "/ravdess");
    emo::data::Dataset ds;
    ds.source = all.source + " (calm/angry, actors 01-10)";
    for (const auto& s : all.samples)
        if ((s.label == "calm" || s.label == "angry") && std::stoi(s.speaker) <= 10) ds.samples.push_back(s);
    return ds;
}

// The validation clips (actors 09 and 10) with their labels.
struct HeldOut {
    std::vector<std::string> files;
    std::vector<std::string> truth;
};

HeldOut held_out_clips(const emo::data::Dataset& ds) {
    HeldOut h;
    for (const auto& s : ds.samples)
        if (s.speaker == "09" || s.speaker == "10") {
            h.files.push_back(s.path);
            h.truth.push_back(s.label);
        }
    return h;
}
}  // namespace

TEST_CASE("a short training run learns above chance and its model predicts the same", "[train][slow]") {
    const auto dir = emo::test::data_dir();
    if (dir.empty()) return;
    emo::test::TempDir tmp;
    const auto ds = calm_vs_angry(dir);
    REQUIRE(ds.samples.size() == 160);
    const auto config = small_config(tmp.file("cache"));
    emo::train::RunOptions run;
    run.out_dir = tmp.file("run");
    const auto result = emo::train::train_speech(config, ds, run);

    CHECK(result.history.size() == 8);
    CHECK(result.best_validation.n == 32);
    // chance is 0.5; at least 24 of the 32 clips in fp32, 23 in bf16 on AVX512-BF16 (Zen 4, 2026-12-03)
    CHECK(result.best_validation.accuracy >= 0.7);
    for (const char* f : {"model.pt", "last.pt", "config.yaml", "split.json", "metrics.csv", "metrics.json",
                          "validation.txt", "validation.json"})
        CHECK(std::filesystem::exists(tmp.file("run/") + f));

    // The saved model, loaded back, gives the validation accuracy of its best epoch.
    const auto model = emo::models::SpeechModel::load(result.model_path);
    CHECK(model.metadata().labels == std::vector<std::string>{"calm", "angry"});
    const auto [files, truth] = held_out_clips(ds);
    const auto predictions = emo::models::predict_speech_files(model, files);
    int correct = 0;
    for (std::size_t i = 0; i < files.size(); ++i) {
        float sum = 0;
        for (float p : predictions[i].scores) sum += p;
        CHECK(sum == Approx(1.0f).epsilon(1e-4));
        correct += predictions[i].label == truth[i];
    }
    CHECK(double(correct) / double(files.size()) == Approx(result.best_validation.accuracy));

    // Same seed, same data: the same first epochs (features now come from the cache).
    auto short_config = config;
    short_config.train.epochs = 2;
    run.out_dir = tmp.file("run2");
    const auto a = emo::train::train_speech(short_config, ds, run);
    run.out_dir = tmp.file("run3");
    const auto b = emo::train::train_speech(short_config, ds, run);
    CHECK(a.history[1].train_loss == b.history[1].train_loss);
    CHECK(a.history[1].val_accuracy == b.history[1].val_accuracy);
}

TEST_CASE("keep_frequency and attention-pooling speech models with an odd band count train, save and load back",
          "[train][models][slow]") {
    const auto dir = emo::test::data_dir();
    if (dir.empty()) return;
    const bool attention = GENERATE(false, true);
    INFO("attention_pooling " << attention);
    emo::test::TempDir tmp;
    const auto ds = calm_vs_angry(dir);
    auto config = small_config(tmp.file("cache"));
    config.input.features.n_mels = 41;  // 41 -> 21 -> 11 -> 6 frequency rows after three pools
    config.model.keep_frequency = true;
    config.model.attention_pooling = attention;
    config.train.epochs = attention ? 4 : 1;
    emo::train::RunOptions run;
    run.out_dir = tmp.file("run");
    const auto result = emo::train::train_speech(config, ds, run);
    if (attention) CHECK(result.best_validation.accuracy >= 0.75);  // chance is 0.5

    const auto model = emo::models::SpeechModel::load(result.model_path);
    CHECK(model.config().model.keep_frequency);
    CHECK(model.config().model.attention_pooling == attention);
    const auto [files, truth] = held_out_clips(ds);
    const auto predictions = emo::models::predict_speech_files(model, files);
    int correct = 0;
    for (std::size_t i = 0; i < files.size(); ++i) correct += predictions[i].label == truth[i];
    CHECK(double(correct) / double(files.size()) == Approx(result.best_validation.accuracy));
}

TEST_CASE("model files that are truncated, foreign or missing are refused", "[models]") {
    emo::test::TempDir tmp;
    CHECK_THROWS_WITH(emo::models::SpeechModel::load(tmp.file("none.pt")), Contains("none.pt"));
    const auto junk = tmp.file("junk.pt");
    emo::test::write_text(junk, "definitely not a model");
    CHECK_THROWS_AS(emo::models::SpeechModel::load(junk), emo::InputError);

    const std::string shipped = std::string(EMO_SOURCE_DIR) + "/models/speech.pt";
    REQUIRE(std::filesystem::exists(shipped));
    CHECK_NOTHROW(emo::models::SpeechModel::load(shipped));
    const auto cut = tmp.file("cut.pt");
    std::filesystem::copy_file(shipped, cut);
    std::filesystem::resize_file(cut, std::filesystem::file_size(shipped) / 2);
    CHECK_THROWS_WITH(emo::models::SpeechModel::load(cut), Contains("cut.pt"));
}

TEST_CASE("silent, very short and 44.1 kHz stereo clips give well-defined features", "[models][audio]") {
    emo::test::TempDir tmp;
    emo::config::SpeechInputOptions input;
    emo::models::SpeechFeaturizer featurizer(input);

    const auto silent = tmp.file("silent.wav");
    emo::test::write_audio(silent, std::vector<float>(2 * 44100, 0.0f), 44100, 2);
    const auto s = featurizer.featurize(silent);
    CHECK(s.num_frames == 101);  // 1 s at 16 kHz, nothing trimmed from a silent clip
    for (float v : s.data) CHECK(v == s.data[0]);

    const auto tiny = tmp.file("tiny.wav");
    emo::test::write_audio(tiny, {0.1f, -0.2f, 0.3f, -0.1f, 0.05f}, 16000, 1);
    CHECK(featurizer.featurize(tiny).num_frames == 1);

    const auto flac = tmp.file("tone.flac");
    std::vector<float> tone(8000);
    for (std::size_t i = 0; i < tone.size(); ++i) tone[i] = float(0.3 * std::sin(0.2 * double(i)));
    emo::test::write_audio(flac, tone, 8000, 1, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
    CHECK(featurizer.featurize(flac).num_frames == 101);  // 1 s at 8 kHz, upsampled to 16 kHz
}
