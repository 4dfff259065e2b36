#include "emo/face_cnn.hpp"

#include "conv_blocks.hpp"
#include "emo/error.hpp"
#include "emo/model_file.hpp"

namespace emo::models {

FaceCnnImpl::FaceCnnImpl(const config::CnnOptions& opts, int num_classes) {
    features_ = register_module("features", conv_blocks(opts));
    dropout_ = register_module("dropout", torch::nn::Dropout(opts.dropout));
    classifier_ = register_module("classifier", torch::nn::Linear(opts.channels.back(), num_classes));
}

void FaceCnnImpl::extend_classes(int num_classes) {
    if (num_classes < this->num_classes()) throw RuntimeError("a classifier cannot shrink");
    if (num_classes == this->num_classes()) return;
    classifier_ = replace_module("classifier", extended_linear(classifier_, num_classes));
}

void FaceCnnImpl::fold_for_inference(Precision precision) {
    features_ = replace_module("features", inference_trunk(features_, precision));
}

torch::Tensor FaceCnnImpl::forward(torch::Tensor x) {
    x = features_->forward(x).mean({2, 3});  // [B, C]
    return classifier_->forward(dropout_->forward(x));
}

FaceCnn load_face_network(const std::string& path, ModelMetadata& meta, config::FaceConfig& config) {
    auto archive = open_model(path, "face", meta);
    try {
        config = config::parse_face_config(meta.config_yaml, path + " (embedded config)");
    } catch (const ConfigError& e) {
        throw InputError(path, std::string("corrupt embedded config: ") + e.what());
    }
    if (meta.feature_mean.size() != 1 || meta.feature_std.size() != 1 || meta.feature_std[0] <= 0.0f) {
        throw InputError(path, "corrupt model metadata: expected one pixel mean and standard deviation");
    }
    FaceCnn net(config.model, int(meta.labels.size()));
    load_weights(path, archive, *net);
    return net;
}

torch::Tensor face_tensor(const std::uint8_t* pixels, std::size_t count, int size, float mean, float std) {
    const auto bytes = torch::from_blob(const_cast<std::uint8_t*>(pixels), {long(count), 1, size, size}, torch::kUInt8);
    return (bytes.to(torch::kFloat32) / 255.0f - mean) / std;
}

std::vector<std::vector<float>> predict_face_tensor(FaceCnn& net, const torch::Tensor& faces, bool flip_average,
                                                    int batch_size) {
    torch::InferenceMode guard;
    const bool was_training = net->is_training();
    net->eval();
    const long n = faces.size(0);
    const auto device = device_of(*net);
    std::vector<std::vector<float>> out;
    out.reserve(std::size_t(n));
    for (long b = 0; b < n; b += batch_size) {
        const auto batch = faces.slice(0, b, std::min(n, b + batch_size)).to(device);
        auto probs = torch::softmax(net->forward(batch).to(torch::kFloat32), 1);  // fp32 under autocast too
        if (flip_average) probs = 0.5 * (probs + torch::softmax(net->forward(batch.flip({3})).to(torch::kFloat32), 1));
        probs = probs.to(torch::kCPU).contiguous();
        const float* p = probs.data_ptr<float>();
        const long k = probs.size(1);
        for (long i = 0; i < probs.size(0); ++i) out.emplace_back(p + i * k, p + (i + 1) * k);
    }
    if (was_training) net->train();
    return out;
}

}  // namespace emo::models
