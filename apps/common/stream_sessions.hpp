#pragma once
// emo-serve's live streams: a client opens a stream, posts audio chunks and camera frames as they come, and
// reads one result per window (speech, face and fused, as emo-predict's video timeline lines) from an event
// stream. Each stream holds one window of audio and its pending results, however long it runs; streams nobody
// feeds or reads for `idle_seconds` are closed.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "emo/emo.hpp"
#include "emo/fusion.hpp"

namespace emo::app {

struct StreamRequest {
    bool audio = true, video = false;  // the inputs the client will send
    int sample_rate = 16000, channels = 1;
    std::string sample_format = "s16le";  // or f32le; little-endian interleaved
    StreamOptions windows;
};

struct StreamInfo {
    std::string id;
    double window_seconds = 0, hop_seconds = 0;
};

// What a reader gets: the lines ready now (maybe none, after the wait), and whether the stream has ended.
struct StreamEvents {
    std::vector<std::string> lines;
    bool ended = false;
};

class StreamSessions {
public:
    StreamSessions(const Predictor& predictor, config::FusionConfig fusion, int max_streams, double idle_seconds);
    ~StreamSessions();
    // Throws ConfigError for a bad request (no input, a rate or channel count out of range, bad windows) and
    // RuntimeError when max_streams are open.
    StreamInfo open(const StreamRequest& request);
    // Raw samples in the stream's format; a partial frame waits for the next chunk. Throws InputError
    // (unknown or closed stream: the id names it).
    double push_audio(const std::string& id, const std::string& bytes);
    // An encoded image (PNG, JPEG, ...) at `seconds` of stream time (none: the audio received so far, or the
    // time since the stream opened). Throws InputError for an undecodable image, an unknown stream, or a
    // time before the last frame's.
    double push_frame(const std::string& id, const std::string& image, std::optional<double> seconds);
    // No more input: the last, shorter window is scored and the reader's stream ends after it.
    void close(const std::string& id);
    // Waits up to `wait` for results. Throws InputError for an unknown stream.
    StreamEvents next(const std::string& id, std::chrono::milliseconds wait);
    // The server is stopping: every waiting reader returns at once with its stream ended.
    void shut_down();
    // Whether the stream exists (a reader's stream that ended is gone).
    bool exists(const std::string& id) const;

private:
    struct Session;
    std::shared_ptr<Session> find(const std::string& id) const;
    void close_idle();

    const Predictor& predictor_;
    config::FusionConfig fusion_;
    int max_streams_;
    double idle_seconds_;
    mutable std::mutex m_;
    std::map<std::string, std::shared_ptr<Session>> sessions_;
    std::atomic<bool> shutting_down_{false};
};

}  // namespace emo::app
