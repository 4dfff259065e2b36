#pragma once
// The speech CNN as a LibTorch module, and model-file I/O on it. Includes torch: only training and
// model code include this header.
#include <torch/torch.h>

#include "emo/model_file.hpp"

namespace emo::models {

// Input [batch, 1, n_features, frames] -> logits [batch, num_classes].
// Each block: convs_per_block x (conv3x3 -> batchnorm -> ReLU), then 2x2 max-pool.
// Head: mean over frequency (or, with keep_frequency, the frequency rows side by side), mean+max
// over time (or, with attention_pooling, an attention-weighted mean and standard deviation), dropout,
// linear.
// The identity forward; backward multiplies the gradient by -scale (the gradient-reversal layer of
// domain-adversarial training).
torch::Tensor reverse_gradient(const torch::Tensor& x, double scale);

class SpeechCnnImpl : public torch::nn::Module {
public:
    SpeechCnnImpl(const config::SpeechCnnOptions& opts, int input_bands, int num_classes);
    torch::Tensor forward(torch::Tensor x);
    // Training with a corpus adversary: the emotion logits and the corpus classifier's logits
    // [batch, corpora], the latter on the pooled embedding behind reverse_gradient(scale).
    struct Outputs {
        torch::Tensor logits, corpus_logits;
    };
    Outputs forward_with_corpus(torch::Tensor x, double reversal_scale);
    // Adds the corpus classifier (training only; prediction never runs it, and a model file's copy of
    // it is ignored when the file is loaded for prediction).
    void add_corpus_head(int corpora, int hidden);
    bool has_corpus_head() const { return !corpus_head_.is_empty(); }
    int num_classes() const { return int(classifier_->options.out_features()); }
    // The convolutional trunk (what fine-tuning may freeze).
    torch::nn::Sequential& features() { return features_; }
    // Grows the classifier to `num_classes` outputs; the existing outputs keep their weights.
    void extend_classes(int num_classes);
    // Folds the trunk for inference (conv_blocks.hpp: inference_trunk) in `precision` (kFp32 or kBf16);
    // the network can no longer train.
    void fold_for_inference(Precision precision);

private:
    torch::Tensor pool_time(const torch::Tensor& x);  // [B, D, T'] -> [B, 2D]
    torch::Tensor embed(torch::Tensor x);             // input -> pooled embedding [B, 2D]

    torch::nn::Sequential features_{nullptr};
    torch::nn::Sequential attention_{nullptr};  // frame scores, [B, D, T'] -> [B, 1, T']; null: mean + max
    torch::nn::Dropout dropout_{nullptr};
    torch::nn::Linear classifier_{nullptr};
    torch::nn::Sequential corpus_head_{nullptr};
    bool keep_frequency_ = false;
};
TORCH_MODULE(SpeechCnn);

// Reads a speech model file into a freshly built network. Throws InputError like SpeechModel::load.
SpeechCnn load_speech_network(const std::string& path, ModelMetadata& meta, config::SpeechConfig& config);

}  // namespace emo::models

namespace emo::models {
// Class probabilities [clips x labels] from a network in memory (see SpeechModel::predict): the mean over
// a clip's windows of softmax(logits / temperature). `groups`: clips of one speaker (see speaker_means).
std::vector<std::vector<float>> predict_clips(SpeechCnn& net, const config::SpeechInputOptions& input,
                                              const std::vector<float>& mean, const std::vector<float>& std,
                                              std::vector<audio::Features> clips, int batch_size,
                                              float temperature = 1.0f, const std::vector<int>& groups = {});
// The logits of every window of every clip [clips][windows][labels], for calibration.
std::vector<std::vector<std::vector<float>>> window_logits(SpeechCnn& net, const config::SpeechInputOptions& input,
                                                           const std::vector<float>& mean,
                                                           const std::vector<float>& std,
                                                           std::vector<audio::Features> clips, int batch_size,
                                                           const std::vector<int>& groups = {});
}  // namespace emo::models
