#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
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

void normalise(audio::Features& f, const config::SpeechInputOptions& input, const std::vector<float>& mean,
               const std::vector<float>& std) {
    const auto dim = std::size_t(f.dim);
    if (input.utterance_norm && f.num_frames > 0) {
        std::vector<double> clip_mean(dim, 0.0);
        for (int t = 0; t < f.num_frames; ++t)
            for (std::size_t d = 0; d < dim; ++d) clip_mean[d] += f.data[std::size_t(t) * dim + d];
        for (std::size_t d = 0; d < dim; ++d) clip_mean[d] /= f.num_frames;
        for (int t = 0; t < f.num_frames; ++t)
            for (std::size_t d = 0; d < dim; ++d) f.data[std::size_t(t) * dim + d] -= float(clip_mean[d]);
    }
    for (int t = 0; t < f.num_frames; ++t)
        for (std::size_t d = 0; d < dim; ++d) {
            float& v = f.data[std::size_t(t) * dim + d];
            v = (v - mean[d]) / std[d];
        }
}

}  // namespace emo::models
