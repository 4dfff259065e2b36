// Audio decoding (libsndfile, any format) and what follows it for a clip: resampling, voice
// activity, silence trimming, log-mel features.
#include "emo/audio.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = emo::fuzz::as_file(data, size, ".audio");
    emo::fuzz::expect_clean([&] {
        auto audio = emo::audio::read_audio(path);
        if (audio.duration_s() > 30.0) return;  // long clips only cost time here
        audio.samples = emo::audio::resample(audio.samples, audio.sample_rate, 16000);
        emo::audio::has_speech(audio.samples, 16000, {});
        static emo::audio::FeatureExtractor extractor{emo::audio::FeatureOptions{}};
        extractor.compute(emo::audio::trim_silence(audio.samples, {}));
    });
    return 0;
}
