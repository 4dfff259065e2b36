#include <algorithm>
#include <cmath>

#include "emo/audio.hpp"
#include "emo/error.hpp"

namespace emo::audio {

void TrimOptions::validate() const {
    if (frame_length < 1) throw ConfigError("trim.frame_length: expected >= 1, got " + std::to_string(frame_length));
    if (hop_length < 1) throw ConfigError("trim.hop_length: expected >= 1, got " + std::to_string(hop_length));
}

std::vector<float> trim_silence(const std::vector<float>& samples, const TrimOptions& opts) {
    opts.validate();
    if (opts.top_db <= 0.0f || samples.empty()) return samples;
    const auto n = static_cast<long>(samples.size());
    const long frame = opts.frame_length, hop = opts.hop_length;
    // Frames centred on t*hop (librosa's center=True), zero outside the signal.
    const long num_frames = 1 + n / hop;
    std::vector<double> power(static_cast<std::size_t>(num_frames));
    for (long t = 0; t < num_frames; ++t) {
        const long begin = t * hop - frame / 2;
        double sum = 0.0;
        for (long i = std::max(0L, begin); i < std::min(n, begin + frame); ++i) {
            sum += double(samples[std::size_t(i)]) * samples[std::size_t(i)];
        }
        power[std::size_t(t)] = sum / double(frame);
    }
    const double peak = *std::max_element(power.begin(), power.end());
    if (peak <= 0.0) return samples;
    const double threshold = peak * std::pow(10.0, -opts.top_db / 10.0);
    long first = -1, last = -1;
    for (long t = 0; t < num_frames; ++t) {
        if (power[std::size_t(t)] > threshold) {
            if (first < 0) first = t;
            last = t;
        }
    }
    const long begin = std::max(0L, first * hop);
    const long end = std::min(n, (last + 1) * hop);
    if (end <= begin) return samples;
    return std::vector<float>(samples.begin() + begin, samples.begin() + end);
}

}  // namespace emo::audio
