#include "emo/prediction_json.hpp"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "emo/error.hpp"
#include "emo/line_reader.hpp"

namespace emo::fusion {
namespace {

nlohmann::ordered_json score_object(const std::vector<float>& scores, const std::vector<std::string>& labels) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < labels.size(); ++i) j[labels[i]] = scores[i];
    return j;
}

// YuNet's five landmarks as [[x, y], ...], pixels rounded to tenths.
nlohmann::ordered_json landmark_array(const std::vector<cv::Point2f>& points) {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const auto& p : points)
        j.push_back({std::round(double(p.x) * 10.0) / 10.0, std::round(double(p.y) * 10.0) / 10.0});
    return j;
}

Scores scores_from_json(const nlohmann::ordered_json& scores) {
    Scores out;
    for (const auto& [label, p] : scores.items()) {
        out.labels.push_back(label);
        out.values.push_back(p.get<float>());
    }
    return out;
}
}  // namespace

std::string speech_prediction_json(const models::ClipPrediction& p, const std::vector<std::string>& labels) {
    if (p.no_speech)
        return nlohmann::ordered_json{{"file", p.file}, {"modality", "speech"}, {"no_speech", true}}.dump();
    nlohmann::ordered_json j{{"file", p.file},
                             {"modality", "speech"},
                             {"label", p.label},
                             {"confidence", p.confidence},
                             {"scores", score_object(p.scores, labels)}};
    if (!p.precision.empty()) j["precision"] = p.precision;
    return j.dump();
}

std::string image_prediction_json(const models::ImagePrediction& p, const std::vector<std::string>& labels) {
    nlohmann::ordered_json faces = nlohmann::ordered_json::array();
    for (const auto& f : p.faces) {
        nlohmann::ordered_json face{{"box", {f.box.x, f.box.y, f.box.width, f.box.height}}};
        if (!f.box.landmarks.empty()) face["landmarks"] = landmark_array(f.box.landmarks);
        face["label"] = f.label;
        face["confidence"] = f.confidence;
        face["scores"] = score_object(f.scores, labels);
        faces.push_back(std::move(face));
    }
    nlohmann::ordered_json j{{"file", p.file}, {"modality", "face"}, {"found_by", p.found_by}, {"faces", faces}};
    if (!p.precision.empty()) j["precision"] = p.precision;
    return j.dump();
}

SavedPrediction read_prediction_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InputError(path, "cannot open prediction file");
    std::string line;
    core::read_line(in, line, path, 1);
    SavedPrediction out;
    try {
        const auto j = nlohmann::ordered_json::parse(line);  // keeps the model's label order
        out.file = j.value("file", path);
        out.modality = j.at("modality").get<std::string>();
        if (out.modality == "speech") {
            if (!j.value("no_speech", false)) out.scores = scores_from_json(j.at("scores"));
        } else if (out.modality == "face") {
            const nlohmann::ordered_json* largest = nullptr;
            long largest_area = -1;
            for (const auto& face : j.at("faces")) {
                const auto& box = face.at("box");
                const long area = box.at(2).get<long>() * box.at(3).get<long>();
                if (area > largest_area) largest = &face, largest_area = area;
            }
            if (largest) out.scores = scores_from_json(largest->at("scores"));
        } else {
            throw InputError(path, "modality: expected face or speech, got '" + out.modality + "'");
        }
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path, std::string("not an emo-predict --json line: ") + e.what());
    }
    if (out.scores && out.scores->labels.empty()) throw InputError(path, "scores: empty");
    return out;
}

}  // namespace emo::fusion
