// SpeechStream: windows of a stream scored as they complete, holding one window of samples.
#include <algorithm>
#include <cmath>
#include <deque>

#include "emo/emo.hpp"

namespace emo {

struct SpeechStream::Impl {
    const Predictor& predictor;
    int rate, channels;
    std::size_t window, hop;       // frames
    std::deque<float> buffer;      // mono frames from `buffer_start` on
    std::size_t buffer_start = 0;  // stream frame of buffer.front()
    std::size_t next_start = 0;    // stream frame where the next window starts
    std::size_t received = 0;      // frames pushed so far
    bool scored_any = false;

    WindowResult score(std::size_t start, std::size_t frames) const {
        std::vector<float> samples(buffer.begin() + long(start - buffer_start),
                                   buffer.begin() + long(start - buffer_start + frames));
        WindowResult w;
        w.start = double(start) / rate;
        w.end = double(start + frames) / rate;
        w.result = predictor.predict_audio(samples.data(), samples.size(), rate);
        return w;
    }
    void drop_before(std::size_t frame) {
        while (buffer_start < frame && !buffer.empty()) buffer.pop_front(), ++buffer_start;
    }
};

SpeechStream::SpeechStream(const Predictor& predictor, int sample_rate, int channels, StreamOptions options) {
    if (sample_rate <= 0) throw ConfigError("sample_rate: expected > 0 Hz, got " + std::to_string(sample_rate));
    if (channels < 1) throw ConfigError("channels: expected >= 1, got " + std::to_string(channels));
    if (options.window_seconds < 0) throw ConfigError("window_seconds: expected >= 0 (0: the model's segment)");
    const double window_s = options.window_seconds > 0 ? options.window_seconds : predictor.speech_segment_seconds();
    if (!(options.hop_seconds > 0 && options.hop_seconds <= window_s)) {
        throw ConfigError("hop_seconds: expected > 0 and at most the window (" + std::to_string(window_s) +
                          " s), got " + std::to_string(options.hop_seconds));
    }
    const auto frames = [&](double s) { return std::max<std::size_t>(1, std::size_t(std::lround(s * sample_rate))); };
    impl_ = std::unique_ptr<Impl>(
        new Impl{predictor, sample_rate, channels, frames(window_s), frames(options.hop_seconds), {}, 0, 0, 0, false});
}

SpeechStream::SpeechStream(SpeechStream&&) noexcept = default;
SpeechStream::~SpeechStream() = default;

double SpeechStream::window_seconds() const { return double(impl_->window) / impl_->rate; }
double SpeechStream::hop_seconds() const { return double(impl_->hop) / impl_->rate; }

std::vector<WindowResult> SpeechStream::push(const float* samples, std::size_t frames) {
    auto& s = *impl_;
    for (std::size_t f = 0; f < frames; ++f) {
        float sum = 0.0f;
        for (int c = 0; c < s.channels; ++c) sum += samples[f * std::size_t(s.channels) + std::size_t(c)];
        s.buffer.push_back(sum / float(s.channels));
    }
    s.received += frames;
    std::vector<WindowResult> out;
    while (s.next_start + s.window <= s.received) {
        out.push_back(s.score(s.next_start, s.window));
        s.scored_any = true;
        s.next_start += s.hop;
        s.drop_before(s.next_start);
    }
    return out;
}

std::vector<WindowResult> SpeechStream::finish() {
    auto& s = *impl_;
    // What the last complete window did not reach (or the whole of a stream shorter than one window).
    const std::size_t covered = s.scored_any ? s.next_start - s.hop + s.window : 0;
    if (s.received <= covered || s.received <= s.next_start) return {};
    std::vector<WindowResult> out{s.score(s.next_start, s.received - s.next_start)};
    s.next_start = s.received;
    s.drop_before(s.received);
    return out;
}

}  // namespace emo
