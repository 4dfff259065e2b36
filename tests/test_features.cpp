// Ref: tests/ref/make_feature_refs.py (torchaudio 0.13.1: MelSpectrogram, AmplitudeToDB, MFCC,
// compute_deltas). Tolerance: 1e-3 dB relative to values up to ~100 dB (float32 FFT differences).
#include <cmath>

#include "emo/audio.hpp"
#include "emo/error.hpp"
#include "helpers.hpp"

using Catch::Matchers::Contains;
using emo::audio::FeatureExtractor;
using emo::audio::FeatureOptions;

namespace {
constexpr double kTolerance = 2e-3;

std::vector<float> chirp() {  // same formula as make_feature_refs.py
    const double sr = 16000, pi = 3.14159265358979323846;
    std::vector<float> x(4000);
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double t = double(i) / sr;
        const double chirp_phase = 2 * pi * (200 * t + 0.5 * (1800 / 0.25) * t * t);
        x[i] =
            float(0.5 * std::sin(2 * pi * 440 * t) + 0.25 * std::sin(2 * pi * 3000 * t) + 0.1 * std::sin(chirp_phase));
    }
    return x;
}

// Cells more than `range_db` below the clip's peak are compared only when range_db <= 0: there the
// values are float32 FFT rounding noise (~120 dB down), different in every implementation.
void check_against(const emo::audio::Features& got, const std::string& fixture, float range_db = 0) {
    const auto ref = emo::test::read_matrix(fixture);
    const float peak = *std::max_element(ref.data.begin(), ref.data.end());
    REQUIRE(got.num_frames == ref.rows);
    REQUIRE(got.dim == ref.cols);
    for (std::size_t i = 0; i < ref.data.size(); ++i) {
        if (range_db > 0 && ref.data[i] < peak - range_db) continue;
        INFO(fixture << ": frame " << i / std::size_t(ref.cols) << ", column " << i % std::size_t(ref.cols));
        CHECK_THAT(got.data[i],
                   Catch::Matchers::WithinAbs(ref.data[i], kTolerance * std::max(1.0f, std::abs(ref.data[i]))));
    }
}
}  // namespace

TEST_CASE("log-mel matches torchaudio (Slaney mel and norm, power 2, dB, top_db 80)", "[audio][ref]") {
    FeatureOptions o;  // defaults == the script's first transform
    FeatureExtractor fx(o);
    check_against(fx.compute(chirp()), "chirp_logmel_slaney.txt");
}

TEST_CASE("log-mel matches torchaudio (HTK mel, no norm, magnitude, fmin/fmax)", "[audio][ref]") {
    FeatureOptions o;
    o.n_mels = 40;
    o.fmin = 100;
    o.fmax = 7000;
    o.mel_scale = emo::audio::MelScale::kHtk;
    o.mel_norm = emo::audio::MelNorm::kNone;
    o.power = 1.0f;
    o.top_db = 0;
    FeatureExtractor fx(o);
    check_against(fx.compute(chirp()), "chirp_logmel_htk_mag.txt", 100.0f);
}

TEST_CASE("MFCC with deltas matches torchaudio (ortho DCT-II, compute_deltas)", "[audio][ref]") {
    FeatureOptions o;
    o.kind = emo::audio::FeatureKind::kMfcc;
    o.n_mfcc = 20;
    o.deltas = 2;
    FeatureExtractor fx(o);
    check_against(fx.compute(chirp()), "chirp_mfcc20_deltas.txt");
}

TEST_CASE("closed-form cases: frame count, silence floor, tone peak", "[audio]") {
    FeatureOptions o;
    FeatureExtractor fx(o);
    CHECK(fx.compute(nullptr, 0).num_frames == 0);
    const std::vector<float> silence(16000, 0.0f);
    const auto s = fx.compute(silence);
    CHECK(s.num_frames == 101);                          // 1 + 16000 / 160 with centring
    for (float v : s.data) CHECK(v == Approx(-100.0f));  // 10*log10(amin)
    // A 1 kHz tone puts its energy in the mel band around 1 kHz.
    std::vector<float> tone(16000);
    for (std::size_t i = 0; i < tone.size(); ++i)
        tone[i] = float(std::sin(2 * 3.14159265358979 * 1000 * double(i) / 16000));
    const auto t = fx.compute(tone);
    const float* mid = t.frame(50);
    const int peak = int(std::max_element(mid, mid + t.dim) - mid);
    const double centre_hz =
        emo::audio::mel_to_hz(emo::audio::hz_to_mel(8000, emo::audio::MelScale::kSlaney) * (peak + 1) / (o.n_mels + 1),
                              emo::audio::MelScale::kSlaney);
    CHECK(centre_hz == Approx(1000).margin(120));
}

TEST_CASE("feature options are validated with the field named", "[audio][config]") {
    FeatureOptions o;
    o.n_mels = 0;
    CHECK_THROWS_WITH(FeatureExtractor(o), Contains("n_mels"));
    o = FeatureOptions{};
    o.win_length = 1024;
    CHECK_THROWS_AS(FeatureExtractor(o), emo::ConfigError);
    o = FeatureOptions{};
    o.fmax = 9000;
    CHECK_THROWS_WITH(FeatureExtractor(o), Contains("fmax"));
    o = FeatureOptions{};
    o.kind = emo::audio::FeatureKind::kMfcc;
    o.n_mfcc = 100;
    CHECK_THROWS_WITH(FeatureExtractor(o), Contains("n_mfcc"));
}
