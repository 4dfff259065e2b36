#include "results.hpp"

#include "emo/vision.hpp"

namespace emo::api {

vision::CropMode crop_mode(Crop crop) {
    switch (crop) {
        case Crop::kWhole: return vision::CropMode::kWhole;
        case Crop::kDetect: return vision::CropMode::kDetect;
        case Crop::kAuto: break;
    }
    return vision::CropMode::kAuto;
}

Box box_of(const vision::FaceBox& box) {
    Box out{box.x, box.y, box.width, box.height, box.score, {}};
    for (const auto& p : box.landmarks) out.landmarks.push_back({p.x, p.y});
    return out;
}

SpeechResult speech_result(const models::ClipPrediction& p, const std::vector<std::string>& labels) {
    SpeechResult out;
    out.source = p.file;
    out.error = p.error;
    out.no_speech = p.no_speech;
    out.precision = p.precision;
    if (!p.scores.empty()) out.scores = {labels, p.scores};
    return out;
}

ImageResult image_result(const models::ImagePrediction& p, const std::vector<std::string>& labels) {
    ImageResult out;
    out.source = p.file;
    out.error = p.error;
    out.found_by = p.found_by;
    out.precision = p.precision;
    out.width = p.width;
    out.height = p.height;
    for (const auto& f : p.faces) out.faces.push_back({box_of(f.box), {labels, f.scores}});
    return out;
}

namespace {
Scores scores_of(const std::optional<fusion::Scores>& s) { return s ? Scores{s->labels, s->values} : Scores{}; }
}  // namespace

VideoSegment video_segment(const video::Segment& s) {
    VideoSegment out;
    out.start = s.start;
    out.end = s.end;
    out.frames = s.frames;
    out.frames_with_face = s.frames_with_face;
    out.silent = s.silent;
    for (const auto& f : s.faces)
        out.faces.push_back({f.track, f.frames, box_of(f.box), {f.scores.labels, f.scores.values}});
    out.face = scores_of(s.face);
    out.speech = scores_of(s.speech);
    if (s.fused) out.fused = {s.fused->labels, s.fused->values};
    return out;
}

}  // namespace emo::api
