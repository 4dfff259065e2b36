#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <map>
#include <thread>

#include "emo/error.hpp"
#include "emo/models.hpp"

namespace emo::models {

SpeechFeaturizer::SpeechFeaturizer(const config::SpeechInputOptions& input, std::string cache_dir, bool use_cache)
    : input_(input), extractor_(input.features) {
    if (use_cache) {
        cache_ = std::make_unique<data::FeatureCache>(std::move(cache_dir), config::input_fingerprint(input));
    }
}

audio::Features SpeechFeaturizer::featurize(const std::string& path,
                                            const audio::VoiceActivityOptions* voice_activity) {
    if (cache_) {
        if (auto hit = cache_->get(path)) return std::move(*hit);
    }
    const auto clip = audio::load_audio(path, input_.features.sample_rate);
    if (voice_activity && !audio::has_speech(clip.samples, clip.sample_rate, *voice_activity)) return {};
    const auto voiced = audio::trim_silence(clip.samples, input_.trim);
    auto features = extractor_.compute(voiced);
    if (features.num_frames == 0) {
        throw InputError(path, "too short: " + std::to_string(clip.samples.size()) + " samples at " +
                                   std::to_string(clip.sample_rate) + " Hz give no feature frame");
    }
    if (cache_) cache_->put(path, features);
    return features;
}

audio::Features SpeechFeaturizer::featurize_samples(const std::vector<float>& samples) {
    return extractor_.compute(audio::trim_silence(samples, input_.trim));
}

std::vector<audio::Features> featurize_all(const config::SpeechInputOptions& input,
                                           const std::vector<std::string>& paths, const std::string& cache_dir,
                                           bool use_cache, int threads, std::vector<std::string>* errors,
                                           const audio::VoiceActivityOptions* voice_activity) {
    const int workers =
        std::max(1, std::min<int>(threads > 0 ? threads : int(std::thread::hardware_concurrency()), int(paths.size())));
    std::vector<audio::Features> out(paths.size());
    std::vector<std::exception_ptr> failures(paths.size());
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        SpeechFeaturizer featurizer(input, cache_dir, use_cache);
        for (std::size_t i = next++; i < paths.size(); i = next++) {
            try {
                out[i] = featurizer.featurize(paths[i], voice_activity);
            } catch (...) {
                failures[i] = std::current_exception();
            }
        }
    };
    std::vector<std::thread> pool;
    for (int w = 1; w < workers; ++w) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    if (errors) errors->assign(paths.size(), "");
    for (std::size_t i = 0; i < paths.size(); ++i) {
        if (!failures[i]) continue;
        if (!errors) std::rethrow_exception(failures[i]);
        try {
            std::rethrow_exception(failures[i]);
        } catch (const std::exception& e) {
            (*errors)[i] = e.what();
        }
    }
    return out;
}

namespace {
std::vector<double> band_sums(const audio::Features& f) {
    const auto dim = std::size_t(f.dim);
    std::vector<double> sum(dim, 0.0);
    for (int t = 0; t < f.num_frames; ++t)
        for (std::size_t d = 0; d < dim; ++d) sum[d] += f.data[std::size_t(t) * dim + d];
    return sum;
}

void subtract(audio::Features& f, const std::vector<float>& per_band) {
    const auto dim = std::size_t(f.dim);
    for (int t = 0; t < f.num_frames; ++t)
        for (std::size_t d = 0; d < dim; ++d) f.data[std::size_t(t) * dim + d] -= per_band[d];
}

std::vector<float> own_mean(const audio::Features& f) {
    const auto sum = band_sums(f);
    std::vector<float> mean(sum.size());
    for (std::size_t d = 0; d < sum.size(); ++d) mean[d] = float(sum[d] / std::max(1, f.num_frames));
    return mean;
}
}  // namespace

void normalise(audio::Features& f, const config::SpeechInputOptions& input, const std::vector<float>& mean,
               const std::vector<float>& std, const std::vector<float>* speaker_mean) {
    const auto dim = std::size_t(f.dim);
    if (f.num_frames > 0 && (input.utterance_norm || input.speaker_norm)) {
        const bool by_speaker = input.speaker_norm && speaker_mean != nullptr;
        subtract(f, by_speaker ? *speaker_mean : own_mean(f));
    }
    for (int t = 0; t < f.num_frames; ++t)
        for (std::size_t d = 0; d < dim; ++d) {
            float& v = f.data[std::size_t(t) * dim + d];
            v = (v - mean[d]) / std[d];
        }
}

std::vector<std::vector<float>> speaker_means(const std::vector<audio::Features>& clips,
                                              const std::vector<int>& group) {
    if (clips.size() != group.size()) throw RuntimeError("speaker_means: one group per clip expected");
    std::map<int, std::vector<double>> sums;
    std::map<int, double> frames;
    for (std::size_t i = 0; i < clips.size(); ++i) {
        const auto s = band_sums(clips[i]);
        auto& total = sums[group[i]];
        total.resize(s.size(), 0.0);
        for (std::size_t d = 0; d < s.size(); ++d) total[d] += s[d];
        frames[group[i]] += clips[i].num_frames;
    }
    std::vector<std::vector<float>> out;
    for (std::size_t i = 0; i < clips.size(); ++i) {
        const auto& total = sums[group[i]];
        std::vector<float> mean(total.size());
        for (std::size_t d = 0; d < total.size(); ++d) mean[d] = float(total[d] / std::max(1.0, frames[group[i]]));
        out.push_back(std::move(mean));
    }
    return out;
}

SpeakerGrouping parse_speaker_grouping(const std::string& name, const std::string& what) {
    if (name == "none") return SpeakerGrouping::kNone;
    if (name == "batch") return SpeakerGrouping::kBatch;
    if (name == "speaker") return SpeakerGrouping::kSpeaker;
    throw ConfigError(what + ": expected none, batch or speaker, got '" + name + "'");
}

std::vector<int> speaker_groups(const std::vector<std::string>& speakers, SpeakerGrouping grouping) {
    std::vector<int> out;
    std::map<std::string, int> ids;
    for (std::size_t i = 0; i < speakers.size(); ++i) {
        switch (grouping) {
            case SpeakerGrouping::kNone: out.push_back(int(i)); break;
            case SpeakerGrouping::kBatch: out.push_back(0); break;
            case SpeakerGrouping::kSpeaker:
                out.push_back(ids.emplace(speakers[i], int(ids.size())).first->second);
                break;
        }
    }
    return out;
}

}  // namespace emo::models
