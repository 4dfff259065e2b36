// The public API (include/emo/emo.hpp) as a user sees it: this file is built against libemo alone, with
// no other emo header, LibTorch or OpenCV on its include path.
#include <catch2/catch.hpp>

#include <emo/emo.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
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

TEST_CASE("Evaluator: a closed set predicts only the data's labels and keeps every right answer", "[api][data]") {
    const auto data = emo::test::data_dir();
    if (data.empty()) return;
    // TurEV has 4 of the shipped model's 8 labels; the model never heard it and answers neutral for many clips.
    const std::string turev = data + "/turev/manifest.csv";
    const std::vector<std::string> data_labels = {"angry", "calm", "happy", "sad"};
    // One thread in fp32: the two evaluations see bit-identical scores, so an answer can only change by the rule.
    emo::EvaluatorOptions options;
    options.threads = 1;
    options.precision = "fp32";
    const auto open = emo::Evaluator(options).evaluate(turev, "", {"1234"});
    options.closed_set = true;
    const auto closed = emo::Evaluator(options).evaluate(turev, "", {"1234"});
    REQUIRE(open.n == 328);
    REQUIRE(closed.ids == open.ids);
    const auto in_data = [&](const std::string& label) {
        return std::find(data_labels.begin(), data_labels.end(), label) != data_labels.end();
    };
    int outside = 0;
    for (std::size_t i = 0; i < open.ids.size(); ++i) {
        CHECK(in_data(closed.predicted[i]));
        if (in_data(open.predicted[i])) {
            CHECK(closed.predicted[i] == open.predicted[i]);  // the best allowed label was already the best
        } else {
            ++outside;
        }
    }
    CHECK(outside > 10);  // else this case would not tell the two apart
    CHECK(closed.accuracy > open.accuracy);
    CHECK(closed.report.find("are never predicted (closed set)") != std::string::npos);
    CHECK(open.report.find("count only as wrong predictions") != std::string::npos);
}

TEST_CASE("Evaluator: faces of two labels in a closed set are answered with those two", "[api][data]") {
    const auto data = emo::test::data_dir();
    if (data.empty()) return;
    const emo::test::TempDir dir;
    const auto manifest = dir.file("faces.csv");
    std::string rows = "path,label\n";
    for (const auto& [folder, label] : {std::pair<std::string, std::string>{"fear", "fearful"}, {"sad", "sad"}}) {
        int n = 0;
        for (const auto& entry : std::filesystem::directory_iterator(data + "/fer2013/publictest/" + folder)) {
            if (n++ == 40) break;
            rows += entry.path().string() + "," + label + "\n";
        }
    }
    emo::test::write_text(manifest, rows);
    emo::EvaluatorOptions options;  // one thread in fp32, as above
    options.threads = 1;
    options.precision = "fp32";
    const auto open = emo::Evaluator(options).evaluate(manifest);
    options.closed_set = true;
    const auto closed = emo::Evaluator(options).evaluate(manifest);
    REQUIRE(open.n == 80);
    REQUIRE(closed.ids == open.ids);
    int outside = 0;
    for (std::size_t i = 0; i < open.ids.size(); ++i) {
        CHECK((closed.predicted[i] == "fearful" || closed.predicted[i] == "sad"));
        if (open.predicted[i] == "fearful" || open.predicted[i] == "sad") {
            CHECK(closed.predicted[i] == open.predicted[i]);
        } else {
            ++outside;
        }
    }
    CHECK(outside > 5);  // fearful and sad faces are often read as other labels
    CHECK(closed.accuracy > open.accuracy);
    CHECK(closed.data.find("are never predicted (closed set)") != std::string::npos);
    CHECK(open.data.find("closed set") == std::string::npos);
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

TEST_CASE("Predictor: inference options are checked and change what is detected", "[api][data]") {
    emo::PredictorOptions o;
    o.detect_side = 10;
    CHECK_THROWS_WITH(emo::Predictor(o), Catch::Contains("PredictorOptions::detect_side"));
    o = {};
    o.silence_db = 3;
    CHECK_THROWS_WITH(emo::Predictor(o), Catch::Contains("PredictorOptions::silence_db"));
    const auto data = emo::test::data_dir();
    if (data.empty()) return;
    // The clip 20 dB down: speech at the model's -60 dBFS threshold, silence at -15 dBFS.
    auto clip = emo::read_audio(data + kClip);
    for (auto& s : clip.samples) s *= 0.1f;
    const emo::Predictor model_threshold;
    CHECK(!model_threshold.predict_audio(clip.samples.data(), clip.samples.size(), clip.sample_rate).no_speech);
    o = {};
    o.silence_db = -15;
    const emo::Predictor strict(o);
    CHECK(strict.predict_audio(clip.samples.data(), clip.samples.size(), clip.sample_rate).no_speech);
}

TEST_CASE("to_json_line: emo-predict's JSON lines from results", "[api]") {
    emo::SpeechResult speech;
    speech.source = "a.wav";
    speech.precision = "fp32";
    speech.scores = {{"happy", "sad"}, {0.25f, 0.75f}};
    CHECK(emo::to_json_line(speech) ==
          R"({"file":"a.wav","modality":"speech","label":"sad","confidence":0.75,"scores":{"happy":0.25,"sad":0.75},)"
          R"("precision":"fp32"})");
    speech.no_speech = true;
    speech.scores = {};
    CHECK(emo::to_json_line(speech) == R"({"file":"a.wav","modality":"speech","no_speech":true})");
    emo::ImageResult image;
    image.source = "b.png";
    image.found_by = "yunet";
    emo::FaceResult face;
    face.box = {1, 2, 30, 40, 0.9f, {{10.04f, 12.0f}, {20.0f, 12.26f}}};
    face.scores = {{"happy", "sad"}, {0.5f, 0.5f}};
    image.faces.push_back(face);
    CHECK(
        emo::to_json_line(image) ==
        R"({"file":"b.png","modality":"face","found_by":"yunet","faces":[{"box":[1,2,30,40],)"
        R"("landmarks":[[10.0,12.0],[20.0,12.3]],"label":"happy","confidence":0.5,"scores":{"happy":0.5,"sad":0.5}}]})");
    CHECK(image.largest_face() == &image.faces[0]);
    CHECK(emo::ImageResult{}.largest_face() == nullptr);
}

TEST_CASE("Predictor: a face in a photo has its landmarks, a video its timeline", "[api][data]") {
    const auto data = emo::test::data_dir();
    if (data.empty()) return;
    // A happy FER2013 face enlarged into a grey 640x480 frame, as a photo and as a 3 s video with an angry actor's
    // voice (FFmpeg's command-line tool, as tests/video_timeline.sh makes its videos).
    const emo::test::TempDir dir;
    const std::string frame = "scale=192:192,pad=640:480:224:144:gray";
    const auto photo = dir.file("photo.png"), video = dir.file("talk.mp4");
    const std::string ffmpeg = "ffmpeg -v error -y ";
    REQUIRE(std::system((ffmpeg + "-i " + data + kFace + " -vf " + frame + " " + photo).c_str()) == 0);
    REQUIRE(std::system((ffmpeg + "-loop 1 -t 3 -i " + data + kFace + " -i " + data +
                         "/ravdess/Actor_19/03-01-05-02-01-01-19.flac -vf " + frame +
                         ",format=yuv420p -r 25 -c:v libx264 -c:a aac -t 3 " + video)
                            .c_str()) == 0);
    const emo::Predictor predictor;
    const auto image = predictor.predict_image(photo);
    REQUIRE(image.faces.size() == 1);
    const auto& box = image.faces[0].box;
    CHECK(image.faces[0].scores.label() == "happy");
    if (image.found_by == "yunet") {
        REQUIRE(box.landmarks.size() == 5);
        for (const auto& p : box.landmarks) {
            CHECK(p.x >= float(box.x));
            CHECK(p.x <= float(box.x + box.width));
            CHECK(p.y >= float(box.y));
            CHECK(p.y <= float(box.y + box.height));
        }
        CHECK(box.landmarks[0].x < box.landmarks[1].x);  // the subject's right eye is on the image's left
    } else {
        CHECK(box.landmarks.empty());
    }

    emo::VideoOptions options;
    options.segment_seconds = 1.5;
    std::vector<emo::VideoSegment> segments;
    const auto result =
        predictor.predict_video(video, options, [&](const emo::VideoSegment& s) { segments.push_back(s); });
    CHECK(result.source == video);
    CHECK(result.has_video);
    CHECK(result.has_audio);
    REQUIRE(segments.size() >= 2);  // and perhaps a short one from the audio encoder's padding
    CHECK(result.segments == int(segments.size()));
    CHECK(segments[1].start == Approx(1.5));
    CHECK(result.face_tracks == 1);
    CHECK(result.segments_with_face >= 2);
    for (const auto& s : segments) {
        if (s.frames_with_face == 0) continue;
        CHECK(s.face.label() == "happy");
        REQUIRE(s.faces.size() == 1);
        CHECK(s.faces[0].track == 1);
        CHECK(s.fused.labels == predictor.video_labels());
    }
    REQUIRE(!result.fused.empty());

    // The fusion weights take effect: the face alone, then the speech alone, decides.
    options.fusion.face_weight = 1;
    const auto face_only = predictor.predict_video(video, options);
    CHECK(face_only.fused.label() == "happy");
    CHECK(face_only.face_weight == 1.0f);
    options.fusion.face_weight = 0;
    std::vector<emo::VideoSegment> speech_segments;
    const auto speech_only =
        predictor.predict_video(video, options, [&](const emo::VideoSegment& s) { speech_segments.push_back(s); });
    for (const auto& s : speech_segments)
        if (!s.speech.empty()) CHECK(s.fused.label() == s.speech.label());
    options.fusion.rule = "median";
    CHECK_THROWS_WITH(predictor.predict_video(video, options), Catch::Contains("FusionOptions::rule"));
    options = {};
    options.frames_per_second = 0;
    CHECK_THROWS_WITH(predictor.predict_video(video, options), Catch::Contains("frames_per_second"));
    CHECK_THROWS_AS(predictor.predict_video(dir.file("missing.mp4")), emo::InputError);
}
