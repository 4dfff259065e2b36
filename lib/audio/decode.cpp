#include <sndfile.h>

#include <algorithm>
#include <memory>

#include "emo/audio.hpp"
#include "emo/error.hpp"

namespace emo::audio {
namespace {

struct SndfileCloser {
    void operator()(SNDFILE* f) const { sf_close(f); }
};

}  // namespace

Audio read_audio(const std::string& path) {
    SF_INFO info{};
    std::unique_ptr<SNDFILE, SndfileCloser> file(sf_open(path.c_str(), SFM_READ, &info));
    if (!file) {
        throw InputError(path, std::string("cannot decode as audio: ") + sf_strerror(nullptr));
    }
    if (info.channels < 1 || info.samplerate < 1) {
        throw InputError(path, "invalid header: " + std::to_string(info.channels) + " channels at " +
                                   std::to_string(info.samplerate) + " Hz");
    }
    if (info.frames <= 0) throw InputError(path, "no audio samples");

    const auto channels = static_cast<std::size_t>(info.channels);
    Audio audio;
    audio.sample_rate = info.samplerate;
    // The header's frame count (and rate) is a claim, not a promise: reserve at most 4 M samples up
    // front, so a header that says 2^40 frames, or a 1 MHz rate, costs only what the file holds.
    constexpr sf_count_t kMaxReserve = sf_count_t(1) << 22;
    audio.samples.reserve(static_cast<std::size_t>(std::min(info.frames, kMaxReserve)));
    std::vector<float> block(4096 * channels);
    sf_count_t total = 0;
    for (;;) {
        const sf_count_t got = sf_readf_float(file.get(), block.data(), 4096);
        if (got <= 0) break;
        total += got;
        for (sf_count_t i = 0; i < got; ++i) {
            float sum = 0.0f;
            for (std::size_t c = 0; c < channels; ++c) sum += block[std::size_t(i) * channels + c];
            audio.samples.push_back(sum / float(channels));
        }
    }
    if (sf_error(file.get()) != SF_ERR_NO_ERROR) {
        throw InputError(path, std::string("decode error: ") + sf_strerror(file.get()));
    }
    if (total < info.frames) {
        throw InputError(
            path, "truncated: header says " + std::to_string(info.frames) + " frames, has " + std::to_string(total));
    }
    return audio;
}

Audio load_audio(const std::string& path, int sample_rate) {
    Audio audio = read_audio(path);
    audio.samples = resample(audio.samples, audio.sample_rate, sample_rate);
    audio.sample_rate = sample_rate;
    return audio;
}

}  // namespace emo::audio
