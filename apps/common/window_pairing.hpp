#pragma once
// Speech and face windows of one live stream, paired by their place in time and fused: window k of either
// input covers [k * hop, k * hop + window). Used by emo-predict --mic --camera and emo-serve's streams.
// Not thread-safe: callers that feed it from several threads hold their own lock.
#include <map>
#include <vector>

#include "emo/emo.hpp"
#include "emo/fusion.hpp"

namespace emo::app {

// A fused window and its place in the stream's timeline (from 1, as printed).
struct NumberedSegment {
    int index = 0;
    VideoSegment segment;
};

class WindowPairing {
public:
    // `labels`: the fused labels (fusion::fused_labels of both models).
    WindowPairing(double hop_seconds, config::FusionConfig fusion, std::vector<std::string> labels);
    void add(const std::vector<WindowResult>& speech);
    void add(const std::vector<FaceWindow>& face);
    // An input that has ended (or is not used): its missing windows no longer hold the others back.
    void end_speech() { speech_done_ = true; }
    void end_face() { face_done_ = true; }
    bool finished() const;  // both inputs ended and every window taken
    // Whether the next window can be taken (both inputs have it, or the one without it has ended), or all are.
    bool next_ready() const;
    // Every window that can be taken now, in order, fused.
    std::vector<NumberedSegment> take_ready();
    const std::vector<std::string>& labels() const { return labels_; }

private:
    VideoSegment take_next();

    double hop_;
    config::FusionConfig fusion_;
    std::vector<std::string> labels_;
    std::map<long, WindowResult> speech_;
    std::map<long, FaceWindow> face_;
    bool speech_done_ = false, face_done_ = false;
    long next_ = 0;
};

}  // namespace emo::app
