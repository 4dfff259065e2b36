#include "conv_blocks.hpp"
#include "emo/error.hpp"
#include "emo/speech_cnn.hpp"

namespace emo::models {

namespace {
// Frequency rows left after the trunk: every block's 2x2 max-pool (ceil mode) halves them.
int trunk_rows(int input_bands, std::size_t blocks) {
    for (std::size_t b = 0; b < blocks; ++b) input_bands = (input_bands + 1) / 2;
    return input_bands;
}
}  // namespace

SpeechCnnImpl::SpeechCnnImpl(const config::SpeechCnnOptions& opts, int input_bands, int num_classes)
    : keep_frequency_(opts.keep_frequency) {
    features_ = register_module("features", conv_blocks(opts));
    dropout_ = register_module("dropout", torch::nn::Dropout(opts.dropout));
    const int rows = keep_frequency_ ? trunk_rows(input_bands, opts.channels.size()) : 1;
    const int pooled = opts.channels.back() * rows;
    if (opts.attention_pooling) {
        constexpr int kHidden = 64;
        attention_ =
            register_module("attention", torch::nn::Sequential(torch::nn::Conv1d(pooled, kHidden, 1), torch::nn::Tanh(),
                                                               torch::nn::Conv1d(kHidden, 1, 1)));
    }
    classifier_ = register_module("classifier", torch::nn::Linear(2 * pooled, num_classes));
}

torch::Tensor SpeechCnnImpl::pool_time(const torch::Tensor& x) {
    if (!attention_) return torch::cat({x.mean(2), std::get<0>(x.max(2))}, 1);
    const auto weights = torch::softmax(attention_->forward(x).to(torch::kFloat32),
                                        2);  // fp32 under autocast too  // [B, 1, T'], each row sums to 1
    const auto mean = (weights * x).sum(2);
    const auto variance = (weights * x * x).sum(2) - mean * mean;
    return torch::cat({mean, torch::sqrt(variance.clamp_min(1e-6))}, 1);
}

void SpeechCnnImpl::extend_classes(int num_classes) {
    if (num_classes < this->num_classes()) throw RuntimeError("a classifier cannot shrink");
    if (num_classes == this->num_classes()) return;
    classifier_ = replace_module("classifier", extended_linear(classifier_, num_classes));
}

void SpeechCnnImpl::fold_for_inference(Precision precision) {
    features_ = replace_module("features", inference_trunk(features_, precision));
}

torch::Tensor SpeechCnnImpl::embed(torch::Tensor x) {
    x = features_->forward(x);                          // [B, C, F', T']
    x = keep_frequency_ ? x.flatten(1, 2) : x.mean(2);  // [B, C*F' or C, T']
    return pool_time(x);
}

torch::Tensor SpeechCnnImpl::forward(torch::Tensor x) { return classifier_->forward(dropout_->forward(embed(x))); }

SpeechCnnImpl::Outputs SpeechCnnImpl::forward_with_corpus(torch::Tensor x, double reversal_scale) {
    if (corpus_head_.is_empty()) throw RuntimeError("forward_with_corpus: the network has no corpus classifier");
    const auto pooled = embed(x);
    return {classifier_->forward(dropout_->forward(pooled)),
            corpus_head_->forward(reverse_gradient(pooled, reversal_scale))};
}

void SpeechCnnImpl::add_corpus_head(int corpora, int hidden) {
    const long pooled = classifier_->options.in_features();
    corpus_head_ =
        register_module("corpus_head", torch::nn::Sequential(torch::nn::Linear(pooled, hidden), torch::nn::ReLU(),
                                                             torch::nn::Linear(hidden, corpora)));
}

}  // namespace emo::models

namespace emo::models {

SpeechCnn load_speech_network(const std::string& path, ModelMetadata& meta, config::SpeechConfig& config) {
    auto archive = open_model(path, "speech", meta);
    try {
        config = config::parse_speech_config(meta.config_yaml, path + " (embedded config)");
    } catch (const ConfigError& e) {
        throw InputError(path, std::string("corrupt embedded config: ") + e.what());
    }
    const auto dim = std::size_t(config.input.features.dim());
    if (meta.feature_mean.size() != dim || meta.feature_std.size() != dim) {
        throw InputError(path, "corrupt model metadata: normalisation statistics do not match the features");
    }
    SpeechCnn net(config.model, int(dim), int(meta.labels.size()));
    load_weights(path, archive, *net);
    return net;
}

}  // namespace emo::models
