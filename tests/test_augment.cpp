// Augmentation: the feature-domain axis warps move values where they should and nowhere else; the face
// transforms for the shift to photos do what their options say.
#include <cmath>
#include <random>

#include "../lib/train/augment.hpp"
#include "../lib/train/face_augment.hpp"
#include "emo/config.hpp"
#include "helpers.hpp"

namespace {
emo::config::SpeechInputOptions logmel_input(int n_mels) {
    emo::config::SpeechInputOptions input;
    input.features.kind = emo::audio::FeatureKind::kLogMel;
    input.features.n_mels = n_mels;
    return input;
}

// value(t, d) = fill(t, d) for `frames` frames of `dim` values.
template <class Fill>
emo::audio::Features make_features(int frames, int dim, Fill fill) {
    emo::audio::Features f;
    f.num_frames = frames;
    f.dim = dim;
    for (int t = 0; t < frames; ++t)
        for (int d = 0; d < dim; ++d) f.data.push_back(fill(t, d));
    return f;
}
}  // namespace

TEST_CASE("time stretch resamples the frames at one rate within 1 +- time_stretch", "[augment]") {
    emo::config::AugmentOptions a;
    a.time_stretch = 0.2f;
    const auto input = logmel_input(4);
    for (unsigned seed = 1; seed <= 20; ++seed) {
        std::mt19937 rng(seed);
        auto f = make_features(100, 4, [](int t, int d) { return float(t + 1000 * d); });
        emo::train::warp_axes(f, input, a, rng);
        const double rate = f.frame(1)[0];  // frame t holds source frame t * rate
        REQUIRE(rate >= 0.8);
        REQUIRE(rate <= 1.2);
        REQUIRE(f.num_frames == std::lround(100 / rate));
        REQUIRE(f.data.size() == std::size_t(f.num_frames) * 4);
        for (int t = 0; t < f.num_frames; ++t) {
            CHECK(f.frame(t)[0] == Approx(std::min(t * rate, 99.0)).margin(1e-3));
            CHECK(f.frame(t)[3] - f.frame(t)[0] == Approx(3000.0f));  // bands move together
        }
    }
}

TEST_CASE("frequency warp stretches every frame's mel axis by one factor, deltas alike", "[augment]") {
    emo::config::AugmentOptions a;
    a.freq_warp = 0.1f;
    auto input = logmel_input(64);
    input.features.deltas = 1;
    std::mt19937 rng(3);
    auto f = make_features(10, 128, [](int, int d) { return float(d % 64) + (d >= 64 ? 0.5f : 0.0f); });
    emo::train::warp_axes(f, input, a, rng);
    REQUIRE(f.num_frames == 10);
    const float scale = f.frame(0)[32] / 32.0f;
    CHECK(scale >= 0.9f);
    CHECK(scale <= 1.1f);
    CHECK(scale != 1.0f);
    for (int t = 0; t < 10; ++t) {
        for (int d = 0; d < 64; ++d) {
            const float expected = std::min(float(d) * scale, 63.0f);
            CHECK(f.frame(t)[d] == Approx(expected).margin(1e-3));
            CHECK(f.frame(t)[64 + d] == Approx(expected + 0.5f).margin(1e-3));
        }
    }
}

TEST_CASE("axis warps off, or the mel axis of MFCC features, are left untouched", "[augment]") {
    const auto ramp = [](int t, int d) { return float(t * 7 + d); };
    auto f = make_features(50, 20, ramp);
    const auto original = f.data;
    std::mt19937 rng(5), untouched(5);
    emo::train::warp_axes(f, logmel_input(20), emo::config::AugmentOptions{}, rng);
    CHECK(f.data == original);
    CHECK(rng == untouched);  // no draws: configs without warps train exactly as before

    emo::config::AugmentOptions a;
    a.freq_warp = 0.2f;
    auto mfcc = logmel_input(20);
    mfcc.features.kind = emo::audio::FeatureKind::kMfcc;
    emo::train::warp_axes(f, mfcc, a, rng);
    CHECK(f.data == original);
}

namespace {
emo::config::AugmentOptions level_only() {
    emo::config::AugmentOptions a;
    a.gain_db = 0.0f;
    a.noise_probability = 0.0f;
    return a;
}
}  // namespace

TEST_CASE("reverberation adds a tail that decays 60 dB within 0.2 to rt60_max seconds, after the sound only",
          "[augment]") {
    auto a = level_only();
    a.reverb_probability = 1.0f;
    a.reverb_rt60_max = 0.8f;
    const auto input = logmel_input(8);  // 10 ms hop
    for (unsigned seed = 1; seed <= 10; ++seed) {
        std::mt19937 rng(seed);
        auto f = make_features(60, 8, [](int t, int) { return t == 10 ? 0.0f : -90.0f; });
        emo::train::augment_level(f, input, a, rng);
        for (int d = 0; d < 8; ++d) {
            for (int t = 0; t < 10; ++t) {  // the quiet background's own tail at most doubles its power
                CHECK(f.frame(t)[d] >= -90.0f);
                CHECK(f.frame(t)[d] <= -90.0f + 3.02f);
            }
            CHECK(f.frame(10)[d] == Approx(0.0f).margin(1e-3));
            CHECK(f.frame(11)[d] > -40.0f);
            CHECK(f.frame(11)[d] < 0.0f);
            const float db_per_frame = f.frame(12)[d] - f.frame(13)[d];  // 60 dB over RT60 seconds
            CHECK(db_per_frame >= 60.0f * 0.01f / 0.8f - 0.01f);
            CHECK(db_per_frame <= 60.0f * 0.01f / 0.2f + 0.01f);
        }
    }
}

TEST_CASE("band limiting drops the bands outside 0-300 Hz .. 3-7 kHz to the clip's floor", "[augment]") {
    auto a = level_only();
    a.band_limit_probability = 1.0f;
    const auto input = logmel_input(64);  // 0-8 kHz, Slaney mel
    bool some_high_cut = false;
    for (unsigned seed = 1; seed <= 20; ++seed) {
        std::mt19937 rng(seed);
        auto f = make_features(20, 64, [](int t, int) { return t == 0 ? -80.0f : -10.0f; });
        emo::train::augment_level(f, input, a, rng);
        int cut_above = 64;
        for (int d = 0; d < 64; ++d) {
            const double centre = emo::audio::mel_to_hz(
                emo::audio::hz_to_mel(8000.0, input.features.mel_scale) * (d + 1) / 65, input.features.mel_scale);
            const bool cut = f.frame(5)[d] < -79.0f;
            for (int t = 1; t < 20; ++t) REQUIRE(f.frame(t)[d] == Approx(cut ? -80.0f : -10.0f).margin(1e-3));
            if (centre >= 300.0 && centre <= 3000.0) CHECK_FALSE(cut);
            if (centre > 7000.0) CHECK(cut);
            if (cut && centre > 3000.0) cut_above = std::min(cut_above, d);
            if (centre > 3000.0 && d > cut_above) CHECK(cut);  // one cutoff: everything above it goes
        }
        some_high_cut |= cut_above < 64;
    }
    CHECK(some_high_cut);
}

TEST_CASE("reverberation and band limits off draw nothing from the generator", "[augment]") {
    auto f = make_features(30, 16, [](int t, int d) { return float(-t - d); });
    const auto original = f.data;
    std::mt19937 rng(9), reference(9);
    emo::train::augment_level(f, logmel_input(16), level_only(), rng);
    CHECK(f.data == original);
    reference();  // the one draw that decides on noise
    CHECK(rng == reference);
}

namespace {
// Face augmentation with every transform off: each test turns on the one it checks.
emo::config::FaceAugmentOptions faces_unchanged() {
    emo::config::FaceAugmentOptions a;
    a.flip = false;
    a.rotation_degrees = a.scale = a.shift = a.brightness = a.contrast = 0.0f;
    a.erasing_probability = 0.0f;
    return a;
}
}  // namespace

TEST_CASE("face gamma: one exponent per face within 1/(1+g)..1+g, black and white fixed", "[augment]") {
    torch::manual_seed(7);
    auto faces = torch::full({64, 1, 8, 8}, 0.25);
    faces.index_put_({torch::indexing::Slice(), 0, 0, 0}, 0.0);
    faces.index_put_({torch::indexing::Slice(), 0, 0, 1}, 1.0);
    auto a = faces_unchanged();
    CHECK(torch::allclose(emo::train::augment_faces(faces, a), faces));
    a.gamma = 0.5f;
    const auto out = emo::train::augment_faces(faces, a);
    const auto mid = out.index({torch::indexing::Slice(), 0, 4, 4});
    const auto exponent = torch::log(mid) / std::log(0.25);
    CHECK(exponent.min().item<double>() >= 1 / 1.5 - 1e-4);
    CHECK(exponent.max().item<double>() <= 1.5 + 1e-4);
    CHECK(exponent.max().item<double>() - exponent.min().item<double>() > 0.3);  // faces differ
    CHECK(torch::allclose(out.index({torch::indexing::Slice(), 0, 5}), mid.view({64, 1}).expand({64, 8})));
    CHECK(out.index({torch::indexing::Slice(), 0, 0, 0}).abs().max().item<double>() < 1e-3);
    CHECK(out.index({torch::indexing::Slice(), 0, 0, 1}).min().item<double>() == Approx(1.0));
}

TEST_CASE("face sharpness: from a 3x3 blur to an overshoot at edges, flat areas untouched", "[augment]") {
    torch::manual_seed(3);
    // A vertical edge: columns 0-7 at 0.3, 8-15 at 0.7.
    auto faces = torch::full({200, 1, 16, 16}, 0.3);
    faces.index_put_({torch::indexing::Slice(), 0, torch::indexing::Slice(), torch::indexing::Slice(8, 16)}, 0.7);
    auto a = faces_unchanged();
    a.sharpness = 1.0f;
    const auto out = emo::train::augment_faces(faces, a);
    using torch::indexing::Slice;
    CHECK(torch::allclose(out.index({Slice(), 0, Slice(), Slice(0, 6)}),
                          faces.index({Slice(), 0, Slice(), Slice(0, 6)})));
    CHECK(torch::allclose(out.index({Slice(), 0, Slice(), Slice(10, 16)}),
                          faces.index({Slice(), 0, Slice(), Slice(10, 16)})));
    // Next to the edge the dark side moves by -amount * (0.7 - 0.3) / 3: amount in [-1, 1].
    const auto dark = out.index({Slice(), 0, 5, 7});
    const auto amount = (dark - 0.3) / (-0.4 / 3);
    CHECK(amount.min().item<double>() >= -1.0 - 1e-4);
    CHECK(amount.max().item<double>() <= 1.0 + 1e-4);
    CHECK(amount.min().item<double>() < -0.8);  // some faces blurred
    CHECK(amount.max().item<double>() > 0.8);   // some sharpened
}
