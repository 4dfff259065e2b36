#include "fusion_output.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "destinations.hpp"
#include "emo/argmax.hpp"
#include "emo/core.hpp"
#include "emo/error.hpp"

namespace emo::app {
namespace {
using Json = nlohmann::ordered_json;

Json scores_json(const std::vector<std::string>& labels, const std::vector<float>& values) {
    Json j = Json::object();
    for (std::size_t i = 0; i < labels.size() && i < values.size(); ++i) j[labels[i]] = values[i];
    return j;
}

Json modality_json(const std::optional<fusion::Scores>& s) {
    if (!s) return nullptr;
    const auto best = core::argmax(s->values);
    return {{"label", s->labels[best]}, {"confidence", s->values[best]}, {"scores", scores_json(s->labels, s->values)}};
}

void print_modality_line(const char* name, const std::optional<fusion::Scores>& s, const char* missing,
                         std::ostream& out) {
    if (!s) {
        out << name << "\t-\t" << missing << '\n';
        return;
    }
    const auto best = core::argmax(s->values);
    out << name << '\t' << s->labels[best] << '\t' << std::fixed << std::setprecision(4) << s->values[best] << '\n';
}

double rounded(float weight) { return std::round(double(weight) * 1e4) / 1e4; }

Json weights_json(float face, float speech) { return {{"face", rounded(face)}, {"speech", rounded(speech)}}; }

void print_metrics_row(const char* name, const eval::Metrics& m, std::ostream& out) {
    out << std::left << std::setw(8) << name << std::right << std::fixed << std::setprecision(4) << std::setw(10)
        << m.accuracy << std::setw(10) << m.uar << std::setw(10) << m.macro.f1 << '\n';
}
}  // namespace

void print_fused(const std::optional<fusion::Scores>& face, const std::optional<fusion::Scores>& speech,
                 const fusion::Fused& fused, const config::FusionConfig& config, bool json, std::ostream& out) {
    const auto& label = fused.labels[std::size_t(fused.best)];
    const float confidence = fused.values[std::size_t(fused.best)];
    if (json) {
        out << Json{{"face", modality_json(face)},
                    {"speech", modality_json(speech)},
                    {"fused",
                     {{"label", label},
                      {"confidence", confidence},
                      {"scores", scores_json(fused.labels, fused.values)}}},
                    {"weights", weights_json(fused.face_weight, fused.speech_weight)},
                    {"rule", config::rule_name(config.rule)}}
                   .dump()
            << '\n';
        return;
    }
    print_modality_line("face", face, "no face", out);
    print_modality_line("speech", speech, "no speech", out);
    out << "fused\t" << label << '\t' << std::fixed << std::setprecision(4) << confidence << "\tweights face "
        << std::setprecision(2) << fused.face_weight << " speech " << fused.speech_weight << " ("
        << config::rule_name(config.rule) << ")\n";
}

void print_paired_report(const std::string& source, const fusion::PairedMetrics& m, const config::FusionConfig& config,
                         const std::string& weights_from, bool json, std::ostream& out) {
    if (json) {
        out << Json{{"pairs", source},
                    {"n", m.fused.n},
                    {"rule", config::rule_name(config.rule)},
                    {"weights", weights_json(config.face_weight, config.speech_weight)},
                    {"weights_from", weights_from},
                    {"face", Json(nlohmann::json(m.face))},
                    {"speech", Json(nlohmann::json(m.speech))},
                    {"fused", Json(nlohmann::json(m.fused))}}
                   .dump()
            << '\n';
        return;
    }
    out << "pairs: " << source << " (n = " << m.fused.n << ")\n"
        << "fusion: " << config::rule_name(config.rule) << ", weights face " << std::fixed << std::setprecision(2)
        << config.face_weight << " speech " << config.speech_weight << " (" << weights_from << ")\n\n"
        << std::left << std::setw(8) << "" << std::right << std::setw(10) << "accuracy" << std::setw(10) << "uar"
        << std::setw(10) << "macro-F1" << '\n';
    print_metrics_row("face", m.face, out);
    print_metrics_row("speech", m.speech, out);
    print_metrics_row("fused", m.fused, out);
    out << "\nfused, in detail:\n" << eval::format_text(m.fused);
}

void write_weight_sweep(const fusion::PairedScores& scores, const config::FusionConfig& config,
                        const std::vector<std::string>& labels, const std::string& dir) {
    make_output_folder(dir);
    std::ostringstream csv;
    csv << "rule,face_weight,speech_weight,accuracy,uar,macro_f1\n" << std::fixed;
    eval::Panel accuracy{"accuracy", "face weight (speech = 1 - face)", "accuracy", {}, false};
    eval::Panel macro_f1{"macro-F1", "face weight (speech = 1 - face)", "macro-F1", {}, false};
    for (const auto rule : {config::FusionRule::kWeighted, config::FusionRule::kProduct, config::FusionRule::kMax}) {
        config::FusionConfig c = config;
        c.rule = rule;
        eval::Series acc{config::rule_name(rule), {}, {}}, f1 = acc;
        for (const auto& [w, m] : fusion::weight_grid(scores, c, labels, 0.05f)) {
            csv << config::rule_name(rule) << ',' << std::setprecision(2) << w << ',' << 1.0f - w << ','
                << std::setprecision(6) << m.accuracy << ',' << m.uar << ',' << m.macro.f1 << '\n';
            acc.x.push_back(w), acc.y.push_back(m.accuracy);
            f1.x.push_back(w), f1.y.push_back(m.macro.f1);
        }
        accuracy.series.push_back(acc);
        macro_f1.series.push_back(f1);
    }
    core::write_file_atomic(dir + "/sweep.csv", csv.str());
    eval::plot_lines({accuracy, macro_f1}, "fusion weights on " + std::to_string(scores.truth.size()) + " pairs",
                     dir + "/sweep.png");
}

FusionInputs fusion_inputs_from_media(const std::string& image, const std::string& clip, const Predictor& predictor) {
    FusionInputs in;
    in.face_given = in.speech_given = true;
    const auto image_result = predictor.predict_image_files({image}).at(0);
    if (!image_result.error.empty()) throw Error(ExitCode::kBadInput, image_result.error);
    const auto clip_result = predictor.predict_audio_files({clip}).at(0);
    if (!clip_result.error.empty()) throw Error(ExitCode::kBadInput, clip_result.error);
    if (const auto* face = image_result.largest_face())
        in.face = fusion::Scores{face->scores.labels, face->scores.values};
    if (!clip_result.no_speech) in.speech = fusion::Scores{clip_result.scores.labels, clip_result.scores.values};
    return in;
}

void print_fused(const FusionInputs& in, const config::FusionConfig& config, bool json, std::ostream& out) {
    if (!in.face && !in.speech) throw InputError("inputs", "no face found and no speech: nothing to fuse");
    if (!in.face)
        spdlog::warn("no face in the image{}: the result is speech alone", in.face_given ? "" : " (none given)");
    if (!in.speech) {
        spdlog::warn("{}: the result is the face alone",
                     in.speech_given ? "no speech in the clip" : "no speech prediction given");
    }
    std::vector<std::vector<std::string>> label_lists;
    if (in.face) label_lists.push_back(in.face->labels);
    if (in.speech) label_lists.push_back(in.speech->labels);
    const auto labels = fusion::fused_labels(config, label_lists);
    print_fused(in.face, in.speech, fusion::fuse(in.face, in.speech, config, labels), config, json, out);
}

}  // namespace emo::app
