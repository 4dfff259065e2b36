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

std::size_t argmax(const std::vector<float>& v) {
    return std::size_t(std::max_element(v.begin(), v.end()) - v.begin());
}

Json scores_json(const std::vector<std::string>& labels, const std::vector<float>& values) {
    if (values.empty()) return nullptr;
    const auto best = argmax(values);
    Json scores = Json::object();
    for (std::size_t i = 0; i < labels.size(); ++i) scores[labels[i]] = values[i];
    return {{"label", labels[best]}, {"confidence", values[best]}, {"scores", scores}};
}
Json scores_json(const std::optional<fusion::Scores>& s) { return s ? scores_json(s->labels, s->values) : nullptr; }
Json scores_json(const std::optional<fusion::Fused>& f) { return f ? scores_json(f->labels, f->values) : nullptr; }

// Every face of the segment with its track id: the same id is the same face in other segments.
Json tracked_faces_json(const std::vector<video::TrackedFace>& faces) {
    Json out = Json::array();
    for (const auto& f : faces) {
        Json face = {{"track", f.track}, {"frames", f.frames}, {"box", {f.box.x, f.box.y, f.box.width, f.box.height}}};
        face.update(scores_json(f.scores.labels, f.scores.values));
        out.push_back(std::move(face));
    }
    return out;
}

std::string text_of(const std::vector<std::string>& labels, const std::vector<float>& values) {
    const auto best = argmax(values);
    std::ostringstream s;
    s << labels[best] << ' ' << std::fixed << std::setprecision(3) << values[best];
    return s.str();
}

void csv_pair(const std::vector<std::string>& labels, const std::vector<float>& values, std::ostream& out) {
    if (values.empty()) {
        out << ",,";
        return;
    }
    const auto best = argmax(values);
    out << ',' << labels[best] << ',' << values[best];
}

}  // namespace

void add_video_options(CLI::App& app, video::VideoOptions& options) {
    app.add_option("--segment", options.segment_seconds, "videos: timeline segment length in seconds")
        ->capture_default_str();
    app.add_option("--fps", options.frames_per_second, "videos: frames per second searched for faces")
        ->capture_default_str();
    app.add_option("--detect-side", options.detect_side,
                   "faces are searched on a copy at most this large (pixels): video frames always, photos when given "
                   "(default for photos: the model's detector.max_side, 640)")
        ->capture_default_str();
    app.add_option("--silence-db", options.silence_db,
                   "clips and video segments without 0.2 s of sound this loud (dBFS) have no speech (default: the "
                   "speech model's input.speech_db)")
        ->capture_default_str();
}

config::FusionConfig load_fusion(const std::string& path, std::string* from) {
    const std::string file = path.empty() ? shipped_config("fusion.yaml") : path;
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

void print_segment(const std::string& file, int index, const video::Segment& s, const std::vector<std::string>& columns,
                   Format format, std::ostream& out) {
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
        csv_pair(s.face ? s.face->labels : columns, s.face ? s.face->values : std::vector<float>{}, out);
        csv_pair(s.speech ? s.speech->labels : columns, s.speech ? s.speech->values : std::vector<float>{}, out);
        csv_pair(columns, s.fused ? s.fused->values : std::vector<float>{}, out);
        for (std::size_t i = 0; i < columns.size(); ++i)
            out << ',' << (s.fused ? std::to_string(s.fused->values[i]) : "");
        out << '\n';
    } else {
        out << file << '\t' << std::fixed << std::setprecision(2) << s.start << '-' << s.end << "\tface "
            << (s.face ? text_of(s.face->labels, s.face->values) : "-") << "\tspeech "
            << (s.speech   ? text_of(s.speech->labels, s.speech->values)
                : s.silent ? "silent"
                           : "-")
            << "\tfused " << (s.fused ? text_of(s.fused->labels, s.fused->values) : "-") << '\n';
    }
    out.flush();
}

std::vector<std::string> video_labels(const models::FaceModel& face, const models::SpeechModel& speech,
                                      const config::FusionConfig& fusion) {
    return fusion::fused_labels(fusion, {face.metadata().labels, speech.metadata().labels});
}

void print_video_csv_header(const std::vector<std::string>& labels, std::ostream& out) {
    out << "file,segment,start,end,face_label,face_confidence,speech_label,speech_confidence,fused_label,"
           "fused_confidence";
    for (const auto& l : labels) out << ',' << l;
    out << '\n';
}

void print_video(const std::string& file, const models::FaceModel& face, const models::SpeechModel& speech,
                 const config::FusionConfig& fusion, const video::VideoOptions& options, Format format,
                 std::ostream& out) {
    ProgressBar bar;
    int index = 0;
    const auto columns = video_labels(face, speech, fusion);
    const auto on_segment = [&](const video::Segment& s) {
        bar.clear();  // the segment's line goes where the bar was
        print_segment(file, ++index, s, columns, format, out);
    };
    const auto summary =
        video::analyse(file, face, speech, fusion, options, on_segment, [&](double done, double total) {
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
                  {"face_tracks", summary.tracks},
                  {"fused", scores_json(summary.fused)},
                  {"weights", {{"face", fusion.face_weight}, {"speech", fusion.speech_weight}}},
                  {"rule", config::rule_name(fusion.rule)},
                  {"notes", summary.notes}};
        out << Json{{"file", file}, {"summary", s}}.dump() << '\n';
    } else if (format == Format::kCsv) {
        out << core::csv_field(file) << ",summary,0," << summary.duration << ",,,,";
        csv_pair(columns, summary.fused ? summary.fused->values : std::vector<float>{}, out);
        for (std::size_t i = 0; i < columns.size(); ++i)
            out << ',' << (summary.fused ? std::to_string(summary.fused->values[i]) : "");
        out << '\n';
    } else {
        out << file << "\tsummary\t" << (summary.fused ? text_of(summary.fused->labels, summary.fused->values) : "-")
            << "\t(" << summary.segments << " segments, " << summary.segments_with_face << " with a face, "
            << summary.segments_with_speech << " with speech; " << summary.tracks << " face track"
            << (summary.tracks == 1 ? "" : "s") << " by " << summary.found_by << ")\n";
    }
}

}  // namespace emo::app
