// The public API (include/emo/emo.hpp) as a user sees it: this file is built against libemo alone, with
// no other emo header, LibTorch or OpenCV on its include path.
#include <catch2/catch.hpp>

#include <emo/emo.hpp>

#include <cmath>
#include <fstream>
#include <thread>

#include "helpers.hpp"

namespace {

const std::string kClip = "/ravdess/Actor_01/03-01-05-01-01-01-01.flac";  // angry
const std::string kFace = "/fer2013/publictest/happy/PublicTest_10130075.png";

float max_difference(const emo::Scores& a, const emo::Scores& b) {
    REQUIRE(a.labels == b.labels);
    float worst = 0;
    for (std::size_t i = 0; i < a.values.size(); ++i) worst = std::max(worst, std::abs(a.values[i] - b.values[i]));
    return worst;
}

}  // namespace

TEST_CASE("Scores: best label, confidence and lookup by label", "[api]") {
    const emo::Scores s{{"angry", "happy", "sad"}, {0.2f, 0.7f, 0.1f}};
    CHECK(s.best() == 1);
    CHECK(s.label() == "happy");
    CHECK(s.confidence() == Approx(0.7f));
    CHECK(s.of("sad") == Approx(0.1f));
    CHECK_THROWS_AS(s.of("calm"), std::out_of_range);
    CHECK_THROWS_AS(emo::Scores{}.best(), std::logic_error);
    CHECK(!emo::version().empty());
}

TEST_CASE("Predictor: bad options are ConfigErrors naming the field", "[api]") {
    emo::PredictorOptions o;
    o.threads = -1;
    CHECK_THROWS_WITH(emo::Predictor(o), Catch::Contains("PredictorOptions::threads"));
    o = {};
    o.precision = "fp16";
    CHECK_THROWS_WITH(emo::Predictor(o), Catch::Contains("PredictorOptions::precision"));
    o = {};
    o.device = "gpu";
    CHECK_THROWS_AS(emo::Predictor(o), emo::ConfigError);
    o = {};
    o.speech_model = "/nonexistent/speech.pt";
    const emo::Predictor p(o);  // models load on first use
    CHECK_THROWS_AS(p.predict_audio(std::vector<float>(16000).data(), 16000, 16000), emo::InputError);
}

TEST_CASE("Predictor: a clip as a file and as samples gets the same scores", "[api][data]") {
    const auto data = emo::test::data_dir();
    if (data.empty()) return;
    const emo::Predictor predictor;
    const auto from_file = predictor.predict_audio(data + kClip);
    REQUIRE(!from_file.no_speech);
    CHECK(from_file.scores.labels == predictor.speech_labels());
    CHECK(from_file.scores.label() == "angry");
    CHECK((from_file.precision == "fp32" || from_file.precision == "bf16"));
    const auto clip = emo::read_audio(data + kClip);
    CHECK(clip.sample_rate == 48000);
    const auto from_samples = predictor.predict_audio(clip.samples.data(), clip.samples.size(), clip.sample_rate);
    CHECK(from_samples.scores.label() == from_file.scores.label());
    CHECK(max_difference(from_samples.scores, from_file.scores) < 1e-4f);

    const std::vector<float> silence(48000, 0.0f);
    CHECK(predictor.predict_audio(silence.data(), silence.size(), 48000).no_speech);
    CHECK_THROWS_AS(predictor.predict_audio(silence.data(), silence.size(), 0), emo::ConfigError);
}

TEST_CASE("Predictor: unreadable files throw alone and are marked in a batch", "[api][data]") {
    const auto data = emo::test::data_dir();
    if (data.empty()) return;
    const emo::test::TempDir dir;
    const auto bad = dir.file("not_audio.wav");
    emo::test::write_text(bad, "plain text\n");
    const emo::Predictor predictor;
    CHECK_THROWS_AS(predictor.predict_audio(bad), emo::InputError);
    CHECK_THROWS_WITH(predictor.predict_audio(bad), Catch::StartsWith(bad + ": "));
    const auto batch = predictor.predict_audio_files({data + kClip, bad});
    REQUIRE(batch.size() == 2);
    CHECK(batch[0].error.empty());
    CHECK(batch[0].scores.label() == "angry");
    CHECK(!batch[1].error.empty());
    CHECK(batch[1].scores.empty());
    CHECK_THROWS_AS(predictor.predict_image(bad), emo::InputError);
    // Speakers name which clips are one voice; the shipped model normalises each clip alone, so its scores stay.
    const auto grouped = predictor.predict_audio_files({data + kClip}, {"actor 1"});
    CHECK(grouped[0].scores.values == batch[0].scores.values);
    CHECK_THROWS_WITH(predictor.predict_audio_files({data + kClip}, {"a", "b"}), Catch::Contains("one per path"));
}

TEST_CASE("Predictor: an image as a file, in a batch, and as gray or RGB pixels", "[api][data]") {
    const auto data = emo::test::data_dir();
    if (data.empty()) return;
    const emo::Predictor predictor;
    const auto from_file = predictor.predict_image(data + kFace);
    REQUIRE(from_file.faces.size() == 1);
    CHECK(from_file.found_by == "whole image");
    CHECK(from_file.faces[0].scores.label() == "happy");
    CHECK(from_file.faces[0].box.width == 48);
    const auto batch = predictor.predict_image_files({data + kFace});
    REQUIRE(batch.size() == 1);
    REQUIRE(batch[0].faces.size() == 1);
    CHECK(max_difference(batch[0].faces[0].scores, from_file.faces[0].scores) < 1e-4f);

    // Pixels the test knows, also written as a PGM (no image decoder is on this test's include path).
    std::vector<std::uint8_t> gray(48 * 48);
    for (std::size_t i = 0; i < gray.size(); ++i) gray[i] = std::uint8_t((i * 7 + i / 48 * 13) % 256);
    const emo::test::TempDir dir;
    const auto pgm = dir.file("face.pgm");
    {
        std::ofstream out(pgm, std::ios::binary);
        out << "P5\n48 48\n255\n";
        out.write(reinterpret_cast<const char*>(gray.data()), std::streamsize(gray.size()));
    }
    const auto file_result = predictor.predict_image(pgm);
    const auto gray_result = predictor.predict_image(gray.data(), 48, 48, 1);
    REQUIRE(file_result.faces.size() == 1);
    REQUIRE(gray_result.faces.size() == 1);
    CHECK(max_difference(file_result.faces[0].scores, gray_result.faces[0].scores) < 1e-6f);
    std::vector<std::uint8_t> rgb;
    for (auto v : gray) rgb.insert(rgb.end(), {v, v, v});
    const auto rgb_result = predictor.predict_image(rgb.data(), 48, 48, 3);
    REQUIRE(rgb_result.faces.size() == 1);
    CHECK(max_difference(rgb_result.faces[0].scores, gray_result.faces[0].scores) < 1e-6f);
    CHECK_THROWS_AS(predictor.predict_image(gray.data(), 48, 48, 2), emo::ConfigError);
    CHECK_THROWS_AS(predictor.predict_image(gray.data(), 48, 48, 1, 10), emo::ConfigError);
}

TEST_CASE("Predictor: calls from several threads give the results of one thread", "[api][data]") {
    const auto data = emo::test::data_dir();
    if (data.empty()) return;
    const emo::Predictor predictor;
    const auto clip = emo::read_audio(data + kClip);
    const auto audio_alone = predictor.predict_audio(clip.samples.data(), clip.samples.size(), clip.sample_rate);
    const auto face_alone = predictor.predict_image(data + kFace);
    std::vector<emo::SpeechResult> audio(4);
    std::vector<emo::ImageResult> faces(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            audio[t] = predictor.predict_audio(clip.samples.data(), clip.samples.size(), clip.sample_rate);
            faces[t] = predictor.predict_image(data + kFace);
        });
    }
    for (auto& t : threads) t.join();
    for (std::size_t t = 0; t < 4; ++t) {
        CHECK(max_difference(audio[t].scores, audio_alone.scores) < 1e-5f);
        REQUIRE(faces[t].faces.size() == 1);
        CHECK(max_difference(faces[t].faces[0].scores, face_alone.faces[0].scores) < 1e-5f);
    }
}

TEST_CASE("Evaluator: held-out RAVDESS actors give emo-eval's figures", "[api][data]") {
    const auto data = emo::test::data_dir();
    if (data.empty()) return;
    const emo::Evaluator evaluator;
    const auto e = evaluator.evaluate(data + "/ravdess", "", {"17", "18", "19", "20"});
    CHECK(e.n == 240);
    // emo-eval --model models/speech.pt --data ../shared/data/ravdess --speakers 17,18,19,20: 0.6292 (bf16 and fp32)
    CHECK(e.accuracy == Approx(0.629).margin(0.01));
    CHECK(e.labels.size() == 8);
    REQUIRE(e.per_class.size() == 8);
    int support = 0, diagonal = 0;
    for (std::size_t c = 0; c < 8; ++c) support += e.per_class[c].support, diagonal += e.confusion[c][c];
    CHECK(support == 240);
    CHECK(double(diagonal) / 240 == Approx(e.accuracy));
    REQUIRE(e.ids.size() == 240);
    int correct = 0;
    for (std::size_t i = 0; i < e.ids.size(); ++i) correct += e.truth[i] == e.predicted[i];
    CHECK(correct == diagonal);
    CHECK(!e.most_predicted.empty());
    CHECK(e.prediction_entropy_bits > 0.0);
    CHECK(e.report.find("accuracy") != std::string::npos);
    CHECK_THROWS_AS(evaluator.evaluate(data + "/ravdess", "", {"99"}), emo::ConfigError);
    CHECK_THROWS_AS(evaluator.evaluate(data + "/nonexistent"), emo::InputError);
}

TEST_CASE("SpeechStream: windows every hop as the samples arrive, the tail at the end", "[api][data]") {
    const auto data = emo::test::data_dir();
    if (data.empty()) return;
    const emo::Predictor predictor;
    const auto clip = emo::read_audio(data + kClip);
    emo::SpeechStream stream(predictor, clip.sample_rate, 1, {2.0, 0.5});
    CHECK(stream.window_seconds() == Approx(2.0));
    std::vector<emo::WindowResult> windows;
    const std::size_t chunk = std::size_t(clip.sample_rate) / 10;  // a tenth of a second at a time
    for (std::size_t at = 0; at < clip.samples.size(); at += chunk) {
        const std::size_t n = std::min(chunk, clip.samples.size() - at);
        const auto ready = stream.push(clip.samples.data() + at, n);
        for (const auto& w : ready) CHECK(w.end <= double(at + n) / clip.sample_rate + 1e-9);  // no window early
        windows.insert(windows.end(), ready.begin(), ready.end());
    }
    const double seconds = double(clip.samples.size()) / clip.sample_rate;
    REQUIRE(windows.size() == std::size_t((seconds - 2.0) / 0.5) + 1);
    const auto tail = stream.finish();
    REQUIRE(tail.size() == 1);
    CHECK(tail[0].end == Approx(seconds));
    CHECK(stream.finish().empty());
    for (std::size_t i = 0; i < windows.size(); ++i) CHECK(windows[i].start == Approx(0.5 * double(i)));
    // A window's result is the clip of those samples scored on its own.
    const auto& w = windows[2];
    const auto first = std::size_t(w.start * clip.sample_rate);
    const auto alone =
        predictor.predict_audio(clip.samples.data() + first, std::size_t(2.0 * clip.sample_rate), clip.sample_rate);
    REQUIRE_FALSE(w.result.no_speech);
    CHECK(w.result.scores.values == alone.scores.values);
    CHECK_THROWS_WITH(emo::SpeechStream(predictor, 16000, 1, {2.0, 3.0}), Catch::Contains("hop_seconds"));
    CHECK_THROWS_AS(emo::SpeechStream(predictor, 0), emo::ConfigError);
}

TEST_CASE("SpeechStream: a stream shorter than one window is one window at its end", "[api][data]") {
    const auto data = emo::test::data_dir();
    if (data.empty()) return;
    const emo::Predictor predictor;
    const auto clip = emo::read_audio(data + kClip);
    emo::SpeechStream stream(predictor, clip.sample_rate, 1, {10.0, 1.0});
    CHECK(stream.push(clip.samples.data(), clip.samples.size()).empty());
    const auto tail = stream.finish();
    REQUIRE(tail.size() == 1);
    CHECK(tail[0].start == 0.0);
    CHECK(tail[0].result.scores.label() == "angry");
}
