#include "stream_sessions.hpp"

#include <condition_variable>
#include <cmath>
#include <cstring>
#include <deque>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <sstream>

#include "video_output.hpp"
#include "window_pairing.hpp"

namespace emo::app {
namespace {
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxPendingLines = 600;  // results nobody has read yet: 10 minutes at the default hop

std::string random_id() {
    static std::mutex m;
    static std::mt19937_64 rng{std::random_device{}()};
    std::lock_guard lock(m);
    std::ostringstream out;
    out << std::hex << rng() << rng();
    return out.str();
}

double seconds_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

}  // namespace

struct StreamSessions::Session {
    std::string id;
    StreamRequest request;
    std::mutex m;
    std::condition_variable changed;
    std::optional<SpeechStream> speech;
    std::optional<FaceStream> face;
    WindowPairing pairing;
    std::deque<std::string> ready;
    std::string partial_frame;  // bytes of an audio frame split between chunks
    std::vector<float> samples;
    double audio_seconds = 0, last_frame = -1;
    Clock::time_point opened = Clock::now(), last_input = opened, last_read = opened;
    bool closed = false, ended = false;

    Session(std::string session_id, const StreamRequest& r, const Predictor& predictor, StreamOptions windows,
            const config::FusionConfig& fusion, std::vector<std::string> labels)
        : id(std::move(session_id)), request(r), pairing(windows.hop_seconds, fusion, std::move(labels)) {
        if (r.audio) speech.emplace(predictor, r.sample_rate, r.channels, windows);
        else pairing.end_speech();
        if (r.video) face.emplace(predictor, windows);
        else pairing.end_face();
    }

    // Called with `m` held: the windows both inputs have as result lines.
    void collect() {
        for (const auto& w : pairing.take_ready()) {
            std::ostringstream line;
            print_segment("stream", w.index, w.segment, pairing.labels().size(), Format::kJson, line);
            auto text = line.str();
            if (!text.empty() && text.back() == '\n') text.pop_back();
            ready.push_back(std::move(text));
            if (ready.size() > kMaxPendingLines) ready.pop_front();
        }
        ended = pairing.finished();
        changed.notify_all();
    }

    void finish() {
        if (closed) return;
        closed = true;
        if (speech) pairing.add(speech->finish());
        if (face) pairing.add(face->finish());
        pairing.end_speech();
        pairing.end_face();
        collect();
    }

    InputError error(const std::string& what) const { return InputError("stream " + id, what); }
};

StreamSessions::StreamSessions(const Predictor& predictor, config::FusionConfig fusion, int max_streams,
                               double idle_seconds)
    : predictor_(predictor), fusion_(std::move(fusion)), max_streams_(max_streams), idle_seconds_(idle_seconds) {}

StreamSessions::~StreamSessions() = default;

StreamInfo StreamSessions::open(const StreamRequest& r) {
    if (!r.audio && !r.video) throw ConfigError("inputs: expected audio, video or both");
    if (r.sample_rate < 8000 || r.sample_rate > 192000)
        throw ConfigError("rate: expected 8000..192000 Hz, got " + std::to_string(r.sample_rate));
    if (r.channels < 1 || r.channels > 8)
        throw ConfigError("channels: expected 1..8, got " + std::to_string(r.channels));
    if (r.sample_format != "s16le" && r.sample_format != "f32le")
        throw ConfigError("format: expected s16le or f32le, got '" + r.sample_format + "'");
    close_idle();
    StreamOptions windows = r.windows;
    if (windows.window_seconds <= 0) windows.window_seconds = predictor_.speech_segment_seconds();
    const auto labels = fusion::fused_labels(fusion_, {predictor_.face_labels(), predictor_.speech_labels()});
    {
        std::lock_guard lock(m_);
        if (int(sessions_.size()) >= max_streams_) {
            throw RuntimeError("busy: " + std::to_string(max_streams_) + " streams already open (--max-streams)");
        }
    }
    auto session = std::make_shared<Session>(random_id(), r, predictor_, windows, fusion_, labels);
    std::lock_guard lock(m_);
    if (int(sessions_.size()) >= max_streams_)
        throw RuntimeError("busy: " + std::to_string(max_streams_) + " streams already open (--max-streams)");
    sessions_.emplace(session->id, session);
    return {session->id, windows.window_seconds, windows.hop_seconds};
}

std::shared_ptr<StreamSessions::Session> StreamSessions::find(const std::string& id) const {
    std::lock_guard lock(m_);
    const auto it = sessions_.find(id);
    if (it == sessions_.end())
        throw InputError("stream " + id, "no such stream (never opened, ended, or idle too long)");
    return it->second;
}

double StreamSessions::push_audio(const std::string& id, const std::string& bytes) {
    const auto s = find(id);
    std::lock_guard lock(s->m);
    if (!s->speech) throw s->error("this stream takes no audio (opened without it)");
    if (s->closed) throw s->error("closed: no more input");
    s->last_input = Clock::now();
    const bool f32 = s->request.sample_format == "f32le";
    const std::size_t sample_bytes = f32 ? 4 : 2, frame_bytes = sample_bytes * std::size_t(s->request.channels);
    std::string data = std::move(s->partial_frame) + bytes;
    const std::size_t frames = data.size() / frame_bytes, values = frames * std::size_t(s->request.channels);
    s->partial_frame = data.substr(frames * frame_bytes);
    s->samples.resize(values);
    for (std::size_t i = 0; i < values; ++i) {
        const auto* p = reinterpret_cast<const unsigned char*>(data.data()) + i * sample_bytes;
        if (f32) {
            const std::uint32_t bits =
                std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
            float v;
            std::memcpy(&v, &bits, sizeof v);
            s->samples[i] = std::isfinite(v) ? std::clamp(v, -1.0f, 1.0f) : 0.0f;
        } else {
            s->samples[i] = float(std::int16_t(std::uint16_t(p[0] | p[1] << 8))) / 32768.0f;
        }
    }
    s->pairing.add(s->speech->push(s->samples.data(), frames));
    s->audio_seconds += double(frames) / s->request.sample_rate;
    s->collect();
    return s->audio_seconds;
}

double StreamSessions::push_frame(const std::string& id, const std::string& image, std::optional<double> seconds) {
    const auto s = find(id);
    std::lock_guard lock(s->m);
    if (!s->face) throw s->error("this stream takes no frames (opened without video)");
    if (s->closed) throw s->error("closed: no more input");
    s->last_input = Clock::now();
    const double t = seconds ? *seconds : s->speech ? s->audio_seconds : seconds_between(s->opened, s->last_input);
    if (!std::isfinite(t) || t < 0 || t < s->last_frame) {
        throw s->error("frame time " + std::to_string(t) + " s: expected >= 0 and not before the last frame's (" +
                       std::to_string(std::max(0.0, s->last_frame)) + " s)");
    }
    cv::Mat bgr;
    try {
        bgr = cv::imdecode(cv::Mat(1, int(image.size()), CV_8U, const_cast<char*>(image.data())), cv::IMREAD_COLOR);
    } catch (const cv::Exception&) {
    }
    if (bgr.empty()) throw s->error("frame: not an image OpenCV can decode (PNG, JPEG, ...)");
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    s->last_frame = t;
    s->pairing.add(s->face->push(rgb.data, rgb.cols, rgb.rows, 3, t, rgb.step));
    s->collect();
    return t;
}

void StreamSessions::close(const std::string& id) {
    const auto s = find(id);
    std::lock_guard lock(s->m);
    s->finish();
}

StreamEvents StreamSessions::next(const std::string& id, std::chrono::milliseconds wait) {
    close_idle();
    const auto s = find(id);
    StreamEvents out;
    {
        std::unique_lock lock(s->m);
        s->changed.wait_for(lock, wait, [&] { return !s->ready.empty() || s->ended || shutting_down_; });
        s->last_read = Clock::now();
        out.lines.assign(std::make_move_iterator(s->ready.begin()), std::make_move_iterator(s->ready.end()));
        s->ready.clear();
        out.ended = s->ended || shutting_down_;
    }
    if (out.ended) {
        std::lock_guard lock(m_);
        sessions_.erase(id);
    }
    return out;
}

void StreamSessions::shut_down() {
    shutting_down_ = true;
    std::vector<std::shared_ptr<Session>> all;
    {
        std::lock_guard lock(m_);
        for (const auto& [id, s] : sessions_) all.push_back(s);
    }
    for (const auto& s : all) {
        std::lock_guard session(s->m);  // a reader between its check and its wait still sees the flag
        s->changed.notify_all();
    }
}

bool StreamSessions::exists(const std::string& id) const {
    std::lock_guard lock(m_);
    return sessions_.count(id) > 0;
}

// Streams fed nothing for idle_seconds are closed; ended streams nobody reads for as long are removed.
void StreamSessions::close_idle() {
    std::vector<std::shared_ptr<Session>> all;
    {
        std::lock_guard lock(m_);
        for (const auto& [id, s] : sessions_) all.push_back(s);
    }
    const auto now = Clock::now();
    for (const auto& s : all) {
        std::lock_guard lock(s->m);
        if (!s->closed && seconds_between(s->last_input, now) > idle_seconds_) s->finish();
        if (s->ended && seconds_between(std::max(s->last_read, s->last_input), now) > idle_seconds_) {
            std::lock_guard registry(m_);
            sessions_.erase(s->id);
        }
    }
}

}  // namespace emo::app
