#include "emo/argmax.hpp"
#include "emo/scoring.hpp"

#include <algorithm>
#include <filesystem>

#include "emo/data.hpp"
#include "emo/face_data.hpp"
#include "emo/models.hpp"
#include "emo/precision.hpp"
#include "emo/vision.hpp"
#include "results.hpp"

namespace emo::api {
namespace {

int label_index(const std::vector<std::string>& labels, const std::string& label, const std::string& item) {
    const auto it = std::find(labels.begin(), labels.end(), label);
    if (it == labels.end()) throw ConfigError(item + ": label '" + label + "' is not one the model knows");
    return int(it - labels.begin());
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ",") + s;
    return out;
}

// What the report says when the data's labels differ from the model's: data labels the model lacks
// are left out (their clips counted), model labels the data lacks can only be wrong predictions.
std::string label_coverage(const std::vector<std::string>& model_labels, const std::vector<std::string>& data_labels,
                           const std::map<std::string, int>& unscored) {
    std::string out, lacking;
    for (const auto& l : model_labels)
        if (std::find(data_labels.begin(), data_labels.end(), l) == data_labels.end()) lacking += " " + l;
    if (!lacking.empty()) {
        out += "\nscored on the data's labels only; the model's" + lacking +
               " are not in the data and count only as wrong predictions";
    }
    for (const auto& [label, n] : unscored) {
        out += "\nnot scored: " + std::to_string(n) + " clips labelled " + label + ", a label the model does not have";
    }
    return out;
}

ScoredData score_speech(const ScoringRequest& r) {
    const auto model = models::SpeechModel::load(r.model_path, {r.device, r.precision});
    ScoredData out;
    out.labels = model.metadata().labels;
    auto dataset = data::read_speech_dataset(r.data_path);
    if (!r.speakers.empty()) dataset.samples = data::select_speakers(dataset.samples, r.speakers, r.speakers_setting);
    std::vector<std::string> files, speakers;
    std::vector<int> truth;
    const auto grouping = models::parse_speaker_grouping(r.normalize, "normalize");
    for (const auto& s : dataset.samples) {
        if (std::find(out.labels.begin(), out.labels.end(), s.label) == out.labels.end()) {
            ++out.unscored[s.label];
            continue;
        }
        truth.push_back(label_index(out.labels, s.label, s.path));
        files.push_back(s.path);
        speakers.push_back(s.speaker);
    }
    out.precision = precision_name(model.precision());
    const std::string normalised =
        model.config().input.speaker_norm ? "\nspeaker normalisation: " + r.normalize : std::string();
    out.description = dataset.source + (r.speakers.empty() ? "" : " (speakers " + joined(r.speakers) + ")") +
                      normalised + label_coverage(out.labels, dataset.labels(), out.unscored);
    std::vector<std::string> scored_labels;
    for (int t : truth) scored_labels.push_back(out.labels[std::size_t(t)]);
    out.data_labels = data::labels_of(scored_labels);
    if (files.empty()) throw InputError(r.data_path, "no clip has a label the model knows");
    const auto predictions =
        models::predict_speech_files(model, files, r.threads, nullptr, models::speaker_groups(speakers, grouping));
    for (std::size_t i = 0; i < predictions.size(); ++i) {
        if (!predictions[i].error.empty()) {
            out.problems.push_back(predictions[i].error);
            continue;
        }
        out.truth.push_back(truth[i]);
        out.predicted.push_back(int(core::argmax(predictions[i].scores)));
        out.confidence.push_back(predictions[i].confidence);
        out.ids.push_back(files[i]);
    }
    return out;
}

ScoredData score_faces(const ScoringRequest& r) {
    const auto model = models::FaceModel::load(r.model_path, {r.device, r.precision});
    ScoredData out;
    out.labels = model.metadata().labels;
    const vision::FaceDetector detector(model.config().input);
    const auto faces = data::load_faces(r.data_path, r.split, detector, crop_mode(r.crop), r.threads, out.problems);
    out.precision = precision_name(model.precision());
    out.description = faces.source + (r.split.empty() ? "" : " (split " + r.split + ")");
    for (std::size_t i = 0; i < faces.count(); ++i) {
        out.truth.push_back(label_index(out.labels, faces.labels[i], faces.ids[i]));
    }
    out.ids = faces.ids;
    for (const auto& p : model.predict(faces.pixels.data(), faces.count())) {
        out.predicted.push_back(int(core::argmax(p)));
        out.confidence.push_back(p[std::size_t(out.predicted.back())]);
    }
    return out;
}

}  // namespace

ScoredData score_dataset(const ScoringRequest& request) {
    const bool face = models::read_metadata(request.model_path).modality == "face";
    return face ? score_faces(request) : score_speech(request);
}

eval::Metrics metrics_of(const ScoredData& scored) {
    auto m = eval::compute_metrics(scored.labels, scored.truth, scored.predicted);
    std::vector<bool> correct;
    for (std::size_t i = 0; i < scored.truth.size(); ++i) correct.push_back(scored.truth[i] == scored.predicted[i]);
    if (scored.confidence.size() == correct.size())
        m.ece = eval::expected_calibration_error(scored.confidence, correct);
    return m;
}

}  // namespace emo::api
