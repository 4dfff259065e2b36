#pragma once
// emo-fuse's results: one fused prediction, or the paired evaluation, as text or a JSON line.
#include <optional>
#include <ostream>
#include <string>

#include "emo/fusion.hpp"
#include "emo/emo.hpp"

namespace emo::app {

// What there is to fuse: each modality's scores, and whether an input of it was given at all.
struct FusionInputs {
    std::optional<fusion::Scores> face, speech;
    bool face_given = false, speech_given = false;
};
// An image's largest face and a clip's speech, scored. Throws Error (exit 3) naming the file that cannot be read.
FusionInputs fusion_inputs_from_media(const std::string& image, const std::string& clip, const Predictor& predictor);
// Fuses what there is (warning when a modality is missing) and prints emo-fuse's result. Throws InputError when
// there is neither a face nor speech.
void print_fused(const FusionInputs& in, const config::FusionConfig& config, bool json, std::ostream& out);

void print_fused(const std::optional<fusion::Scores>& face, const std::optional<fusion::Scores>& speech,
                 const fusion::Fused& fused, const config::FusionConfig& config, bool json, std::ostream& out);

// `weights_from` says where the weights came from (a config file, flags, or the fit on these pairs).
void print_paired_report(const std::string& source, const fusion::PairedMetrics& m, const config::FusionConfig& config,
                         const std::string& weights_from, bool json, std::ostream& out);

// --sweep DIR: every rule at face weights 0, 0.05, ..., 1 on the pairs. Writes DIR/sweep.csv
// (rule,face_weight,speech_weight,accuracy,uar,macro_f1) and DIR/sweep.png (accuracy and macro-F1
// against the face weight, a line per rule).
void write_weight_sweep(const fusion::PairedScores& scores, const config::FusionConfig& config,
                        const std::vector<std::string>& labels, const std::string& dir);

}  // namespace emo::app
