#pragma once
// Helpers of the tests that train short real runs on RAVDESS and compare what their models say.
#include <stdexcept>
#include <string>
#include <vector>

#include "emo/models.hpp"
#include "emo/train.hpp"

namespace emo::test {

// A small speech network and short clips, `epochs` epochs, speaker 05 held out.
inline config::SpeechConfig tiny_speech_config(const std::string& cache_dir, int epochs) {
    auto c = config::parse_speech_config(
        "model: {channels: [8, 16], dropout: 0.2}\n"
        "input: {segment_seconds: 2.0}\n"
        "augment: {mixup_alpha: 0.2}\n"
        "train: {batch_size: 16, learning_rate: 0.003, patience: 0, seed: 3, threads: 1}\n"
        "split: {validation_speakers: ['05']}\n",
        "test-config");
    c.train.epochs = epochs;
    c.cache_dir = cache_dir;
    return c;
}

// RAVDESS clips with one of `labels`, of actors 01..max_actor.
inline data::Dataset ravdess_clips(const std::string& data_dir, const std::vector<std::string>& labels, int max_actor) {
    auto all = data::read_ravdess(data_dir + "/ravdess");
    data::Dataset ds;
    ds.source = all.source;
    for (const auto& s : all.samples)
        if (std::find(labels.begin(), labels.end(), s.label) != labels.end() && std::stoi(s.speaker) <= max_actor)
            ds.samples.push_back(s);
    return ds;
}

// A speech model file's class probabilities for each sample.
inline std::vector<std::vector<float>> speech_scores(const std::string& model_path,
                                                     const std::vector<data::Sample>& samples,
                                                     Precision precision = Precision::kAuto) {
    const auto model = models::SpeechModel::load(model_path, {"cpu", precision});
    std::vector<std::string> files;
    for (const auto& s : samples) files.push_back(s.path);
    std::vector<std::vector<float>> out;
    for (const auto& p : models::predict_speech_files(model, files, 1)) out.push_back(p.scores);
    return out;
}

// Thrown from a run's callbacks to stop it where a crash would.
struct Interrupted : std::runtime_error {
    Interrupted() : std::runtime_error("interrupted") {}
};

}  // namespace emo::test
