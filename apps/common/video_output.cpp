#include "video_output.hpp"

#include <spdlog/spdlog.h>

#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "emo/core.hpp"
#include "progress.hpp"

namespace emo::app {
namespace {
using Json = nlohmann::ordered_json;

Json scores_json(const Scores& s) {
    if (s.empty()) return nullptr;
    Json scores = Json::object();
    for (std::size_t i = 0; i < s.labels.size(); ++i) scores[s.labels[i]] = s.values[i];
    return {{"label", s.label()}, {"confidence", s.confidence()}, {"scores", scores}};
}

// Every face of the segment with its track id: the same id is the same face in other segments.
Json tracked_faces_json(const std::vector<TrackedFace>& faces) {
    Json out = Json::array();
    for (const auto& f : faces) {
        Json face = {{"track", f.track}, {"frames", f.frames}, {"box", {f.box.x, f.box.y, f.box.width, f.box.height}}};
        face.update(scores_json(f.scores));
        out.push_back(std::move(face));
    }
    return out;
}

std::string text_of(const Scores& s) {
    std::ostringstream text;
    text << s.label() << ' ' << std::fixed << std::setprecision(3) << s.confidence();
    return text.str();
}

void csv_pair(const Scores& s, std::ostream& out) {
    if (s.empty()) out << ",,";
    else out << ',' << s.label() << ',' << s.confidence();
}

// The fused scores as one column per label (empty when there are none).
void csv_columns(const Scores& fused, std::size_t columns, std::ostream& out) {
    for (std::size_t i = 0; i < columns; ++i) out << ',' << (fused.empty() ? "" : std::to_string(fused.values[i]));
    out << '\n';
}

}  // namespace

void add_video_options(CLI::App& app, VideoOptions& options, PredictorOptions& predictor) {
    app.add_option("--segment", options.segment_seconds, "videos: timeline segment length in seconds")
        ->capture_default_str();
    app.add_option("--fps", options.frames_per_second, "videos: frames per second searched for faces")
        ->capture_default_str();
    app.add_option("--detect-side", options.detect_side,
                   "faces are searched on a copy at most this large (pixels): video frames always, photos when given "
                   "(default for photos: the model's detector.max_side, 640)")
        ->capture_default_str();
    app.add_option("--silence-db", predictor.silence_db,
                   "clips and video segments without 0.2 s of sound this loud (dBFS) have no speech (default: the "
                   "speech model's input.speech_db)");
}

config::FusionConfig load_fusion(const std::string& path, std::string* from) {
    const std::string file = path.empty() ? default_fusion_config_path() : path;
    if (from) *from = file.empty() ? "built-in default" : file;
    return file.empty() ? config::FusionConfig{} : config::load_fusion_config(file);
}

namespace {
std::string minutes(double seconds) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%d:%02d", int(seconds) / 60, int(seconds) % 60);
    return buf;
}
}  // namespace

void print_segment(const std::string& file, int index, const VideoSegment& s, std::size_t columns, Format format,
                   std::ostream& out) {
    if (format == Format::kJson) {
        out << Json{{"file", file},
                    {"start", s.start},
                    {"end", s.end},
                    {"face", scores_json(s.face)},
                    {"faces", tracked_faces_json(s.faces)},
                    {"speech", scores_json(s.speech)},
                    {"fused", scores_json(s.fused)}}
                   .dump()
            << '\n';
    } else if (format == Format::kCsv) {
        out << core::csv_field(file) << ',' << index << ',' << s.start << ',' << s.end;
        csv_pair(s.face, out);
        csv_pair(s.speech, out);
        csv_pair(s.fused, out);
        csv_columns(s.fused, columns, out);
    } else {
        out << file << '\t' << std::fixed << std::setprecision(2) << s.start << '-' << s.end << "\tface "
            << (s.face.empty() ? "-" : text_of(s.face)) << "\tspeech "
            << (!s.speech.empty() ? text_of(s.speech)
                : s.silent        ? "silent"
                                  : "-")
            << "\tfused " << (s.fused.empty() ? "-" : text_of(s.fused)) << '\n';
    }
    out.flush();
}

void print_video_csv_header(const std::vector<std::string>& labels, std::ostream& out) {
    out << "file,segment,start,end,face_label,face_confidence,speech_label,speech_confidence,fused_label,"
           "fused_confidence";
    for (const auto& l : labels) out << ',' << l;
    out << '\n';
}

void print_video(const std::string& file, const Predictor& predictor, const VideoOptions& options, Format format,
                 std::ostream& out) {
    ProgressBar bar;
    int index = 0;
    const auto columns = predictor.video_labels(options.fusion).size();
    const auto on_segment = [&](const VideoSegment& s) {
        bar.clear();  // the segment's line goes where the bar was
        print_segment(file, ++index, s, columns, format, out);
    };
    const auto summary = predictor.predict_video(file, options, on_segment, [&](double done, double total) {
        bar.update(total > 0 ? done / total : 0.0, file, minutes(done) + " / " + minutes(total));
    });
    bar.clear();
    for (const auto& note : summary.notes) spdlog::warn("{}: {}", file, note);
    if (format == Format::kJson) {
        Json s = {{"duration", summary.duration},
                  {"segments", summary.segments},
                  {"segments_with_face", summary.segments_with_face},
                  {"segments_with_speech", summary.segments_with_speech},
                  {"audio", summary.has_audio},
                  {"video", summary.has_video},
                  {"found_by", summary.found_by},
                  {"face_tracks", summary.face_tracks},
                  {"fused", scores_json(summary.fused)},
                  {"weights", {{"face", summary.face_weight}, {"speech", summary.speech_weight}}},
                  {"rule", summary.rule},
                  {"notes", summary.notes}};
        out << Json{{"file", file}, {"summary", s}}.dump() << '\n';
    } else if (format == Format::kCsv) {
        out << core::csv_field(file) << ",summary,0," << summary.duration << ",,,,";
        csv_pair(summary.fused, out);
        csv_columns(summary.fused, columns, out);
    } else {
        out << file << "\tsummary\t" << (summary.fused.empty() ? "-" : text_of(summary.fused)) << "\t("
            << summary.segments << " segments, " << summary.segments_with_face << " with a face, "
            << summary.segments_with_speech << " with speech; " << summary.face_tracks << " face track"
            << (summary.face_tracks == 1 ? "" : "s") << " by " << summary.found_by << ")\n";
    }
}

}  // namespace emo::app
