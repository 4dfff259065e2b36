#pragma once
// The face CNN as a LibTorch module. Includes torch: only model and training code include this.
#include "emo/model_file.hpp"

namespace emo::models {

// Input [batch, 1, size, size] (normalised pixels) -> logits [batch, num_classes].
// VGG-style blocks: convs_per_block x (conv3x3 -> batchnorm -> ReLU), then 2x2 max-pool;
// head: global average pool, dropout, linear.
class FaceCnnImpl : public torch::nn::Module {
public:
    FaceCnnImpl(const config::CnnOptions& opts, int num_classes);
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
    torch::nn::Sequential features_{nullptr};
    torch::nn::Dropout dropout_{nullptr};
    torch::nn::Linear classifier_{nullptr};
};
TORCH_MODULE(FaceCnn);

// Reads a face model file into a freshly built network. Throws InputError like FaceModel::load.
FaceCnn load_face_network(const std::string& path, ModelMetadata& meta, config::FaceConfig& config);

// Faces (count x size x size bytes) -> normalised input tensor [count, 1, size, size].
torch::Tensor face_tensor(const std::uint8_t* pixels, std::size_t count, int size, float mean, float std);
// Class probabilities [faces x labels]; with flip_average, the mean of the face's and its mirror's; with
// shift_average s > 0, also of the face moved s pixels left, right, up and down (5 views, 10 with the mirrors).
std::vector<std::vector<float>> predict_face_tensor(FaceCnn& net, const torch::Tensor& faces, bool flip_average,
                                                    int batch_size, int shift_average = 0);

}  // namespace emo::models
