#include "window_pairing.hpp"

#include <cmath>
#include <utility>

namespace emo::app {
namespace {

std::optional<fusion::Scores> to_fusion(const Scores& s) {
    if (s.empty()) return std::nullopt;
    return fusion::Scores{s.labels, s.values};
}

}  // namespace

WindowPairing::WindowPairing(double hop_seconds, config::FusionConfig fusion, std::vector<std::string> labels)
    : hop_(hop_seconds), fusion_(std::move(fusion)), labels_(std::move(labels)) {}

void WindowPairing::add(const std::vector<WindowResult>& speech) {
    for (const auto& w : speech) speech_.emplace(std::lround(w.start / hop_), w);
}

void WindowPairing::add(const std::vector<FaceWindow>& face) {
    for (const auto& w : face) face_.emplace(std::lround(w.start / hop_), w);
}

bool WindowPairing::next_ready() const {
    return (speech_.count(next_) || speech_done_) && (face_.count(next_) || face_done_);
}

bool WindowPairing::finished() const {
    return speech_done_ && face_done_ && !speech_.count(next_) && !face_.count(next_);
}

std::vector<NumberedSegment> WindowPairing::take_ready() {
    std::vector<NumberedSegment> out;
    while (next_ready() && !finished()) {
        const int index = int(next_ + 1);
        out.push_back({index, take_next()});
    }
    return out;
}

VideoSegment WindowPairing::take_next() {
    const auto s = speech_.find(next_);
    const auto f = face_.find(next_);
    VideoSegment seg;
    seg.start = double(next_) * hop_;
    seg.end = std::max(s != speech_.end() ? s->second.end : 0.0, f != face_.end() ? f->second.end : 0.0);
    if (s != speech_.end()) {
        seg.silent = s->second.result.no_speech;
        seg.speech = s->second.result.scores;
        speech_.erase(s);
    }
    if (f != face_.end()) {
        seg.frames = f->second.frames;
        seg.frames_with_face = f->second.frames_with_face;
        seg.face = f->second.scores;
        face_.erase(f);
    }
    if (!seg.face.empty() || !seg.speech.empty()) {
        const auto fused = fusion::fuse(to_fusion(seg.face), to_fusion(seg.speech), fusion_, labels_);
        seg.fused = {fused.labels, fused.values};
    }
    ++next_;
    return seg;
}

}  // namespace emo::app
