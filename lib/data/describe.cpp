// Class distribution of a dataset, overall and per speaker.
#include <algorithm>
#include <cstdio>

#include "emo/data.hpp"

namespace emo::data {

Description describe(const std::vector<Sample>& samples) {
    Description d;
    d.labels = labels_of(samples);
    for (const auto& s : speakers_of(samples))
        if (!s.empty()) d.speakers.push_back(s);
    d.per_label.assign(d.labels.size(), 0);
    d.per_speaker.assign(d.speakers.size(), std::vector<int>(d.labels.size(), 0));
    for (const auto& s : samples) {
        const auto l = std::size_t(std::find(d.labels.begin(), d.labels.end(), s.label) - d.labels.begin());
        ++d.per_label[l];
        if (s.speaker.empty()) continue;
        const auto k = std::size_t(std::find(d.speakers.begin(), d.speakers.end(), s.speaker) - d.speakers.begin());
        ++d.per_speaker[k][l];
    }
    return d;
}

std::string Description::text() const {
    int total = 0;
    for (int c : per_label) total += c;
    std::string out;
    char line[256];
    std::snprintf(line, sizeof line, "%-12s %8s %8s\n", "label", "count", "share");
    out += line;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        std::snprintf(line, sizeof line, "%-12s %8d %7.1f%%\n", labels[i].c_str(), per_label[i],
                      total ? 100.0 * per_label[i] / total : 0.0);
        out += line;
    }
    std::snprintf(line, sizeof line, "%-12s %8d\n", "total", total);
    out += line;
    if (speakers.empty()) return out;
    out += "\nper speaker\n";
    std::snprintf(line, sizeof line, "%-8s", "speaker");
    out += line;
    for (const auto& l : labels)
        out += std::string(" ") + std::string(std::max<int>(0, 9 - int(l.substr(0, 9).size())), ' ') + l.substr(0, 9);
    out += "     total\n";
    for (std::size_t k = 0; k < speakers.size(); ++k) {
        std::snprintf(line, sizeof line, "%-8s", speakers[k].c_str());
        out += line;
        int sum = 0;
        for (int c : per_speaker[k]) {
            std::snprintf(line, sizeof line, " %9d", c);
            out += line;
            sum += c;
        }
        std::snprintf(line, sizeof line, " %9d\n", sum);
        out += line;
    }
    return out;
}

}  // namespace emo::data
