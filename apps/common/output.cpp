#include "output.hpp"

#include <iomanip>
#include <nlohmann/json.hpp>

namespace emo::app {
namespace {
std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}
}  // namespace

void print_speech_header(const std::vector<std::string>& labels, Format format, std::ostream& out) {
    if (format != Format::kCsv) return;
    out << "file,modality,label,confidence";
    for (const auto& l : labels) out << ',' << l;
    out << '\n';
}

void print_speech(const models::ClipPrediction& p, const std::vector<std::string>& labels, Format format,
                  std::ostream& out) {
    switch (format) {
        case Format::kText:
            out << p.file << '\t' << p.label << '\t' << std::fixed << std::setprecision(3) << p.confidence << '\n';
            break;
        case Format::kJson: {
            nlohmann::ordered_json scores = nlohmann::ordered_json::object();
            for (std::size_t i = 0; i < labels.size(); ++i) scores[labels[i]] = p.scores[i];
            out << nlohmann::ordered_json{{"file", p.file}, {"modality", "speech"}, {"label", p.label},
                                  {"confidence", p.confidence}, {"scores", scores}}.dump()
                << '\n';
            break;
        }
        case Format::kCsv:
            out << csv_field(p.file) << ",speech," << p.label << ',' << std::setprecision(6) << p.confidence;
            for (float s : p.scores) out << ',' << s;
            out << '\n';
            break;
    }
}

}  // namespace emo::app
