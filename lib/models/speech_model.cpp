#include <algorithm>
#include <functional>
#include <thread>

#include "emo/argmax.hpp"
#include "emo/error.hpp"
#include "emo/model_file.hpp"
#include "emo/speech_cnn.hpp"

namespace emo::models {
namespace {
// Window starts with half overlap covering every frame; one window when the clip fits.
std::vector<int> window_starts(int frames, int seg) {
    if (frames <= seg) return {0};
    std::vector<int> starts;
    for (int start = 0; start + seg < frames; start += std::max(1, seg / 2)) starts.push_back(start);
    starts.push_back(frames - seg);
    return starts;
}
}  // namespace

struct SpeechModel::Impl {
    std::string path;
    ModelMetadata meta;
    config::SpeechConfig config;
    SpeechCnn net{nullptr};
    Precision precision = Precision::kFp32;
};

SpeechModel::SpeechModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SpeechModel::SpeechModel(SpeechModel&&) noexcept = default;
SpeechModel& SpeechModel::operator=(SpeechModel&&) noexcept = default;
SpeechModel::~SpeechModel() = default;

SpeechModel SpeechModel::load(const std::string& path, const Placement& where) {
    const Placement placement = resolved(where);  // refused before the file is read
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->net = load_speech_network(path, impl->meta, impl->config);
    impl->net->to(device_named(placement.device));
    impl->precision = placement.precision;
    impl->net->fold_for_inference(impl->precision);  // a SpeechModel only predicts
    return SpeechModel(std::move(impl));
}

const ModelMetadata& SpeechModel::metadata() const { return impl_->meta; }
const config::SpeechConfig& SpeechModel::config() const { return impl_->config; }
const std::string& SpeechModel::path() const { return impl_->path; }
Precision SpeechModel::precision() const { return impl_->precision; }

std::vector<std::vector<float>> SpeechModel::predict(std::vector<audio::Features> clips, int batch_size,
                                                     const std::vector<int>& groups) const {
    return predict_clips(impl_->net, impl_->config.input, impl_->meta.feature_mean, impl_->meta.feature_std,
                         std::move(clips), batch_size, impl_->meta.temperature, groups);
}

namespace {
// Cuts every clip into windows of the model's segment (half overlap; a clip shorter than one window is
// zero-padded), runs them through the network in batches and hands each batch's fp32 logits [n, K] on the
// CPU to `take` with the clip of each row.
void score_windows(SpeechCnn& net, const config::SpeechInputOptions& input, const std::vector<float>& mean,
                   const std::vector<float>& std, std::vector<audio::Features>& clips, const std::vector<int>& groups,
                   int batch_size,
                   const std::function<void(const torch::Tensor&, const std::vector<std::size_t>&)>& take) {
    const int seg = input.segment_frames();
    const int dim = input.features.dim();
    struct Window {
        std::size_t clip;
        int start;
    };
    std::vector<Window> windows;
    for (const auto& clip : clips) {
        if (clip.dim != dim) {
            throw RuntimeError("features have dimension " + std::to_string(clip.dim) + ", model expects " +
                               std::to_string(dim));
        }
    }
    const auto by_speaker =
        input.speaker_norm && !groups.empty() ? speaker_means(clips, groups) : std::vector<std::vector<float>>{};
    for (std::size_t c = 0; c < clips.size(); ++c) {
        normalise(clips[c], input, mean, std, by_speaker.empty() ? nullptr : &by_speaker[c]);
        for (int start : window_starts(clips[c].num_frames, seg)) windows.push_back({c, start});
    }
    torch::InferenceMode guard;
    const bool was_training = net->is_training();
    net->eval();
    const auto device = device_of(*net);
    for (std::size_t b = 0; b < windows.size(); b += std::size_t(batch_size)) {
        const std::size_t n = std::min(windows.size() - b, std::size_t(batch_size));
        // Batches are padded to a multiple of kBatchStep rows (the padding is scored and ignored): oneDNN keeps
        // the primitives of every input shape it has seen (up to 1,024), so each distinct batch size would hold
        // memory for the life of the process (peak RSS over 6,455 clips: 586 MB, 462 MB with a cache of 4).
        constexpr std::size_t kBatchStep = 16;
        const std::size_t rows = (n + kBatchStep - 1) / kBatchStep * kBatchStep;
        auto batch = torch::zeros({long(rows), 1, dim, seg});
        auto acc = batch.accessor<float, 4>();
        std::vector<std::size_t> clip_of_row;
        for (std::size_t i = 0; i < n; ++i) {
            const auto& w = windows[b + i];
            const auto& f = clips[w.clip];
            const int frames = std::min(seg, f.num_frames - w.start);
            for (int t = 0; t < frames; ++t) {
                const float* row = f.frame(w.start + t);
                for (int d = 0; d < dim; ++d) acc[long(i)][0][d][t] = row[d];
            }
            clip_of_row.push_back(w.clip);
        }
        take(net->forward(batch.to(device)).to(torch::kFloat32).to(torch::kCPU).contiguous(), clip_of_row);
    }
    net->train(was_training);
}
}  // namespace

std::vector<std::vector<float>> predict_clips(SpeechCnn& net, const config::SpeechInputOptions& input,
                                              const std::vector<float>& mean, const std::vector<float>& std,
                                              std::vector<audio::Features> clips, int batch_size, float temperature,
                                              const std::vector<int>& groups) {
    const auto num_labels = std::size_t(net->num_classes());
    std::vector<std::vector<float>> sums(clips.size(), std::vector<float>(num_labels, 0.0f));
    std::vector<int> counts(clips.size(), 0);
    score_windows(
        net, input, mean, std, clips, groups, batch_size, [&](const torch::Tensor& logits, const auto& clip_of_row) {
            const auto probs = torch::softmax(temperature == 1.0f ? logits : logits / temperature, 1).contiguous();
            const float* p = probs.data_ptr<float>();
            for (std::size_t i = 0; i < clip_of_row.size(); ++i) {
                for (std::size_t k = 0; k < num_labels; ++k) sums[clip_of_row[i]][k] += p[i * num_labels + k];
                ++counts[clip_of_row[i]];
            }
        });
    for (std::size_t c = 0; c < clips.size(); ++c)
        for (auto& v : sums[c]) v /= float(counts[c]);
    return sums;
}

std::vector<std::vector<std::vector<float>>> window_logits(SpeechCnn& net, const config::SpeechInputOptions& input,
                                                           const std::vector<float>& mean,
                                                           const std::vector<float>& std,
                                                           std::vector<audio::Features> clips, int batch_size,
                                                           const std::vector<int>& groups) {
    std::vector<std::vector<std::vector<float>>> out(clips.size());
    score_windows(net, input, mean, std, clips, groups, batch_size,
                  [&](const torch::Tensor& logits, const auto& clip_of_row) {
                      const long k = logits.size(1);
                      const float* l = logits.data_ptr<float>();
                      for (std::size_t i = 0; i < clip_of_row.size(); ++i)
                          out[clip_of_row[i]].emplace_back(l + long(i) * k, l + long(i + 1) * k);
                  });
    return out;
}

std::vector<ClipPrediction> predict_speech_files(const SpeechModel& model, const std::vector<std::string>& files,
                                                 int threads, const audio::VoiceActivityOptions* voice_activity,
                                                 const std::vector<int>& groups) {
    if (!groups.empty() && groups.size() != files.size())
        throw RuntimeError("predict_speech_files: one speaker group per file expected");
    std::vector<std::string> errors;
    auto features = featurize_all(model.config().input, files, "", false, threads, &errors, voice_activity);
    std::vector<bool> scored(files.size());
    std::vector<audio::Features> readable;
    std::vector<int> readable_groups;
    for (std::size_t i = 0; i < files.size(); ++i) {
        scored[i] = errors[i].empty() && features[i].num_frames > 0;  // 0 frames: no speech
        if (!scored[i]) continue;
        readable.push_back(std::move(features[i]));
        if (!groups.empty()) readable_groups.push_back(groups[i]);
    }
    const auto probs = model.predict(std::move(readable), 64, readable_groups);
    std::vector<ClipPrediction> out(files.size());
    std::size_t next = 0;
    for (std::size_t i = 0; i < files.size(); ++i) {
        out[i].file = files[i];
        out[i].precision = precision_name(model.precision());
        if (!errors[i].empty()) {
            out[i].error = errors[i];
            continue;
        }
        if (!scored[i]) {
            out[i].no_speech = true;
            continue;
        }
        out[i].scores = probs[next++];
        const auto best = core::argmax(out[i].scores);
        out[i].label = model.metadata().labels[best];
        out[i].confidence = out[i].scores[best];
    }
    return out;
}

void set_threads(int threads) {
    const int n = threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency()));
    torch::set_num_threads(n);
}

}  // namespace emo::models
