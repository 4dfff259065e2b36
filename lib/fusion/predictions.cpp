// Fusion's inputs from the models run on paired files (saved emo-predict JSON: prediction_json.cpp).
#include "emo/error.hpp"
#include "emo/fusion.hpp"

namespace emo::fusion {

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
