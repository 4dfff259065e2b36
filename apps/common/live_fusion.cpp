#include "live_fusion.hpp"

#include <spdlog/spdlog.h>

#include <cmath>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "emo/camera.hpp"
#include "emo/microphone.hpp"
#include "emo/video.hpp"
#include "video_output.hpp"

namespace emo::app {
namespace {

// Windows of both inputs by index (start / hop), filled by the two capture threads.
struct Pairing {
    std::mutex m;
    std::condition_variable changed;
    std::map<long, WindowResult> speech;
    std::map<long, FaceWindow> face;
    bool speech_done = false, face_done = false;
    std::exception_ptr failure;
};

long index_of(double start, double hop) { return std::lround(start / hop); }

std::optional<fusion::Scores> to_scores(const Scores& s) {
    if (s.empty()) return std::nullopt;
    return fusion::Scores{s.labels, s.values};
}

}  // namespace

int predict_live(const std::string& mic_device, const std::string& camera_source, const Predictor& predictor,
                 const StreamOptions& windows, const StreamLimits& limits, double fps,
                 const config::FusionConfig& fusion_config, Format format, std::ostream& out) {
    // Both inputs with the same windows, so their k-th windows cover the same stream time.
    StreamOptions both = windows;
    if (both.window_seconds <= 0) both.window_seconds = predictor.speech_segment_seconds();
    constexpr int kRate = 16000;
    audio::Microphone mic(mic_device, kRate);
    vision::Camera camera(camera_source);
    const auto labels = fusion::fused_labels(fusion_config, {predictor.face_labels(), predictor.speech_labels()});
    if (format == Format::kCsv) print_video_csv_header(labels, out);
    Pairing p;
    const double limit = limits.seconds > 0 ? limits.seconds : INFINITY;
    const auto guarded = [&](bool& done, const std::function<void()>& run) {
        try {
            run();
        } catch (...) {
            std::lock_guard lock(p.m);
            if (!p.failure) p.failure = std::current_exception();
        }
        std::lock_guard lock(p.m);
        done = true;
        p.changed.notify_all();
    };
    std::thread speech_thread([&] {
        guarded(p.speech_done, [&] {
            SpeechStream stream(predictor, kRate, 1, both);
            const auto keep = [&](const std::vector<WindowResult>& ws) {
                std::lock_guard lock(p.m);
                for (const auto& w : ws) p.speech.emplace(index_of(w.start, both.hop_seconds), w);
                p.changed.notify_all();
            };
            double seconds = 0;
            while (seconds < limit && !stream_interrupted()) {
                auto samples = mic.read_mono(kRate / 10);
                if (samples.empty()) break;
                seconds += double(samples.size()) / kRate;
                keep(stream.push(samples.data(), samples.size()));
            }
            keep(stream.finish());
        });
    });
    std::thread face_thread([&] {
        guarded(p.face_done, [&] {
            FaceStream stream(predictor, both);
            const auto keep = [&](const std::vector<FaceWindow>& ws) {
                std::lock_guard lock(p.m);
                for (const auto& w : ws) p.face.emplace(index_of(w.start, both.hop_seconds), w);
                p.changed.notify_all();
            };
            vision::Frame frame;
            double next_frame = 0;
            while (!stream_interrupted() && camera.read(frame) && frame.seconds < limit) {
                if (frame.seconds < next_frame) continue;
                next_frame = frame.seconds + 1.0 / fps;
                keep(stream.push(frame.rgb.data(), frame.width, frame.height, 3, frame.seconds));
            }
            keep(stream.finish());
        });
    });
    // Window k is printed once both inputs have it, or the one without it has ended.
    for (long k = 0;; ++k) {
        std::unique_lock lock(p.m);
        p.changed.wait(lock, [&] { return (p.speech.count(k) || p.speech_done) && (p.face.count(k) || p.face_done); });
        const auto s = p.speech.find(k);
        const auto f = p.face.find(k);
        if (s == p.speech.end() && f == p.face.end()) break;
        video::Segment seg;
        seg.start = double(k) * both.hop_seconds;
        seg.end = std::max(s != p.speech.end() ? s->second.end : 0.0, f != p.face.end() ? f->second.end : 0.0);
        if (s != p.speech.end()) {
            seg.silent = s->second.result.no_speech;
            seg.speech = to_scores(s->second.result.scores);
        }
        if (f != p.face.end()) {
            seg.frames = f->second.frames;
            seg.frames_with_face = f->second.frames_with_face;
            seg.face = to_scores(f->second.scores);
        }
        if (seg.face || seg.speech) seg.fused = fusion::fuse(seg.face, seg.speech, fusion_config, labels);
        lock.unlock();
        print_segment("live", int(k + 1), seg, labels, format, out);
    }
    speech_thread.join();
    face_thread.join();
    if (p.failure) std::rethrow_exception(p.failure);
    return 0;
}

}  // namespace emo::app
