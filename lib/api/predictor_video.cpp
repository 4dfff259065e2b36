// Predictor's timelines: videos and long recordings, segment by segment, fused.
#include "emo/config.hpp"
#include "emo/fusion.hpp"
#include "emo/video.hpp"
#include "predictor_impl.hpp"
#include "results.hpp"

namespace emo {
namespace {

video::VideoOptions internal_options(const VideoOptions& o, float silence_db) {
    video::VideoOptions out;
    out.segment_seconds = float(o.segment_seconds);
    out.frames_per_second = float(o.frames_per_second);
    out.detect_side = o.detect_side;
    out.silence_db = silence_db;
    return out;
}

config::FusionConfig fusion_config(const FusionOptions& o) {
    const std::string file = o.config.empty() ? default_fusion_config_path() : o.config;
    auto config = file.empty() ? config::FusionConfig{} : config::load_fusion_config(file);
    if (o.face_weight >= 0) {
        if (o.face_weight > 1) {
            throw ConfigError("FusionOptions::face_weight: expected 0..1 (< 0: the config's), got " +
                              std::to_string(o.face_weight));
        }
        config.face_weight = o.face_weight;
        config.speech_weight = 1.0f - o.face_weight;
    }
    if (!o.rule.empty()) config.rule = config::parse_rule(o.rule, "FusionOptions::rule");
    return config;
}

}  // namespace

void VideoOptions::validate() const { internal_options(*this, -1.0f).validate(); }

std::vector<std::string> Predictor::video_labels(const FusionOptions& fusion) const {
    return fusion::fused_labels(fusion_config(fusion),
                                {impl_->face_model().metadata().labels, impl_->speech_model().metadata().labels});
}

VideoResult Predictor::predict_video(const std::string& path, const VideoOptions& options,
                                     const std::function<void(const VideoSegment&)>& on_segment,
                                     const std::function<void(double, double)>& on_progress) const {
    const auto& face = impl_->face_model();
    const auto& speech = impl_->speech_model();
    const auto internal = internal_options(options, impl_->speech_activity.speech_db);
    internal.validate();
    const auto fusion = fusion_config(options.fusion);
    const auto summary = video::analyse(
        path, face, speech, fusion, internal,
        [&](const video::Segment& s) {
            if (on_segment) on_segment(api::video_segment(s));
        },
        on_progress);
    VideoResult out;
    out.source = path;
    out.duration = summary.duration;
    out.segments = summary.segments;
    out.segments_with_face = summary.segments_with_face;
    out.segments_with_speech = summary.segments_with_speech;
    out.has_video = summary.has_video;
    out.has_audio = summary.has_audio;
    out.found_by = summary.found_by;
    out.face_tracks = summary.tracks;
    if (summary.fused) out.fused = {summary.fused->labels, summary.fused->values};
    out.face_weight = fusion.face_weight;
    out.speech_weight = fusion.speech_weight;
    out.rule = config::rule_name(fusion.rule);
    out.notes = summary.notes;
    return out;
}

bool is_video_file(const std::string& path) { return video::is_video_file(path); }

double media_seconds(const std::string& path) { return video::media_seconds(path); }

}  // namespace emo
