// emo-predict --json's lines: one per audio clip or image.
#include <cmath>
#include <nlohmann/json.hpp>

#include "emo/emo.hpp"

namespace emo {
namespace {
using Json = nlohmann::ordered_json;

Json score_object(const Scores& scores) {
    Json j = Json::object();
    for (std::size_t i = 0; i < scores.labels.size(); ++i) j[scores.labels[i]] = scores.values[i];
    return j;
}

// [[x, y], ...], pixels rounded to tenths.
Json landmark_array(const std::vector<Point>& points) {
    Json j = Json::array();
    for (const auto& p : points)
        j.push_back({std::round(double(p.x) * 10.0) / 10.0, std::round(double(p.y) * 10.0) / 10.0});
    return j;
}
}  // namespace

std::string to_json_line(const SpeechResult& result) {
    if (result.no_speech) return Json{{"file", result.source}, {"modality", "speech"}, {"no_speech", true}}.dump();
    Json j{{"file", result.source},
           {"modality", "speech"},
           {"label", result.scores.label()},
           {"confidence", result.scores.confidence()},
           {"scores", score_object(result.scores)}};
    if (!result.precision.empty()) j["precision"] = result.precision;
    return j.dump();
}

std::string to_json_line(const ImageResult& result) {
    Json faces = Json::array();
    for (const auto& f : result.faces) {
        Json face{{"box", {f.box.x, f.box.y, f.box.width, f.box.height}}};
        if (!f.box.landmarks.empty()) face["landmarks"] = landmark_array(f.box.landmarks);
        face["label"] = f.scores.label();
        face["confidence"] = f.scores.confidence();
        face["scores"] = score_object(f.scores);
        faces.push_back(std::move(face));
    }
    Json j{{"file", result.source}, {"modality", "face"}, {"found_by", result.found_by}, {"faces", faces}};
    if (!result.precision.empty()) j["precision"] = result.precision;
    return j.dump();
}

}  // namespace emo
