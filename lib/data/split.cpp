#include <algorithm>
#include <iterator>
#include <map>
#include <random>
#include <set>

#include "emo/data.hpp"
#include "emo/error.hpp"

namespace emo::data {

std::vector<std::string> speakers_of(const std::vector<Sample>& samples) {
    std::set<std::string> s;
    for (const auto& x : samples) s.insert(x.speaker);
    return {s.begin(), s.end()};
}

namespace {
// Throws ConfigError "<field>: speaker 'X' has no samples in the data" for a wanted speaker not in `chosen`.
void require_every_speaker(const std::vector<Sample>& chosen, const std::set<std::string>& wanted,
                           const std::string& field) {
    const auto present = speakers_of(chosen);
    for (const auto& w : wanted) {
        if (!std::binary_search(present.begin(), present.end(), w)) {
            throw ConfigError(field + ": speaker '" + w + "' has no samples in the data");
        }
    }
}
}  // namespace

Split split_by_speaker(const std::vector<Sample>& samples, const std::vector<std::string>& held_out) {
    const std::set<std::string> held(held_out.begin(), held_out.end());
    Split split;
    for (const auto& s : samples) {
        if (s.speaker.empty()) {
            throw ConfigError(s.path +
                              ": no speaker known; a speaker-independent split needs one "
                              "(RAVDESS names or a manifest 'speaker' column)");
        }
        (held.count(s.speaker) ? split.validation : split.train).push_back(s);
    }
    require_every_speaker(split.validation, held, "split.validation_speakers");
    return split;
}

std::vector<Sample> select_speakers(const std::vector<Sample>& samples, const std::vector<std::string>& speakers,
                                    const std::string& field) {
    const std::set<std::string> wanted(speakers.begin(), speakers.end());
    std::vector<Sample> chosen;
    std::copy_if(samples.begin(), samples.end(), std::back_inserter(chosen),
                 [&](const Sample& s) { return wanted.count(s.speaker) > 0; });
    require_every_speaker(chosen, wanted, field);
    return chosen;
}

std::vector<Split> kfold_by_speaker(const std::vector<Sample>& samples, int k) {
    std::map<std::string, std::vector<Sample>> by_corpus;
    for (const auto& s : samples) by_corpus[s.corpus].push_back(s);
    std::vector<std::vector<std::string>> held(std::size_t(std::max(k, 0)));
    for (const auto& [corpus, corpus_samples] : by_corpus) {
        const auto speakers = speakers_of(corpus_samples);
        if (k < 2 || k > int(speakers.size())) {
            throw ConfigError("folds: expected 2.." + std::to_string(speakers.size()) + " (number of speakers" +
                              (corpus.empty() ? "" : " of corpus " + corpus) + "), got " + std::to_string(k));
        }
        for (std::size_t i = 0; i < speakers.size(); ++i) held[i % std::size_t(k)].push_back(speakers[i]);
    }
    std::vector<Split> folds;
    for (const auto& fold_speakers : held) folds.push_back(split_by_speaker(samples, fold_speakers));
    return folds;
}

std::vector<Split> folds_by_corpus(const std::vector<Sample>& samples) {
    const auto corpora = corpora_of(samples);
    if (corpora.size() < 2) {
        throw ConfigError("folds: leave-one-corpus-out needs at least two corpora, got " +
                          std::to_string(corpora.size()));
    }
    std::vector<Split> folds;
    for (const auto& corpus : corpora) {
        Split split;
        for (const auto& s : samples) (s.corpus == corpus ? split.validation : split.train).push_back(s);
        folds.push_back(std::move(split));
    }
    return folds;
}

std::vector<int> stratified_folds(const std::vector<std::string>& labels, int k, int seed) {
    if (k < 2 || std::size_t(k) > labels.size()) {
        throw ConfigError("folds: expected 2.." + std::to_string(labels.size()) + " (number of items), got " +
                          std::to_string(k));
    }
    std::map<std::string, std::vector<std::size_t>> by_label;
    for (std::size_t i = 0; i < labels.size(); ++i) by_label[labels[i]].push_back(i);
    std::mt19937 rng{static_cast<std::uint32_t>(seed)};
    std::vector<int> fold(labels.size(), 0);
    int next = 0;  // continues across labels, so small classes do not all start in fold 0
    for (auto& [label, items] : by_label) {
        std::shuffle(items.begin(), items.end(), rng);
        for (const auto i : items) fold[i] = next++ % k;
    }
    return fold;
}

}  // namespace emo::data
