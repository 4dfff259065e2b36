// Speaker normalisation (input.speaker_norm): a speaker's per-band mean removed, so a microphone's colouring
// and level, which add a per-band offset to log-mel features, no longer reach the network.
#include <torch/torch.h>

#include <cmath>

#include "emo/audio.hpp"
#include "emo/error.hpp"
#include "emo/models.hpp"
#include "emo/speech_cnn.hpp"
#include "helpers.hpp"

namespace {
// Another microphone: 6 dB quieter and tilted towards the highs (first-order pre-emphasis).
std::vector<float> other_microphone(const std::vector<float>& x) {
    std::vector<float> y(x.size());
    for (std::size_t n = 0; n < x.size(); ++n) y[n] = 0.5f * (x[n] - (n > 0 ? 0.9f * x[n - 1] : 0.0f));
    return y;
}

double mean_abs_difference(const std::vector<std::vector<float>>& a, const std::vector<std::vector<float>>& b) {
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        for (std::size_t k = 0; k < a[i].size(); ++k, ++n) sum += std::abs(a[i][k] - b[i][k]);
    return sum / double(n);
}
}  // namespace

TEST_CASE("speaker means: per group, over every frame of its clips", "[speech][speaker_norm]") {
    emo::audio::Features a, b, c;
    a.dim = b.dim = c.dim = 2;
    a.num_frames = 1, a.data = {1, 2};
    b.num_frames = 3, b.data = {3, 4, 3, 4, 3, 4};
    c.num_frames = 1, c.data = {10, 20};
    const auto means = emo::models::speaker_means({a, b, c}, {0, 0, 1});
    CHECK(means[0] == std::vector<float>{2.5f, 3.5f});  // (1 + 3 * 3) / 4, (2 + 3 * 4) / 4
    CHECK(means[1] == means[0]);
    CHECK(means[2] == std::vector<float>{10, 20});
    CHECK_THROWS_AS(emo::models::speaker_means({a}, {0, 1}), emo::RuntimeError);
    CHECK(emo::models::speaker_groups({"x", "y", "x"}, emo::models::SpeakerGrouping::kSpeaker) ==
          std::vector<int>{0, 1, 0});
    CHECK(emo::models::speaker_groups({"x", "y"}, emo::models::SpeakerGrouping::kBatch) == std::vector<int>{0, 0});
    CHECK(emo::models::speaker_groups({"x", "x"}, emo::models::SpeakerGrouping::kNone) == std::vector<int>{0, 1});
    CHECK_THROWS_WITH(emo::models::parse_speaker_grouping("all", "--normalize"),
                      Catch::Matchers::Contains("--normalize") && Catch::Matchers::Contains("none, batch or speaker"));
}

TEST_CASE("speaker normalisation brings a speaker's clips through two microphones closer", "[speech][speaker_norm]") {
    const auto dir = emo::test::data_dir();
    if (dir.empty()) return;
    emo::config::SpeechInputOptions plain;
    plain.features.n_mels = 64;
    auto by_speaker = plain;
    by_speaker.speaker_norm = true;
    emo::models::SpeechFeaturizer featurizer(plain);
    std::vector<emo::audio::Features> mic1, mic2;
    for (const char* name : {"03-01-01-01-01-01-01", "03-01-03-02-01-01-01", "03-01-05-02-02-01-01",
                             "03-01-04-01-02-02-01", "03-01-06-02-01-02-01"}) {
        const auto clip = emo::audio::load_audio(dir + "/ravdess/Actor_01/" + name + ".flac", 16000);
        mic1.push_back(featurizer.featurize_samples(clip.samples));
        mic2.push_back(featurizer.featurize_samples(other_microphone(clip.samples)));
    }
    // The same network (fixed seed) scores both recordings, once with the speaker's mean removed per microphone
    // (each microphone's clips one group), once with the global statistics only.
    torch::manual_seed(2);
    emo::config::SpeechCnnOptions cnn;
    cnn.channels = {8, 16};
    emo::models::SpeechCnn net(cnn, 64, 5);
    const std::vector<float> mean(64, -40.0f), stdev(64, 15.0f);
    const std::vector<int> one_speaker(mic1.size(), 0);
    const auto scores = [&](const emo::config::SpeechInputOptions& input, const std::vector<emo::audio::Features>& c,
                            const std::vector<int>& groups) {
        return emo::models::predict_clips(net, input, mean, stdev, c, 16, 1.0f, groups);
    };
    const double with =
        mean_abs_difference(scores(by_speaker, mic1, one_speaker), scores(by_speaker, mic2, one_speaker));
    const double without = mean_abs_difference(scores(plain, mic1, {}), scores(plain, mic2, {}));
    INFO("mean |score difference| between microphones: " << with << " with speaker means, " << without << " without");
    CHECK(with < 0.5 * without);
}
