#include <map>
#include <set>

#include "emo/data.hpp"
#include "emo/error.hpp"
#include "helpers.hpp"

using Catch::Matchers::Contains;

TEST_CASE("RAVDESS names give emotion and actor, malformed names are reported", "[data]") {
    const auto s = emo::data::parse_ravdess_name("x/Actor_12/03-01-05-02-01-01-12.flac");
    CHECK(s.label == "angry");
    CHECK(s.speaker == "12");
    CHECK(emo::data::parse_ravdess_name("03-01-08-01-01-01-01.wav").label == "surprised");
    CHECK_THROWS_WITH(emo::data::parse_ravdess_name("03-01-09-01-01-01-01.wav"), Contains("emotion"));
    CHECK_THROWS_WITH(emo::data::parse_ravdess_name("dir/hello.wav"), Contains("hello"));
    CHECK_THROWS_AS(emo::data::parse_ravdess_name("03-01-05-02-01-01.wav"), emo::InputError);
}

TEST_CASE("dataset spellings map onto canonical labels", "[data]") {
    CHECK(*emo::data::canonical_label("fear") == "fearful");
    CHECK(*emo::data::canonical_label(" Surprise ") == "surprised");
    CHECK(*emo::data::canonical_label("anger") == "angry");
    CHECK(*emo::data::canonical_label("calm") == "calm");
    CHECK_FALSE(emo::data::canonical_label("contempt").has_value());
}

TEST_CASE("reads the RAVDESS folder: 1200 clips, 20 actors, 8 labels", "[data]") {
    const auto dir = emo::test::data_dir();
    if (dir.empty()) return;
    const auto ds = emo::data::read_ravdess(dir + "/ravdess");
    CHECK(ds.samples.size() == 1200);
    CHECK(ds.labels().size() == 8);
    CHECK(emo::data::speakers_of(ds.samples).size() == 20);
    int neutral = 0;
    for (const auto& s : ds.samples) neutral += s.label == "neutral";
    CHECK(neutral == 20 * 4);
}

TEST_CASE("manifest CSV: relative paths, optional speaker, bad rows named", "[data]") {
    emo::test::TempDir tmp;
    const auto csv = tmp.file("m.csv");
    emo::test::write_text(csv, "path,label,speaker\nclips/a.wav,Fear,s1\n\"clips/b, c.wav\",happy,s2\n");
    const auto ds = emo::data::read_manifest(csv);
    REQUIRE(ds.samples.size() == 2);
    CHECK(ds.samples[0].path == tmp.file("clips/a.wav"));
    CHECK(ds.samples[0].label == "fearful");
    CHECK(ds.samples[1].path == tmp.file("clips/b, c.wav"));
    CHECK(ds.samples[1].speaker == "s2");

    emo::test::write_text(csv, "file,emotion\na.wav,happy\n");
    CHECK_THROWS_WITH(emo::data::read_manifest(csv), Contains("header"));
    // A label beyond the canonical eight (a model extended with --extend-labels) is a label like any other.
    emo::test::write_text(csv, "path,label\na.wav,happy\nb.wav,Contempt\n");
    CHECK(emo::data::read_manifest(csv).labels() == std::vector<std::string>{"happy", "contempt"});
    emo::test::write_text(csv, "path,label\na.wav,happy\nb.wav,very happy!\n");
    CHECK_THROWS_WITH(emo::data::read_manifest(csv), Contains("line 3: label 'very happy!' is not a word"));
    emo::test::write_text(csv, "path,label\na.wav\n");
    CHECK_THROWS_WITH(emo::data::read_manifest(csv), Contains("line 2"));
}

TEST_CASE("speaker splits never share a speaker", "[data]") {
    std::vector<emo::data::Sample> samples;
    for (int spk = 1; spk <= 6; ++spk)
        for (int i = 0; i < 3; ++i)
            samples.push_back({"f" + std::to_string(spk) + std::to_string(i), "happy", std::to_string(spk)});
    const auto split = emo::data::split_by_speaker(samples, {"2", "5"});
    CHECK(split.validation.size() == 6);
    CHECK(split.train.size() == 12);
    for (const auto& s : split.train) CHECK((s.speaker != "2" && s.speaker != "5"));
    CHECK_THROWS_WITH(emo::data::split_by_speaker(samples, {"9"}), Contains("'9'"));

    CHECK(emo::data::select_speakers(samples, {"3"}).size() == 3);
    CHECK_THROWS_AS(emo::data::select_speakers(samples, {"x"}), emo::ConfigError);

    const auto folds = emo::data::kfold_by_speaker(samples, 3);
    REQUIRE(folds.size() == 3);
    std::multiset<std::string> held;
    for (const auto& f : folds) {
        for (const auto& v : emo::data::speakers_of(f.validation)) held.insert(v);
        for (const auto& t : f.train)
            for (const auto& v : f.validation) CHECK(t.speaker != v.speaker);
    }
    CHECK(held.size() == 6);  // every speaker validated exactly once
    CHECK(std::set<std::string>(held.begin(), held.end()).size() == 6);
    CHECK_THROWS_AS(emo::data::kfold_by_speaker(samples, 7), emo::ConfigError);
}

TEST_CASE("a dataset's description counts samples per class and per speaker", "[data][describe]") {
    const std::vector<emo::data::Sample> samples{
        {"a.wav", "sad", "01"}, {"b.wav", "sad", "02"}, {"c.wav", "calm", "01"}, {"d.wav", "contempt", "02"}};
    const auto d = emo::data::describe(samples);
    CHECK(d.labels == std::vector<std::string>{"calm", "sad", "contempt"});
    CHECK(d.per_label == std::vector<int>{1, 2, 1});
    CHECK(d.speakers == std::vector<std::string>{"01", "02"});
    CHECK(d.per_speaker[1] == std::vector<int>{0, 1, 1});
    CHECK_THAT(d.text(), Catch::Matchers::Contains("sad                 2    50.0%") &&
                             Catch::Matchers::Contains("total               4"));
    const auto no_speakers = emo::data::describe({{"x.png", "happy", ""}});
    CHECK(no_speakers.speakers.empty());
    CHECK(no_speakers.text().find("per speaker") == std::string::npos);
}

TEST_CASE("stratified folds give every fold its share of every label, reproducibly", "[data][split]") {
    std::vector<std::string> labels;
    for (int i = 0; i < 50; ++i) labels.push_back("happy");
    for (int i = 0; i < 20; ++i) labels.push_back("sad");
    for (int i = 0; i < 3; ++i) labels.push_back("disgust");  // fewer than the folds
    const auto fold = emo::data::stratified_folds(labels, 5, 7);
    REQUIRE(fold.size() == labels.size());
    std::map<std::string, std::vector<int>> per_fold;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        REQUIRE(fold[i] >= 0);
        REQUIRE(fold[i] < 5);
        per_fold[labels[i]].resize(5);
        ++per_fold[labels[i]][std::size_t(fold[i])];
    }
    CHECK(per_fold["happy"] == std::vector<int>{10, 10, 10, 10, 10});
    CHECK(per_fold["sad"] == std::vector<int>{4, 4, 4, 4, 4});
    int disgust_folds = 0;
    for (int n : per_fold["disgust"]) disgust_folds += n > 0;
    CHECK(disgust_folds == 3);  // three items in three different folds
    CHECK(emo::data::stratified_folds(labels, 5, 7) == fold);
    CHECK(emo::data::stratified_folds(labels, 5, 8) != fold);
    CHECK_THROWS_AS(emo::data::stratified_folds(labels, 1, 7), emo::ConfigError);
    CHECK_THROWS_AS(emo::data::stratified_folds({"a", "b"}, 3, 7), emo::ConfigError);
}
