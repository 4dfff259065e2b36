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

namespace {
// The batch, then (shift > 0) the batch moved `shift` pixels left, right, up and down (edges repeated), stacked
// into one batch of 5 n faces.
torch::Tensor shifted_views(const torch::Tensor& batch, int shift) {
    namespace F = torch::nn::functional;
    const long s = shift, h = batch.size(2), w = batch.size(3);
    const auto padded = F::pad(batch, F::PadFuncOptions({s, s, s, s}).mode(torch::kReplicate));
    std::vector<torch::Tensor> views{batch};
    for (const auto& [dy, dx] : {std::pair{0L, -s}, {0L, s}, {-s, 0L}, {s, 0L}})
        views.push_back(padded.slice(2, s + dy, s + dy + h).slice(3, s + dx, s + dx + w));
    return torch::cat(views, 0);
}

// Class probabilities of `batch` [n, 1, h, w]: the mean over its views (with flip, each view and its mirror).
torch::Tensor view_probabilities(FaceCnn& net, const torch::Tensor& batch, bool flip_average, int shift_average) {
    const auto probs = [&net](const torch::Tensor& x) {
        return torch::softmax(net->forward(x).to(torch::kFloat32), 1);  // fp32 under autocast too
    };
    if (shift_average == 0) {  // the face, and its mirror: two passes, as before shifts existed
        auto p = probs(batch);
        return flip_average ? 0.5 * (p + probs(batch.flip({3}))) : p;
    }
    const long n = batch.size(0);
    auto views = shifted_views(batch, shift_average);
    if (flip_average) views = torch::cat({views, views.flip({3})}, 0);
    const auto p = probs(views);  // [views * n, labels], view by view
    return p.view({p.size(0) / n, n, p.size(1)}).mean(0);
}
}  // namespace

std::vector<std::vector<float>> predict_face_tensor(FaceCnn& net, const torch::Tensor& faces, bool flip_average,
                                                    int batch_size, int shift_average) {
    torch::InferenceMode guard;
    const bool was_training = net->is_training();
    net->eval();
    const long n = faces.size(0);
    const auto device = device_of(*net);
    std::vector<std::vector<float>> out;
    out.reserve(std::size_t(n));
    for (long b = 0; b < n; b += batch_size) {
        const auto batch = faces.slice(0, b, std::min(n, b + batch_size)).to(device);
        const auto probs = view_probabilities(net, batch, flip_average, shift_average).to(torch::kCPU).contiguous();
        const float* p = probs.data_ptr<float>();
        const long k = probs.size(1);
        for (long i = 0; i < probs.size(0); ++i) out.emplace_back(p + i * k, p + (i + 1) * k);
    }
    if (was_training) net->train();
    return out;
}

}  // namespace emo::models
