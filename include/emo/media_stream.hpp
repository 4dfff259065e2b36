#pragma once
// A media container read once, front to back, as its bytes arrive from a file descriptor (a pipe such as
// `ffmpeg ... -f matroska -`): audio decoded to mono float, video frames to RGB. Nothing is seeked or read twice,
// so it works where the video timeline (emo/video.hpp), which opens its file several times, cannot.
// FFmpeg stays behind Impl.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "emo/camera.hpp"

namespace emo::video {

// One decoded piece, in the order the container holds them.
struct MediaPiece {
    bool is_frame = false;
    std::vector<float> samples;  // audio (mono, at the stream's sample_rate) when !is_frame
    vision::Frame frame;         // a frame; seconds from the start of the video track
};

class MediaStream {
public:
    // `already_read`: bytes taken from `fd` before (a sniffed header), read again first. Throws InputError naming
    // `name` when FFmpeg recognises no container, or the container has neither an audio nor a video track.
    MediaStream(int fd, std::string already_read, const std::string& name, int sample_rate);
    MediaStream(MediaStream&&) noexcept;
    ~MediaStream();
    bool has_audio() const;
    bool has_video() const;
    // The next piece; false at the end of the stream (or when a read is interrupted by a signal). Frames for which
    // `want_frame(seconds)` is false are skipped before their conversion to RGB.
    bool next(MediaPiece& piece, const std::function<bool(double)>& want_frame);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace emo::video
