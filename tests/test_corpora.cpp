// Several speech corpora in one dataset: the Opus corpora read through their manifests, corpus names
// and speakers kept apart, folds of speakers within every corpus, and leave-one-corpus-out folds.
#include <algorithm>
#include <set>

#include "emo/audio.hpp"
#include "emo/data.hpp"
#include "emo/error.hpp"
#include "helpers.hpp"

using Catch::Matchers::Contains;

namespace {
std::set<std::string> corpora_in(const std::vector<emo::data::Sample>& samples) {
    std::set<std::string> out;
    for (const auto& s : samples) out.insert(s.corpus);
    return out;
}
}  // namespace

TEST_CASE("corpus names come from the folder, or the manifest's folder", "[data][corpora]") {
    CHECK(emo::data::corpus_name("../shared/data/ravdess") == "ravdess");
    CHECK(emo::data::corpus_name("../shared/data/ravdess/") == "ravdess");
    CHECK(emo::data::corpus_name("/x/ased/manifest.csv") == "ased");
    CHECK(emo::data::corpus_name("/x/my_clips.csv") == "my_clips");
}

TEST_CASE("the Opus corpora read through their manifests, as folders too, and decode", "[data][corpora]") {
    const auto dir = emo::test::data_dir();
    if (dir.empty()) return;
    const auto ased = emo::data::read_speech_dataset(dir + "/ased");  // the folder holds manifest.csv
    CHECK(ased.samples.size() == 1974);
    CHECK(ased.labels() == std::vector<std::string>{"neutral", "happy", "sad", "angry", "fearful"});
    const auto nemo = emo::data::read_speech_dataset(dir + "/nemo/manifest.csv");
    CHECK(nemo.samples.size() == 4481);
    CHECK(emo::data::speakers_of(nemo.samples).size() == 9);
    // libsndfile gives Opus at the rate the encoder was told the source had: ASED 16 kHz, nEMO 24 kHz.
    const auto ased_clip = emo::audio::read_audio(ased.samples.front().path);
    CHECK(ased_clip.sample_rate == 16000);
    CHECK(ased_clip.duration_s() > 1.0);
    const auto nemo_clip = emo::audio::read_audio(nemo.samples.front().path);
    CHECK(nemo_clip.sample_rate == 24000);
    CHECK(nemo_clip.duration_s() > 1.0);
}

TEST_CASE("corpora read together keep their names and never merge speakers", "[data][corpora]") {
    const auto dir = emo::test::data_dir();
    if (dir.empty()) return;
    const auto all = emo::data::read_speech_corpora(
        {{dir + "/ravdess", ""}, {dir + "/ased/manifest.csv", ""}, {dir + "/nemo", "polish"}});
    CHECK(all.samples.size() == 1200 + 1974 + 4481);
    CHECK(emo::data::corpora_of(all.samples) == std::vector<std::string>{"ased", "polish", "ravdess"});
    for (const auto& s : all.samples) REQUIRE(s.speaker.rfind(s.corpus + "/", 0) == 0);
    const auto labels = emo::data::labels_per_corpus(all.samples);
    CHECK(labels.at("ravdess").size() == 8);
    CHECK(labels.at("polish") == std::vector<std::string>{"neutral", "happy", "sad", "angry", "fearful", "surprised"});
    CHECK_THROWS_WITH(emo::data::read_speech_corpora({{dir + "/ravdess", "x"}, {dir + "/nemo", "x"}}),
                      Contains("two corpora are named 'x'"));

    // One corpus alone keeps its speakers as they are (configs name RAVDESS actors "17").
    const auto one = emo::data::read_speech_corpora({{dir + "/ravdess", ""}});
    CHECK(one.samples.front().speaker.size() == 2);
    CHECK(one.samples.front().corpus == "ravdess");
}

TEST_CASE("speaker folds hold out speakers of every corpus, corpus folds never mix corpora", "[data][corpora][split]") {
    std::vector<emo::data::Sample> samples;
    for (const std::string corpus : {"a", "b"})
        for (int speaker = 0; speaker < (corpus == "a" ? 6 : 3); ++speaker)
            for (int i = 0; i < 4; ++i)
                samples.push_back({corpus + std::to_string(speaker) + "_" + std::to_string(i) + ".wav",
                                   i % 2 ? "sad" : "happy", corpus + "/" + std::to_string(speaker), corpus});

    const auto folds = emo::data::kfold_by_speaker(samples, 3);
    REQUIRE(folds.size() == 3);
    std::set<std::string> tested;
    for (const auto& f : folds) {
        CHECK(corpora_in(f.validation) == std::set<std::string>{"a", "b"});
        const auto train = emo::data::speakers_of(f.train);
        for (const auto& s : emo::data::speakers_of(f.validation)) {
            CHECK_FALSE(std::binary_search(train.begin(), train.end(), s));
            CHECK(tested.insert(s).second);  // tested once
        }
    }
    CHECK(tested.size() == 9);
    CHECK_THROWS_WITH(emo::data::kfold_by_speaker(samples, 4), Contains("number of speakers of corpus b"));

    const auto by_corpus = emo::data::folds_by_corpus(samples);
    REQUIRE(by_corpus.size() == 2);
    CHECK(corpora_in(by_corpus[0].validation) == std::set<std::string>{"a"});
    CHECK(corpora_in(by_corpus[0].train) == std::set<std::string>{"b"});
    CHECK(corpora_in(by_corpus[1].validation) == std::set<std::string>{"b"});
    CHECK(corpora_in(by_corpus[1].train) == std::set<std::string>{"a"});
    CHECK(by_corpus[0].validation.size() + by_corpus[0].train.size() == samples.size());
    samples.resize(4);
    CHECK_THROWS_WITH(emo::data::folds_by_corpus(samples), Contains("at least two corpora"));
}
