#include "stream.hpp"

#include <iomanip>
#include <nlohmann/json.hpp>

#include "emo/core.hpp"
#include "emo/pcm_stream.hpp"

namespace emo::app {
namespace {
constexpr const char* kStdin = "-";

audio::PcmStreamReader open_reader(int fd, const StdinAudio& a) {
    if (a.raw_format.empty()) return audio::PcmStreamReader::wav(fd, kStdin);
    audio::PcmFormat format{a.rate, a.channels, audio::parse_sample_format(a.raw_format, "--raw-format")};
    if (a.rate <= 0) throw ConfigError("--rate: raw samples need their sample rate in Hz (--rate N)");
    if (a.channels < 1) throw ConfigError("--channels: expected >= 1, got " + std::to_string(a.channels));
    return audio::PcmStreamReader::raw(fd, kStdin, format);
}
}  // namespace

void print_window_header(const std::vector<std::string>& labels, Format format, std::ostream& out) {
    if (format != Format::kCsv) return;
    out << "file,start,end,label,confidence";
    for (const auto& l : labels) out << ',' << l;
    out << '\n';
}

void print_window(const std::string& file, const WindowResult& w, const std::vector<std::string>& labels, Format format,
                  std::ostream& out) {
    const auto& r = w.result;
    const std::string label = r.no_speech ? "no speech" : r.scores.label();
    switch (format) {
        case Format::kText:
            out << file << '\t' << std::fixed << std::setprecision(2) << w.start << '-' << w.end << '\t' << label;
            if (!r.no_speech) out << '\t' << std::setprecision(3) << r.scores.confidence();
            out << '\n';
            break;
        case Format::kJson: {
            nlohmann::ordered_json j{{"file", file}, {"modality", "speech"}, {"start", w.start}, {"end", w.end}};
            if (r.no_speech) j["no_speech"] = true;  // as emo-predict writes a clip without speech
            if (!r.no_speech) {
                j["label"] = label;
                j["confidence"] = r.scores.confidence();
                nlohmann::ordered_json scores = nlohmann::ordered_json::object();
                for (std::size_t k = 0; k < r.scores.labels.size(); ++k)
                    scores[r.scores.labels[k]] = r.scores.values[k];
                j["scores"] = scores;
            }
            j["precision"] = r.precision;
            out << j.dump() << '\n';
            break;
        }
        case Format::kCsv:
            out << core::csv_field(file) << ',' << w.start << ',' << w.end << ',' << label << ',';
            if (!r.no_speech) out << r.scores.confidence();
            for (const auto& l : labels) {
                out << ',';
                if (!r.no_speech) out << r.scores.of(l);
            }
            out << '\n';
            break;
    }
    out.flush();
}

int predict_stream(int fd, const StdinAudio& a, const Predictor& predictor, const StreamOptions& windows, Format format,
                   std::ostream& out) {
    auto reader = open_reader(fd, a);
    SpeechStream stream(predictor, reader.format().sample_rate, 1, windows);
    const auto labels = predictor.speech_labels();
    print_window_header(labels, format, out);
    // Reads at most a tenth of a second at a time, so a window is scored as soon as its last sample arrives.
    const auto chunk = std::size_t(std::max(1, reader.format().sample_rate / 10));
    for (auto samples = reader.read_mono(chunk); !samples.empty(); samples = reader.read_mono(chunk)) {
        for (const auto& w : stream.push(samples.data(), samples.size())) print_window(kStdin, w, labels, format, out);
    }
    for (const auto& w : stream.finish()) print_window(kStdin, w, labels, format, out);
    return 0;
}

}  // namespace emo::app
