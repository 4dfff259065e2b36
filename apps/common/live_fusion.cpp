#include "live_fusion.hpp"

#include <spdlog/spdlog.h>

#include <cmath>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "emo/camera.hpp"
#include "emo/microphone.hpp"
#include "emo/video.hpp"
#include "video_output.hpp"
#include "window_pairing.hpp"

namespace emo::app {
namespace {

// Both inputs' windows, filled by the two capture threads.
struct Pairing {
    std::mutex m;
    std::condition_variable changed;
    WindowPairing windows;
    std::exception_ptr failure;
};

}  // namespace

int predict_live(const std::string& mic_device, const std::string& camera_source, const Predictor& predictor,
                 const StreamOptions& windows, const StreamLimits& limits, double fps,
                 const config::FusionConfig& fusion_config, Format format, std::ostream& out) {
    // Both inputs with the same windows, so their k-th windows cover the same stream time.
    StreamOptions both = windows;
    if (both.window_seconds <= 0) both.window_seconds = predictor.speech_segment_seconds();
    constexpr int kRate = 16000;
    audio::Microphone mic(mic_device, kRate, [](const std::string& m) { spdlog::warn("{}", m); });
    vision::Camera camera(camera_source);
    const auto labels = fusion::fused_labels(fusion_config, {predictor.face_labels(), predictor.speech_labels()});
    if (format == Format::kCsv) print_video_csv_header(labels, out);
    Pairing p{{}, {}, WindowPairing(both.hop_seconds, fusion_config, labels), {}};
    const double limit = limits.seconds > 0 ? limits.seconds : INFINITY;
    const auto guarded = [&](void (WindowPairing::*end)(), const std::function<void()>& run) {
        try {
            run();
        } catch (...) {
            std::lock_guard lock(p.m);
            if (!p.failure) p.failure = std::current_exception();
        }
        std::lock_guard lock(p.m);
        (p.windows.*end)();
        p.changed.notify_all();
    };
    const auto keep = [&](const auto& completed) {
        std::lock_guard lock(p.m);
        p.windows.add(completed);
        p.changed.notify_all();
    };
    std::thread speech_thread([&] {
        guarded(&WindowPairing::end_speech, [&] {
            SpeechStream stream(predictor, kRate, 1, both);
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
        guarded(&WindowPairing::end_face, [&] {
            FaceStream stream(predictor, both);
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
    for (;;) {
        std::unique_lock lock(p.m);
        p.changed.wait(lock, [&] { return p.windows.next_ready(); });
        if (p.windows.finished()) break;
        const auto ready = p.windows.take_ready();
        lock.unlock();
        for (const auto& w : ready) print_segment("live", w.index, w.segment, labels.size(), format, out);
    }
    speech_thread.join();
    face_thread.join();
    if (p.failure) std::rethrow_exception(p.failure);
    return 0;
}

}  // namespace emo::app
