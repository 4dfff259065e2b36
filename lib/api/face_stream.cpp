// FaceStream: camera frames scored as they arrive, averaged per window.
#include <algorithm>
#include <cmath>
#include <deque>
#include <optional>

#include "emo/emo.hpp"

namespace emo {
namespace {
constexpr double kDefaultWindow = 2.5;  // the shipped speech model's segment

const FaceResult* largest(const ImageResult& r) {
    const FaceResult* best = nullptr;
    for (const auto& f : r.faces)
        if (!best || f.box.width * f.box.height > best->box.width * best->box.height) best = &f;
    return best;
}
}  // namespace

struct FaceStream::Impl {
    const Predictor& predictor;
    double window = kDefaultWindow, hop = 1.0;
    struct Frame {
        double seconds;
        std::optional<Scores> scores;  // the largest face's
    };
    std::deque<Frame> frames;  // from next_start on
    double next_start = 0;

    // The window [start, end) from the frames in it.
    FaceWindow window_of(double start, double end) const {
        FaceWindow w;
        w.start = start;
        w.end = end;
        for (const auto& f : frames) {
            if (f.seconds < start || f.seconds >= end) continue;
            ++w.frames;
            if (!f.scores) continue;
            ++w.frames_with_face;
            if (w.scores.empty()) w.scores = Scores{f.scores->labels, std::vector<float>(f.scores->values.size())};
            for (std::size_t k = 0; k < w.scores.values.size(); ++k) w.scores.values[k] += f.scores->values[k];
        }
        for (auto& v : w.scores.values) v /= float(std::max(1, w.frames_with_face));
        return w;
    }
    void advance() {
        next_start += hop;
        while (!frames.empty() && frames.front().seconds < next_start) frames.pop_front();
    }
};

FaceStream::FaceStream(const Predictor& predictor, StreamOptions options)
    : impl_(std::unique_ptr<Impl>(new Impl{predictor, kDefaultWindow, options.hop_seconds, {}, 0})) {
    if (options.window_seconds < 0) throw ConfigError("window_seconds: expected >= 0 (0: 2.5 s)");
    if (options.window_seconds > 0) impl_->window = options.window_seconds;
    if (!(options.hop_seconds > 0 && options.hop_seconds <= impl_->window)) {
        throw ConfigError("hop_seconds: expected > 0 and at most the window (" + std::to_string(impl_->window) +
                          " s), got " + std::to_string(options.hop_seconds));
    }
}

FaceStream::FaceStream(FaceStream&&) noexcept = default;
FaceStream::~FaceStream() = default;

std::vector<FaceWindow> FaceStream::push(const std::uint8_t* pixels, int width, int height, int channels,
                                         double seconds, std::size_t stride) {
    auto& s = *impl_;
    if (!s.frames.empty() && seconds < s.frames.back().seconds)
        throw ConfigError("seconds: frames must come in time order");
    std::vector<FaceWindow> out;
    while (seconds >= s.next_start + s.window) {  // this frame is past a window: it is complete
        out.push_back(s.window_of(s.next_start, s.next_start + s.window));
        s.advance();
    }
    Impl::Frame frame{seconds, std::nullopt};
    const auto result = s.predictor.predict_image(pixels, width, height, channels, stride);
    if (const auto* face = largest(result)) frame.scores = face->scores;
    s.frames.push_back(std::move(frame));
    return out;
}

std::vector<FaceWindow> FaceStream::finish() {
    auto& s = *impl_;
    if (s.frames.empty()) return {};
    const double last = s.frames.back().seconds;
    std::vector<FaceWindow> out{s.window_of(s.next_start, std::nextafter(last, last + 1.0))};
    out.back().end = last;
    s.frames.clear();
    return out;
}

}  // namespace emo
