#pragma once
// Decision fusion of face and speech: each model's probabilities mapped onto one label space and
// combined by a weighted mean (or product, or max); weights searched on paired validation data.
#include <optional>
#include <string>
#include <vector>

#include "emo/config.hpp"
#include "emo/data.hpp"
#include "emo/eval.hpp"
#include "emo/models.hpp"

namespace emo::fusion {

// One model's probabilities over its own labels (sum to 1).
struct Scores {
    std::vector<std::string> labels;
    std::vector<float> values;
};

// `scores` on `labels` through `label_map`: mapped labels' probabilities add up. present[i] says
// whether the model can say anything about labels[i] at all; probability on labels outside
// `labels` is dropped and the rest renormalised.
struct Aligned {
    std::vector<float> values;
    std::vector<bool> present;
};
Aligned align(const Scores& scores, const std::vector<std::string>& labels,
              const std::map<std::string, std::string>& label_map);

// The fused label space: config.labels, or every mapped label of the given models (canonical order
// first, then others sorted).
std::vector<std::string> fused_labels(const config::FusionConfig& config,
                                      const std::vector<std::vector<std::string>>& model_labels);

struct Fused {
    std::vector<std::string> labels;
    std::vector<float> values;                 // sum to 1
    int best = 0;                              // argmax
    float face_weight = 0, speech_weight = 0;  // as used: a missing modality's weight goes to the other
};
// Combines the modalities that are there (at least one). A label only one model knows is scored by
// that model alone (its weights renormalised per label), so it is neither favoured nor penalised.
// Throws InputError when neither is given.
Fused fuse(const std::optional<Scores>& face, const std::optional<Scores>& speech, const config::FusionConfig& config,
           const std::vector<std::string>& labels);

// Paired predictions with the true label (a fused label) of each pair.
struct PairedScores {
    std::vector<Scores> face, speech;
    std::vector<std::string> truth;
};

// Metrics of face alone, speech alone and fused on `labels` (each modality's argmax after alignment).
struct PairedMetrics {
    eval::Metrics face, speech, fused;
};
PairedMetrics evaluate_pairs(const PairedScores& pairs, const config::FusionConfig& config,
                             const std::vector<std::string>& labels);

// The largest face of an image prediction; nullopt when none was found.
std::optional<Scores> largest_face(const models::ImagePrediction& image, const std::vector<std::string>& labels);

// Scores every pair's face (the largest in the image) and clip with the two models, in batches.
// Throws InputError naming the file that cannot be read or shows no face.
PairedScores predict_pairs(const std::vector<data::Pair>& pairs, const models::FaceModel& face,
                           const models::SpeechModel& speech, int threads = 0);

// The metrics of the fused predictions for face weights 0, step, 2 step, ..., 1 (speech weight
// 1 - face weight) under config's rule. Throws InputError on empty or mismatched pairs.
std::vector<std::pair<float, eval::Metrics>> weight_grid(const PairedScores& pairs, const config::FusionConfig& config,
                                                         const std::vector<std::string>& labels, float step);

enum class Objective { kAccuracy, kMacroF1 };
struct WeightFit {
    float face_weight = 0.5f;  // speech weight = 1 - face weight
    double objective = 0;
    std::vector<std::pair<float, double>> curve;  // (face weight, objective) per grid point
};
// Grid search of the face weight in [0, 1] with `step`; among equal best values the middle of the
// best run is taken (the most robust choice). Throws InputError on empty or mismatched pairs.
WeightFit fit_weights(const PairedScores& pairs, const config::FusionConfig& config,
                      const std::vector<std::string>& labels, Objective objective, float step = 0.01f);

}  // namespace emo::fusion
