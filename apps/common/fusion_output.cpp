#include "fusion_output.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <nlohmann/json.hpp>

namespace emo::app {
namespace {
using Json = nlohmann::ordered_json;

Json scores_json(const std::vector<std::string>& labels, const std::vector<float>& values) {
    Json j = Json::object();
    for (std::size_t i = 0; i < labels.size() && i < values.size(); ++i) j[labels[i]] = values[i];
    return j;
}

std::size_t argmax(const std::vector<float>& v) {
    return std::size_t(std::max_element(v.begin(), v.end()) - v.begin());
}

Json modality_json(const std::optional<fusion::Scores>& s) {
    if (!s) return nullptr;
    const auto best = argmax(s->values);
    return {{"label", s->labels[best]}, {"confidence", s->values[best]}, {"scores", scores_json(s->labels, s->values)}};
}

void print_modality_line(const char* name, const std::optional<fusion::Scores>& s, const char* missing,
                         std::ostream& out) {
    if (!s) {
        out << name << "\t-\t" << missing << '\n';
        return;
    }
    const auto best = argmax(s->values);
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
                    {"fused", {{"label", label}, {"confidence", confidence}, {"scores", scores_json(fused.labels, fused.values)}}},
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
                    {"face", Json::parse(eval::to_json(m.face))},
                    {"speech", Json::parse(eval::to_json(m.speech))},
                    {"fused", Json::parse(eval::to_json(m.fused))}}
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

}  // namespace emo::app
