#include "output.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>

#include "emo/core.hpp"
#include "emo/data.hpp"
#include "emo/prediction_json.hpp"

namespace emo::app {
namespace {

void csv_scores(const std::vector<float>& scores, const std::vector<std::string>& labels,
                const std::vector<std::string>& columns, std::ostream& out) {
    for (const auto& c : columns) {
        out << ',';
        const auto it = std::find(labels.begin(), labels.end(), c);
        if (it != labels.end()) out << scores[std::size_t(it - labels.begin())];
    }
    out << '\n';
}
models::ClipPrediction no_speech_clip(const std::string& file) {
    models::ClipPrediction p;
    p.file = file;
    p.no_speech = true;
    return p;
}

// As an image without a face has no face: a result, not an error.
void print_no_speech(const std::string& file, const std::vector<std::string>& columns, Format format,
                     std::ostream& out) {
    switch (format) {
        case Format::kText: out << file << "\tno speech\n"; break;
        case Format::kJson: out << fusion::speech_prediction_json(no_speech_clip(file), {}) << '\n'; break;
        case Format::kCsv:
            out << core::csv_field(file) << ",speech,,,,,,no speech,";
            csv_scores({}, {}, columns, out);
            break;
    }
}
}  // namespace

std::vector<std::string> label_union(const std::vector<std::vector<std::string>>& label_lists) {
    std::vector<std::string> all;
    for (const auto& list : label_lists) all.insert(all.end(), list.begin(), list.end());
    return data::labels_of(all);
}

void print_header(const std::vector<std::string>& columns, Format format, std::ostream& out) {
    if (format != Format::kCsv) return;
    out << "file,modality,face,x,y,width,height,label,confidence";
    for (const auto& l : columns) out << ',' << l;
    out << '\n';
}

void print_speech(const models::ClipPrediction& p, const std::vector<std::string>& labels,
                  const std::vector<std::string>& columns, Format format, std::ostream& out) {
    if (p.no_speech) {
        print_no_speech(p.file, columns, format, out);
        return;
    }
    switch (format) {
        case Format::kText:
            out << p.file << '\t' << p.label << '\t' << std::fixed << std::setprecision(3) << p.confidence << '\n';
            break;
        case Format::kJson: out << fusion::speech_prediction_json(p, labels) << '\n'; break;
        case Format::kCsv:
            out << core::csv_field(p.file) << ",speech,,,,,," << p.label << ',' << std::setprecision(6) << p.confidence;
            csv_scores(p.scores, labels, columns, out);
            break;
    }
}

void print_image(const models::ImagePrediction& p, const std::vector<std::string>& labels,
                 const std::vector<std::string>& columns, Format format, std::ostream& out) {
    switch (format) {
        case Format::kText:
            if (p.faces.empty()) out << p.file << "\tno face found (" << p.found_by << ")\n";
            for (std::size_t i = 0; i < p.faces.size(); ++i) {
                const auto& f = p.faces[i];
                out << p.file << "\tface " << i + 1 << '/' << p.faces.size() << "\tbox " << f.box.x << ',' << f.box.y
                    << ',' << f.box.width << ',' << f.box.height << '\t' << f.label << '\t' << std::fixed
                    << std::setprecision(3) << f.confidence << '\n';
            }
            break;
        case Format::kJson: out << fusion::image_prediction_json(p, labels) << '\n'; break;
        case Format::kCsv:
            if (p.faces.empty()) {
                out << core::csv_field(p.file) << ",face,0,,,,,none,";
                csv_scores({}, {}, columns, out);
            }
            for (std::size_t i = 0; i < p.faces.size(); ++i) {
                const auto& f = p.faces[i];
                out << core::csv_field(p.file) << ",face," << i + 1 << ',' << f.box.x << ',' << f.box.y << ','
                    << f.box.width << ',' << f.box.height << ',' << f.label << ',' << std::setprecision(6)
                    << f.confidence;
                csv_scores(f.scores, labels, columns, out);
            }
            break;
    }
}

}  // namespace emo::app
