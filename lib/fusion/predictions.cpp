// Where fusion's inputs come from: saved emo-predict JSON, or the models run on paired files.
#include <fstream>
#include <nlohmann/json.hpp>

#include "emo/error.hpp"
#include "emo/line_reader.hpp"
#include "emo/fusion.hpp"

namespace emo::fusion {
namespace {

Scores scores_from_json(const nlohmann::ordered_json& scores) {
    Scores out;
    for (const auto& [label, p] : scores.items()) {
        out.labels.push_back(label);
        out.values.push_back(p.get<float>());
    }
    return out;
}
}  // namespace

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

std::optional<Scores> largest_face(const models::ImagePrediction& image, const std::vector<std::string>& labels) {
    const models::FaceResult* largest = nullptr;
    for (const auto& f : image.faces)
        if (!largest || f.box.width * f.box.height > largest->box.width * largest->box.height) largest = &f;
    if (!largest) return std::nullopt;
    return Scores{labels, largest->scores};
}

PairedScores predict_pairs(const std::vector<data::Pair>& pairs, const models::FaceModel& face,
                           const models::SpeechModel& speech, int threads) {
    std::vector<std::string> images, clips;
    for (const auto& p : pairs) images.push_back(p.face), clips.push_back(p.speech);
    const auto image_predictions = models::predict_image_files(face, images, vision::CropMode::kAuto, threads);
    const auto clip_predictions = models::predict_speech_files(speech, clips, threads);
    PairedScores out;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const auto& image = image_predictions[i];
        const auto& clip = clip_predictions[i];
        if (!image.error.empty()) throw Error(ExitCode::kBadInput, image.error);  // names the file
        if (!clip.error.empty()) throw Error(ExitCode::kBadInput, clip.error);
        auto face_scores = largest_face(image, face.metadata().labels);
        if (!face_scores) throw InputError(pairs[i].face, "no face found (a pair needs a face)");
        out.face.push_back(*face_scores);
        out.speech.push_back(Scores{speech.metadata().labels, clip.scores});
        out.truth.push_back(pairs[i].label);
    }
    return out;
}

}  // namespace emo::fusion
