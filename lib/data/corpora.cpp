// Several speech corpora read as one dataset, each sample knowing its corpus.
#include <filesystem>
#include <set>

#include "emo/core.hpp"
#include "emo/data.hpp"
#include "emo/error.hpp"

namespace emo::data {
namespace fs = std::filesystem;

std::string corpus_name(const std::string& path) {
    const fs::path p = fs::path(path).lexically_normal();
    const fs::path named = p.has_filename() ? p : p.parent_path();  // "ravdess/" names the folder
    if (core::to_lower(named.extension().string()) != ".csv") return named.filename().string();
    if (core::to_lower(named.filename().string()) != "manifest.csv") return named.stem().string();
    const auto folder = fs::absolute(named).parent_path().filename().string();
    return folder.empty() ? named.stem().string() : folder;
}

Dataset read_speech_corpora(const std::vector<CorpusPath>& corpora) {
    if (corpora.empty()) throw ConfigError("data: expected at least one corpus");
    Dataset all;
    std::set<std::string> names;
    for (const auto& c : corpora) {
        const std::string name = c.name.empty() ? corpus_name(c.path) : c.name;
        if (!names.insert(name).second) {
            throw ConfigError("data: two corpora are named '" + name + "' (" + c.path + "); give them distinct names");
        }
        Dataset one = read_speech_dataset(c.path);
        all.source += (all.source.empty() ? "" : " + ") + one.source;
        for (auto& s : one.samples) {
            s.corpus = name;
            if (corpora.size() > 1 && !s.speaker.empty()) s.speaker = name + "/" + s.speaker;
            all.samples.push_back(std::move(s));
        }
    }
    return all;
}

std::vector<std::string> corpora_of(const std::vector<Sample>& samples) {
    std::set<std::string> names;
    for (const auto& s : samples) names.insert(s.corpus);
    return {names.begin(), names.end()};
}

std::map<std::string, std::vector<std::string>> labels_per_corpus(const std::vector<Sample>& samples) {
    std::map<std::string, std::vector<std::string>> raw;
    for (const auto& s : samples) raw[s.corpus].push_back(s.label);
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& [corpus, labels] : raw) out[corpus] = labels_of(labels);
    return out;
}

}  // namespace emo::data
