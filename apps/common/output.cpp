#include "output.hpp"

#include <algorithm>
#include <iomanip>

#include "emo/core.hpp"
#include "emo/data.hpp"

namespace emo::app {
namespace {

void csv_scores(const Scores& scores, const std::vector<std::string>& columns, std::ostream& out) {
    for (const auto& c : columns) {
        out << ',';
        const auto it = std::find(scores.labels.begin(), scores.labels.end(), c);
        if (it != scores.labels.end()) out << scores.values[std::size_t(it - scores.labels.begin())];
    }
    out << '\n';
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

void print_speech(const SpeechResult& r, const std::vector<std::string>& columns, Format format, std::ostream& out) {
    switch (format) {
        case Format::kText:
            out << r.source << '\t';
            if (r.no_speech) out << "no speech\n";
            else out << r.scores.label() << '\t' << std::fixed << std::setprecision(3) << r.scores.confidence() << '\n';
            break;
        case Format::kJson: out << to_json_line(r) << '\n'; break;
        case Format::kCsv:
            out << core::csv_field(r.source) << ",speech,,,,,,";
            if (r.no_speech) out << "no speech,";
            else out << r.scores.label() << ',' << std::setprecision(6) << r.scores.confidence();
            csv_scores(r.scores, columns, out);
            break;
    }
}

void print_image(const ImageResult& r, const std::vector<std::string>& columns, Format format, std::ostream& out) {
    switch (format) {
        case Format::kText:
            if (r.faces.empty()) out << r.source << "\tno face found (" << r.found_by << ")\n";
            for (std::size_t i = 0; i < r.faces.size(); ++i) {
                const auto& f = r.faces[i];
                out << r.source << "\tface " << i + 1 << '/' << r.faces.size() << "\tbox " << f.box.x << ',' << f.box.y
                    << ',' << f.box.width << ',' << f.box.height << '\t' << f.scores.label() << '\t' << std::fixed
                    << std::setprecision(3) << f.scores.confidence() << '\n';
            }
            break;
        case Format::kJson: out << to_json_line(r) << '\n'; break;
        case Format::kCsv:
            if (r.faces.empty()) {
                out << core::csv_field(r.source) << ",face,0,,,,,none,";
                csv_scores({}, columns, out);
            }
            for (std::size_t i = 0; i < r.faces.size(); ++i) {
                const auto& f = r.faces[i];
                out << core::csv_field(r.source) << ",face," << i + 1 << ',' << f.box.x << ',' << f.box.y << ','
                    << f.box.width << ',' << f.box.height << ',' << f.scores.label() << ',' << std::setprecision(6)
                    << f.scores.confidence();
                csv_scores(f.scores, columns, out);
            }
            break;
    }
}

}  // namespace emo::app
