#include <sndfile.h>

#include <cmath>
#include <filesystem>

#include "emo/audio.hpp"
#include "emo/error.hpp"
#include "helpers.hpp"

using Catch::Matchers::Contains;
using emo::audio::read_audio;

TEST_CASE("decodes the original RAVDESS WAVs (48 kHz, extra RIFF chunks, stereo)", "[audio][data]") {
    const auto dir = emo::test::data_dir();
    if (dir.empty()) return;
    for (const char* name : {"Actor_01/03-01-01-01-01-01-01.wav", "Actor_01/03-01-02-01-01-02-01.wav",
                             "Actor_05/03-01-02-01-02-02-05.wav", "Actor_17/03-01-06-02-01-02-17.wav"}) {
        INFO(name);
        const auto a = read_audio(dir + "/ravdess-wav/" + name);
        CHECK(a.sample_rate == 48000);
        CHECK(a.duration_s() > 2.5);
        CHECK(a.duration_s() < 6.0);
        float peak = 0;
        for (float v : a.samples) peak = std::max(peak, std::abs(v));
        CHECK(peak > 0.01f);
        CHECK(peak <= 1.0f);
    }
}

TEST_CASE("stereo is downmixed, FLAC equals its WAV, extension does not matter", "[audio][data]") {
    const auto dir = emo::test::data_dir();
    if (dir.empty()) return;
    const std::string wav = dir + "/ravdess-wav/Actor_05/03-01-02-01-02-02-05.wav";
    SF_INFO info{};
    SNDFILE* f = sf_open(wav.c_str(), SFM_READ, &info);
    REQUIRE(f);
    sf_close(f);
    CHECK(info.channels == 2);
    const auto from_wav = read_audio(wav);
    CHECK(from_wav.samples.size() == std::size_t(info.frames));
    const auto from_flac = read_audio(dir + "/ravdess/Actor_05/03-01-02-01-02-02-05.flac");
    REQUIRE(from_flac.samples.size() == from_wav.samples.size());
    for (std::size_t i = 0; i < from_wav.samples.size(); i += 97) CHECK(from_flac.samples[i] == from_wav.samples[i]);

    emo::test::TempDir tmp;
    const auto lying = tmp.file("really_a_wav.flac");
    std::filesystem::copy_file(wav, lying);
    CHECK(read_audio(lying).samples.size() == from_wav.samples.size());
}

TEST_CASE("resampling keeps duration and the tone", "[audio]") {
    std::vector<float> tone(48000);
    for (std::size_t i = 0; i < tone.size(); ++i)
        tone[i] = float(0.5 * std::sin(2 * 3.14159265358979 * 440 * double(i) / 48000));
    const auto out = emo::audio::resample(tone, 48000, 16000);
    CHECK(std::abs(int(out.size()) - 16000) <= 2);
    // Compare with the analytic 440 Hz sine at 16 kHz away from the edges.
    double err = 0;
    for (std::size_t i = 1000; i < 15000; ++i)
        err = std::max(err, std::abs(out[i] - 0.5 * std::sin(2 * 3.14159265358979 * 440 * double(i) / 16000)));
    CHECK(err < 1e-3);
    CHECK_THROWS_AS(emo::audio::resample(tone, 0, 16000), emo::ConfigError);
}

TEST_CASE("bad audio files give InputError naming the file", "[audio]") {
    emo::test::TempDir tmp;
    CHECK_THROWS_WITH(read_audio(tmp.file("missing.wav")), Contains("missing.wav"));
    const auto text = tmp.file("notes.wav");
    emo::test::write_text(text, "this is not audio at all, just text\n");
    CHECK_THROWS_AS(read_audio(text), emo::InputError);
    const auto empty = tmp.file("empty.wav");
    emo::test::write_text(empty, "");
    CHECK_THROWS_WITH(read_audio(empty), Contains("empty.wav"));
    const auto no_samples = tmp.file("no_samples.wav");
    emo::test::write_audio(no_samples, {}, 16000, 1);
    CHECK_THROWS_WITH(read_audio(no_samples), Contains("no audio samples"));
}

TEST_CASE("a truncated WAV is reported or decoded to what is there, never past it", "[audio]") {
    emo::test::TempDir tmp;
    const auto full = tmp.file("full.wav");
    emo::test::write_audio(full, std::vector<float>(16000, 0.25f), 16000, 1);
    const auto cut = tmp.file("cut.wav");
    std::filesystem::copy_file(full, cut);
    std::filesystem::resize_file(cut, 44 + 2 * 4000);
    try {
        const auto a = read_audio(cut);
        CHECK(a.samples.size() == 4000);  // libsndfile trusts the real data length
    } catch (const emo::InputError& e) {
        CHECK_THAT(e.what(), Contains("cut.wav"));
    }
}

TEST_CASE("silence trimming keeps the voiced part, all-silent clips stay as they are", "[audio]") {
    std::vector<float> x(16000, 0.0f);
    for (std::size_t i = 6000; i < 10000; ++i) x[i] = float(0.5 * std::sin(double(i) * 0.3));
    emo::audio::TrimOptions o;
    const auto y = emo::audio::trim_silence(x, o);
    CHECK(y.size() >= 4000);
    CHECK(y.size() < 6000);
    const std::vector<float> silent(8000, 0.0f);
    CHECK(emo::audio::trim_silence(silent, o).size() == silent.size());
    o.hop_length = 0;
    CHECK_THROWS_AS(emo::audio::trim_silence(x, o), emo::ConfigError);
}

TEST_CASE("voice activity: a tone at speech level is speech, silence, hiss and blips are not", "[audio]") {
    const int rate = 16000;
    auto tone = [&](double seconds, double dbfs) {
        std::vector<float> s(std::size_t(seconds * rate));
        const double amplitude = std::sqrt(2.0) * std::pow(10.0, dbfs / 20.0);  // RMS at dbfs
        for (std::size_t i = 0; i < s.size(); ++i)
            s[i] = float(amplitude * std::sin(2 * M_PI * 220 * double(i) / rate));
        return s;
    };
    const emo::audio::VoiceActivityOptions opts;  // -60 dBFS, 0.2 s
    CHECK(emo::audio::has_speech(tone(1.0, -20), rate, opts));
    CHECK_FALSE(emo::audio::has_speech(std::vector<float>(2 * rate, 0.0f), rate, opts));
    CHECK_FALSE(emo::audio::has_speech(tone(2.0, -70), rate, opts));  // hum far below speech level
    CHECK_FALSE(emo::audio::has_speech(tone(0.1, -10), rate, opts));  // a 0.1 s click
    // 0.3 s of sound inside 3 s of silence is enough.
    auto mostly_silent = std::vector<float>(3 * rate, 0.0f);
    const auto burst = tone(0.3, -30);
    std::copy(burst.begin(), burst.end(), mostly_silent.begin() + rate);
    CHECK(emo::audio::has_speech(mostly_silent, rate, opts));
    CHECK(emo::audio::has_speech(std::vector<float>(rate, 0.0f), rate, {-60.0f, 0.0f}));  // 0 s: test off
    CHECK_THROWS_AS(emo::audio::has_speech(tone(1.0, -20), rate, {3.0f, 0.2f}), emo::ConfigError);
}
