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
class SpeechCnnImpl : public torch::nn::Module {
public:
    SpeechCnnImpl(const config::SpeechCnnOptions& opts, int input_bands, int num_classes);
    torch::Tensor forward(torch::Tensor x);
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

    torch::nn::Sequential features_{nullptr};
    torch::nn::Sequential attention_{nullptr};  // frame scores, [B, D, T'] -> [B, 1, T']; null: mean + max
    torch::nn::Dropout dropout_{nullptr};
    torch::nn::Linear classifier_{nullptr};
    bool keep_frequency_ = false;
};
TORCH_MODULE(SpeechCnn);

// Reads a speech model file into a freshly built network. Throws InputError like SpeechModel::load.
SpeechCnn load_speech_network(const std::string& path, ModelMetadata& meta, config::SpeechConfig& config);

}  // namespace emo::models

namespace emo::models {
// Class probabilities [clips x labels] from a network in memory (see SpeechModel::predict).
std::vector<std::vector<float>> predict_clips(SpeechCnn& net, const config::SpeechInputOptions& input,
                                              const std::vector<float>& mean, const std::vector<float>& std,
                                              std::vector<audio::Features> clips, int batch_size);
}  // namespace emo::models
