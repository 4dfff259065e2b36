#include "stream.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <optional>
#include <cstdint>
#include <functional>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "emo/camera.hpp"
#include "emo/core.hpp"
#include "emo/media_stream.hpp"
#include "emo/microphone.hpp"
#include "emo/pcm_stream.hpp"
#include "video_output.hpp"
#include "window_pairing.hpp"

namespace emo::app {
namespace {
constexpr const char* kStdin = "-";
constexpr int kMediaRate = 16000;  // containers' audio is decoded at this rate (the predictor resamples as for files)

audio::PcmStreamReader open_raw_reader(int fd, const StdinAudio& a) {
    audio::PcmFormat format{a.rate, a.channels, audio::parse_sample_format(a.raw_format, "--raw-format")};
    if (a.rate <= 0) throw ConfigError("--rate: raw samples need their sample rate in Hz (--rate N)");
    if (a.channels < 1) throw ConfigError("--channels: expected >= 1, got " + std::to_string(a.channels));
    return audio::PcmStreamReader::raw(fd, kStdin, format);
}

// Up to `n` bytes from `fd`, fewer only at its end.
std::string read_head(int fd, std::size_t n) {
    std::string head(n, '\0');
    std::size_t got = 0;
    while (got < n) {
        const auto r = ::read(fd, head.data() + got, n - got);
        if (r > 0) got += std::size_t(r);
        else if (r == 0 || errno != EINTR) break;
    }
    head.resize(got);
    return head;
}

// {label: score, ...} in the model's label order.
nlohmann::ordered_json scores_object(const Scores& s) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (std::size_t k = 0; k < s.labels.size(); ++k) j[s.labels[k]] = s.values[k];
    return j;
}
}  // namespace

void print_window_header(const std::vector<std::string>& labels, Format format, std::ostream& out) {
    if (format != Format::kCsv) return;
    out << "file,start,end,label,confidence";
    for (const auto& l : labels) out << ',' << l;
    out << '\n';
}

void print_window(const std::string& file, const WindowResult& w, const std::vector<std::string>& labels, Format format,
                  std::ostream& out) {
    const auto& r = w.result;
    const std::string label = r.no_speech ? "no speech" : r.scores.label();
    switch (format) {
        case Format::kText:
            out << file << '\t' << std::fixed << std::setprecision(2) << w.start << '-' << w.end << '\t' << label;
            if (!r.no_speech) out << '\t' << std::setprecision(3) << r.scores.confidence();
            out << '\n';
            break;
        case Format::kJson: {
            nlohmann::ordered_json j{{"file", file}, {"modality", "speech"}, {"start", w.start}, {"end", w.end}};
            if (r.no_speech) j["no_speech"] = true;  // as emo-predict writes a clip without speech
            if (!r.no_speech) {
                j["label"] = label;
                j["confidence"] = r.scores.confidence();
                j["scores"] = scores_object(r.scores);
            }
            j["precision"] = r.precision;
            out << j.dump() << '\n';
            break;
        }
        case Format::kCsv:
            out << core::csv_field(file) << ',' << w.start << ',' << w.end << ',' << label << ',';
            if (!r.no_speech) out << r.scores.confidence();
            for (const auto& l : labels) {
                out << ',';
                if (!r.no_speech) out << r.scores.of(l);
            }
            out << '\n';
            break;
    }
    out.flush();
}

namespace {
std::atomic<bool> interrupted{false};
extern "C" void on_interrupt(int) { interrupted = true; }
}  // namespace

bool stream_interrupted() { return interrupted; }

void stop_streams_on_interrupt() {
    struct sigaction action {};
    action.sa_handler = on_interrupt;  // no SA_RESTART: a blocked read returns
    sigaction(SIGINT, &action, nullptr);
}

namespace {
// Scores `next()`'s samples (mono at `rate`) window by window until it gives none, the limit, or Ctrl-C.
void run_stream(const std::string& name, const std::function<std::vector<float>(std::size_t)>& next, int rate,
                const Predictor& predictor, const StreamOptions& windows, const StreamLimits& limits, Format format,
                std::ostream& out) {
    SpeechStream stream(predictor, rate, 1, windows);
    const auto labels = predictor.speech_labels();
    print_window_header(labels, format, out);
    stop_streams_on_interrupt();
    const std::size_t limit = limits.seconds > 0 ? std::size_t(limits.seconds * rate) : SIZE_MAX;
    // At most a tenth of a second at a time, so a window is scored as soon as its last sample arrives.
    const auto chunk = std::size_t(std::max(1, rate / 10));
    std::size_t taken = 0;
    try {
        while (taken < limit && !interrupted) {
            auto samples = next(std::min(chunk, limit - taken));
            if (samples.empty()) break;
            samples.resize(std::min(samples.size(), limit - taken));
            taken += samples.size();
            for (const auto& w : stream.push(samples.data(), samples.size()))
                print_window(name, w, labels, format, out);
        }
    } catch (const InputError&) {
        if (!interrupted) {
            for (const auto& w : stream.finish()) print_window(name, w, labels, format, out);
            throw;
        }
    }
    for (const auto& w : stream.finish()) print_window(name, w, labels, format, out);
}
}  // namespace

namespace {
// Opens a reader; a stream the library does not recognise gets the flag that reads it as raw samples named.
template <class Open>
auto with_raw_hint(Open open) {
    try {
        return open();
    } catch (const InputError& e) {
        if (std::string(e.what()).find(": not a WAV stream") == std::string::npos) throw;
        throw Error(ExitCode::kBadInput, std::string(e.what()) + "; raw samples need --raw-format");
    }
}

// A container with a video track from `media`: faces and speech per window, paired and fused, as a video timeline.
void run_media_timeline(video::MediaStream& media, const Predictor& predictor, const StreamOptions& windows,
                        const StreamLimits& limits, const StdinVideo& v, Format format, std::ostream& out) {
    StreamOptions both = windows;
    if (both.window_seconds <= 0) both.window_seconds = predictor.speech_segment_seconds();
    const auto labels = fusion::fused_labels(v.fusion, {predictor.face_labels(), predictor.speech_labels()});
    WindowPairing pairing(both.hop_seconds, v.fusion, labels);
    std::optional<SpeechStream> speech;
    if (media.has_audio()) speech.emplace(predictor, kMediaRate, 1, both);
    else pairing.end_speech();
    FaceStream face(predictor, both);
    if (format == Format::kCsv) print_video_csv_header(labels, out);
    const auto print_ready = [&] {
        for (const auto& w : pairing.take_ready())
            print_segment(kStdin, w.index, w.segment, labels.size(), format, out);
    };
    const double limit = limits.seconds > 0 ? limits.seconds : INFINITY;
    double next_frame = 0, audio_seconds = 0, video_seconds = 0;
    const auto want_frame = [&](double t) {
        video_seconds = std::max(video_seconds, t);  // a frame past the limit ends a stream without audio
        return t >= next_frame && t < limit;
    };
    video::MediaPiece piece;
    while (!interrupted && (speech ? audio_seconds : video_seconds) < limit && media.next(piece, want_frame)) {
        if (piece.is_frame) {
            next_frame = piece.frame.seconds + 1.0 / v.fps;
            pairing.add(
                face.push(piece.frame.rgb.data(), piece.frame.width, piece.frame.height, 3, piece.frame.seconds));
        } else if (speech) {
            if (std::isfinite(limit)) {
                const auto room = std::size_t(std::max(0.0, (limit - audio_seconds) * kMediaRate));
                if (piece.samples.size() > room) piece.samples.resize(room);
            }
            audio_seconds += double(piece.samples.size()) / kMediaRate;
            pairing.add(speech->push(piece.samples.data(), piece.samples.size()));
        }
        print_ready();
    }
    if (speech) pairing.add(speech->finish());
    pairing.add(face.finish());
    pairing.end_speech();
    pairing.end_face();
    print_ready();
}
}  // namespace

int predict_stream(int fd, const StdinAudio& a, const StdinVideo& v, const Predictor& predictor,
                   const StreamOptions& windows, const StreamLimits& limits, Format format, std::ostream& out) {
    if (!a.raw_format.empty()) {
        auto reader = open_raw_reader(fd, a);
        run_stream(
            kStdin, [&](std::size_t n) { return reader.read_mono(n); }, a.rate, predictor, windows, limits, format,
            out);
        return 0;
    }
    stop_streams_on_interrupt();
    auto head = read_head(fd, 12);
    if (head.size() < 12 || head.compare(0, 4, "RIFF") == 0) {  // WAV, or too short to be anything else
        auto reader = with_raw_hint([&] { return audio::PcmStreamReader::wav(fd, kStdin, std::move(head)); });
        run_stream(
            kStdin, [&](std::size_t n) { return reader.read_mono(n); }, reader.format().sample_rate, predictor, windows,
            limits, format, out);
        return 0;
    }
    auto media = with_raw_hint([&] { return video::MediaStream(fd, std::move(head), kStdin, kMediaRate); });
    if (media.has_video()) {
        run_media_timeline(media, predictor, windows, limits, v, format, out);
        return 0;
    }
    video::MediaPiece piece;
    const auto no_frames = [](double) { return false; };
    run_stream(
        kStdin,
        [&](std::size_t) { return media.next(piece, no_frames) ? std::move(piece.samples) : std::vector<float>{}; },
        kMediaRate, predictor, windows, limits, format, out);
    return 0;
}

int predict_microphone(const std::string& device, const Predictor& predictor, const StreamOptions& windows,
                       const StreamLimits& limits, Format format, std::ostream& out) {
    constexpr int kRate = 16000;  // resampled to the model's rate by the predictor like any input
    audio::Microphone mic(device, kRate, [](const std::string& m) { spdlog::warn("{}", m); });
    run_stream(
        "mic:" + device, [&](std::size_t n) { return mic.read_mono(n); }, kRate, predictor, windows, limits, format,
        out);
    return 0;
}

void print_face_window(const std::string& name, const FaceWindow& w, const std::vector<std::string>& labels,
                       Format format, std::ostream& out) {
    const bool face = !w.scores.empty();
    switch (format) {
        case Format::kText:
            out << name << '\t' << std::fixed << std::setprecision(2) << w.start << '-' << w.end << '\t'
                << (face ? w.scores.label() : "no face");
            if (face) out << '\t' << std::setprecision(3) << w.scores.confidence();
            out << "\tfaces in " << w.frames_with_face << '/' << w.frames << " frames\n";
            break;
        case Format::kJson: {
            nlohmann::ordered_json j{{"file", name}, {"modality", "face"}, {"start", w.start},
                                     {"end", w.end}, {"frames", w.frames}, {"frames_with_face", w.frames_with_face}};
            if (face) {
                j["label"] = w.scores.label();
                j["confidence"] = w.scores.confidence();
                j["scores"] = scores_object(w.scores);
            }
            out << j.dump() << '\n';
            break;
        }
        case Format::kCsv:
            out << core::csv_field(name) << ',' << w.start << ',' << w.end << ',' << w.frames << ','
                << w.frames_with_face << ',' << (face ? w.scores.label() : "no face") << ',';
            if (face) out << w.scores.confidence();
            for (const auto& l : labels) {
                out << ',';
                if (face) out << w.scores.of(l);
            }
            out << '\n';
            break;
    }
    out.flush();
}

int predict_camera(const std::string& source, const Predictor& predictor, const StreamOptions& windows,
                   const StreamLimits& limits, double fps, Format format, std::ostream& out) {
    vision::Camera camera(source);
    FaceStream stream(predictor, windows);
    const auto labels = predictor.face_labels();
    const std::string name = "camera:" + source;
    if (format == Format::kCsv) {
        out << "file,start,end,frames,frames_with_face,label,confidence";
        for (const auto& l : labels) out << ',' << l;
        out << '\n';
    }
    stop_streams_on_interrupt();
    vision::Frame frame;
    double next_frame = 0;  // frames are scored at most fps a second
    while (!interrupted && camera.read(frame)) {
        if (limits.seconds > 0 && frame.seconds >= limits.seconds) break;
        if (frame.seconds < next_frame) continue;
        next_frame = frame.seconds + 1.0 / fps;
        for (const auto& w : stream.push(frame.rgb.data(), frame.width, frame.height, 3, frame.seconds))
            print_face_window(name, w, labels, format, out);
    }
    for (const auto& w : stream.finish()) print_face_window(name, w, labels, format, out);
    return 0;
}

}  // namespace emo::app
