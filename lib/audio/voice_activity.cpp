#include <algorithm>
#include <cmath>
#include <string>

#include "emo/audio.hpp"
#include "emo/error.hpp"

namespace emo::audio {

void VoiceActivityOptions::validate() const {
    if (!(speech_db < 0.0f))
        throw ConfigError("speech_db: expected a negative dBFS level, got " + std::to_string(speech_db));
    if (!(min_speech_seconds >= 0.0f && min_speech_seconds <= 60.0f)) {
        throw ConfigError("min_speech_seconds: expected 0..60, got " + std::to_string(min_speech_seconds));
    }
}

bool has_speech(const std::vector<float>& samples, int sample_rate, const VoiceActivityOptions& opts) {
    opts.validate();
    if (opts.min_speech_seconds == 0.0f) return true;
    const std::size_t frame = std::size_t(std::max(1, sample_rate / 50));  // 20 ms
    const double threshold = std::pow(10.0, opts.speech_db / 10.0);        // mean square at speech_db
    const double needed = double(opts.min_speech_seconds) * sample_rate;
    double voiced = 0;
    for (std::size_t start = 0; start + frame <= samples.size(); start += frame) {
        double energy = 0;
        for (std::size_t i = start; i < start + frame; ++i) energy += double(samples[i]) * samples[i];
        if (energy / double(frame) >= threshold) voiced += double(frame);
        if (voiced >= needed) return true;
    }
    return false;
}

}  // namespace emo::audio
