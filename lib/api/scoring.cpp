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
// are left out (their clips counted), model labels the data lacks can only be wrong predictions (or, in a
// closed set, are never predicted).
std::string label_coverage(const std::vector<std::string>& model_labels, const std::vector<std::string>& data_labels,
                           const std::map<std::string, int>& unscored, bool closed_set) {
    std::string out, lacking;
    for (const auto& l : model_labels)
        if (std::find(data_labels.begin(), data_labels.end(), l) == data_labels.end()) lacking += " " + l;
    if (!lacking.empty()) {
        out += "\nscored on the data's labels only; the model's" + lacking + " are not in the data and " +
               (closed_set ? "are never predicted (closed set)" : "count only as wrong predictions");
    }
    for (const auto& [label, n] : unscored) {
        out += "\nnot scored: " + std::to_string(n) + " clips labelled " + label + ", a label the model does not have";
    }
    return out;
}

// Which of the model's labels a prediction may take: all, or in a closed set those the data has.
std::vector<bool> allowed_labels(const std::vector<std::string>& model_labels,
                                 const std::vector<std::string>& data_labels, bool closed_set) {
    std::vector<bool> allowed;
    for (const auto& l : model_labels)
        allowed.push_back(!closed_set || std::find(data_labels.begin(), data_labels.end(), l) != data_labels.end());
    return allowed;
}

// The prediction among the allowed labels, and its confidence: its score, renormalised over the allowed
// labels when some are not.
void add_prediction(ScoredData& out, const std::vector<float>& scores, const std::vector<bool>& allowed) {
    int best = -1;
    float sum = 0;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        if (!allowed[i]) continue;
        sum += scores[i];
        if (best < 0 || scores[i] > scores[std::size_t(best)]) best = int(i);
    }
    const bool all = std::find(allowed.begin(), allowed.end(), false) == allowed.end();
    const float score = scores[std::size_t(best)];
    out.predicted.push_back(best);
    out.confidence.push_back(all || sum <= 0 ? score : score / sum);
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
                      normalised + label_coverage(out.labels, dataset.labels(), out.unscored, r.closed_set);
    std::vector<std::string> scored_labels;
    for (int t : truth) scored_labels.push_back(out.labels[std::size_t(t)]);
    out.data_labels = data::labels_of(scored_labels);
    const auto allowed = allowed_labels(out.labels, out.data_labels, r.closed_set);
    if (files.empty()) throw InputError(r.data_path, "no clip has a label the model knows");
    const auto predictions =
        models::predict_speech_files(model, files, r.threads, nullptr, models::speaker_groups(speakers, grouping));
    for (std::size_t i = 0; i < predictions.size(); ++i) {
        if (!predictions[i].error.empty()) {
            out.problems.push_back(predictions[i].error);
            continue;
        }
        out.truth.push_back(truth[i]);
        add_prediction(out, predictions[i].scores, allowed);
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
    for (std::size_t i = 0; i < faces.count(); ++i) {
        out.truth.push_back(label_index(out.labels, faces.labels[i], faces.ids[i]));
    }
    out.data_labels = data::labels_of(faces.labels);
    out.description = faces.source + (r.split.empty() ? "" : " (split " + r.split + ")") +
                      (r.closed_set ? label_coverage(out.labels, out.data_labels, {}, true) : std::string());
    out.ids = faces.ids;
    const auto allowed = allowed_labels(out.labels, out.data_labels, r.closed_set);
    for (const auto& p : model.predict(faces.pixels.data(), faces.count())) add_prediction(out, p, allowed);
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
