#include "emo/prediction_json.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "emo/error.hpp"
#include "emo/line_reader.hpp"

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

}  // namespace emo::fusion
