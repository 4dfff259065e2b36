#include "emo/speech_cnn.hpp"

namespace emo::models {

SpeechCnnImpl::SpeechCnnImpl(const config::SpeechModelOptions& opts, int num_classes) {
    namespace nn = torch::nn;
    features_ = nn::Sequential();
    int in = 1;
    for (int out : opts.channels) {
        for (int layer = 0; layer < opts.convs_per_block; ++layer) {
            features_->push_back(nn::Conv2d(nn::Conv2dOptions(layer == 0 ? in : out, out, 3).padding(1).bias(false)));
            features_->push_back(nn::BatchNorm2d(out));
            features_->push_back(nn::ReLU(nn::ReLUOptions(true)));
        }
        features_->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2).ceil_mode(true)));
        in = out;
    }
    register_module("features", features_);
    dropout_ = register_module("dropout", nn::Dropout(opts.dropout));
    classifier_ = register_module("classifier", nn::Linear(2 * in, num_classes));
}

torch::Tensor SpeechCnnImpl::forward(torch::Tensor x) {
    x = features_->forward(x);           // [B, C, F', T']
    x = x.mean(2);                       // [B, C, T']
    x = torch::cat({x.mean(2), std::get<0>(x.max(2))}, 1);  // [B, 2C]
    return classifier_->forward(dropout_->forward(x));
}

}  // namespace emo::models
