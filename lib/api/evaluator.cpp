#include <algorithm>

#include "emo/emo.hpp"
#include "emo/eval.hpp"
#include "emo/face_data.hpp"
#include "emo/models.hpp"
#include "emo/scoring.hpp"
#include "settings.hpp"

namespace emo {
namespace {

Evaluation evaluation_of(const api::ScoredData& scored, const eval::Metrics& m, const std::string& model_path) {
    Evaluation e;
    e.model_path = model_path;
    e.data = scored.description;
    e.precision = scored.precision;
    e.labels = m.labels;
    e.n = m.n;
    e.accuracy = m.accuracy;
    e.uar = m.uar;
    e.macro_f1 = m.macro.f1;
    e.weighted_f1 = m.weighted.f1;
    if (m.most_predicted >= 0) e.most_predicted = m.labels[std::size_t(m.most_predicted)];
    e.most_predicted_share = m.most_predicted_share;
    e.prediction_entropy_bits = m.prediction_entropy;
    e.expected_calibration_error = std::max(0.0, m.ece);
    for (std::size_t c = 0; c < m.labels.size(); ++c) {
        const auto& k = m.per_class[c];
        e.per_class.push_back({m.labels[c], k.precision, k.recall, k.f1, k.support});
    }
    e.confusion = m.confusion;
    e.ids = scored.ids;
    for (std::size_t i = 0; i < scored.ids.size(); ++i) {
        e.truth.push_back(scored.labels[std::size_t(scored.truth[i])]);
        e.predicted.push_back(scored.labels[std::size_t(scored.predicted[i])]);
    }
    e.problems = scored.problems;
    e.report = "model: " + model_path + " (" + scored.precision + ")\ndata: " + scored.description + "\n" +
               eval::format_text(m);
    return e;
}

}  // namespace

Evaluator::Evaluator(EvaluatorOptions options) : options_(std::move(options)) {
    api::apply_settings(options_.threads, options_.device, options_.precision, "EvaluatorOptions");
}

Evaluation Evaluator::evaluate(const std::string& data, const std::string& split,
                               const std::vector<std::string>& speakers) const {
    const std::string model_path =
        options_.model.empty() ? default_model_path(data::dataset_layout(data, split).modality()) : options_.model;
    if (!speakers.empty() && models::read_metadata(model_path).modality == "face") {
        throw ConfigError("speakers: apply to speech models only");
    }
    api::ScoringRequest request{model_path, data, split, speakers, "speakers", options_.crop, options_.threads};
    const auto where = api::apply_settings(options_.threads, options_.device, options_.precision, "EvaluatorOptions");
    request.device = where.device;
    request.precision = where.precision;
    request.closed_set = options_.closed_set;
    const api::ScoredData scored = api::score_dataset(request);
    if (scored.predicted.empty()) throw InputError(data, "no input could be read");
    return evaluation_of(scored, api::metrics_of(scored), model_path);
}

}  // namespace emo
