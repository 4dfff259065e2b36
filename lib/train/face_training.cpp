// Training of the face model: faces decoded once into one byte tensor, augmented per batch on
// tensors, class-weighted loss, schedule, early stopping on the validation split.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <numeric>
#include <random>

#include "emo/core.hpp"
#include "emo/error.hpp"
#include "emo/face_cnn.hpp"
#include "emo/train.hpp"
#include "face_augment.hpp"
#include "engine.hpp"

namespace emo::train {
namespace {

std::vector<int> label_indices(const data::FaceImages& faces, const std::vector<std::string>& labels) {
    std::vector<int> out;
    for (std::size_t i = 0; i < faces.count(); ++i) {
        const auto it = std::find(labels.begin(), labels.end(), faces.labels[i]);
        if (it == labels.end()) {
            throw InputError(faces.ids[i], "label '" + faces.labels[i] + "' does not occur in the training data");
        }
        out.push_back(int(it - labels.begin()));
    }
    return out;
}

void write_face_split(const std::string& run_dir, const data::FaceImages& train, const data::FaceImages& val) {
    const auto describe = [](const data::FaceImages& f) {
        std::map<std::string, int> per_label;
        for (const auto& l : f.labels) ++per_label[l];
        return nlohmann::json{{"source", f.source}, {"images", f.count()}, {"per_label", per_label}};
    };
    core::write_file_atomic(run_dir + "/split.json",
                            nlohmann::json{{"train", describe(train)}, {"validation", describe(val)}}.dump(1) + "\n");
}

// Faces decoded once into one tensor of [0, 1] pixels, shuffled every epoch and augmented per batch.
class FacePart : public ModalityPart {
public:
    FacePart(const torch::Tensor& pixels01, const std::vector<int>& labels, const torch::Tensor& val_inputs,
             const config::FaceConfig& cfg, float mean, float stdev, models::FaceCnn& net)
        : pixels01_(pixels01),
          targets_(torch::tensor(std::vector<int64_t>(labels.begin(), labels.end()))),
          val_inputs_(val_inputs),
          cfg_(cfg),
          mean_(mean),
          stdev_(stdev),
          net_(net) {}

    long samples() const override { return pixels01_.size(0); }
    void next_order(std::vector<std::int64_t>& order, std::mt19937& rng) const override {
        std::iota(order.begin(), order.end(), 0);
        std::shuffle(order.begin(), order.end(), rng);
    }
    Batch batch(const std::int64_t* samples, long n, std::mt19937& /*rng*/) override {
        const auto idx = torch::from_blob(const_cast<std::int64_t*>(samples), {n}, torch::kInt64);
        return {(augment_faces(pixels01_.index_select(0, idx), cfg_.augment) - mean_) / stdev_,
                targets_.index_select(0, idx), torch::Tensor(), torch::Tensor()};
    }
    long validation_samples() const override { return val_inputs_.size(0); }
    std::vector<std::vector<float>> validate(long begin, long end) override {
        return models::predict_face_tensor(net_, val_inputs_.slice(0, begin, end), cfg_.flip_average, 64);
    }

private:
    const torch::Tensor& pixels01_;
    torch::Tensor targets_;
    const torch::Tensor& val_inputs_;
    const config::FaceConfig& cfg_;
    float mean_, stdev_;
    models::FaceCnn& net_;
};

}  // namespace

TrainResult train_face(const config::FaceConfig& cfg, const data::FaceImages& train_faces,
                       const data::FaceImages& val_faces, const RunOptions& run) {
    cfg.validate();
    const bool on_cpu = models::device_named(cfg.train.device).is_cpu();
    resolve_precision(cfg.train.precision, "train.precision", on_cpu);  // refused before any work
    const auto info = [&](const std::string& s) { run.info(s); };
    if (run.writes_files()) create_run_dir(run.out_dir);
    if (train_faces.size != cfg.input.size || val_faces.size != cfg.input.size) {
        throw RuntimeError("faces are " + std::to_string(train_faces.size) + " px, the config says input.size " +
                           std::to_string(cfg.input.size));
    }
    const auto group = join_job(run);
    std::mt19937 rng = seeded_generators(cfg.train, run);

    models::ModelMetadata parent;
    models::FaceCnn net{nullptr};
    const bool fine_tuning = !run.init.model_path.empty();
    if (fine_tuning) {
        config::FaceConfig parent_config;
        net = models::load_face_network(run.init.model_path, parent, parent_config);
    }
    auto all_labels = train_faces.labels;
    all_labels.insert(all_labels.end(), val_faces.labels.begin(), val_faces.labels.end());
    const auto labels =
        run_labels(data::labels_of(all_labels), train_faces.source, fine_tuning ? &parent : nullptr, run.init);
    if (labels.size() < 2) throw InputError(train_faces.source, "needs at least two labels to train");
    const auto train_labels = label_indices(train_faces, labels);
    const auto val_labels = label_indices(val_faces, labels);
    if (run.writes_files()) {
        core::write_file_atomic(run.out_dir + "/config.yaml", config::to_yaml(cfg));
        write_face_split(run.out_dir, train_faces, val_faces);
    }

    const int side = cfg.input.size;
    const auto all_bytes = torch::from_blob(const_cast<std::uint8_t*>(train_faces.pixels.data()),
                                            {long(train_faces.count()), 1, side, side}, torch::kUInt8);
    const auto pixels01 = all_bytes.to(torch::kFloat32) / 255.0f;

    models::ModelMetadata meta;
    meta.modality = "face";
    meta.labels = labels;
    meta.config_yaml = config::to_yaml(cfg);
    meta.trained_on = train_faces.source + " (" + std::to_string(train_faces.count()) +
                      " faces); validation: " + val_faces.source + " (" + std::to_string(val_faces.count()) + " faces)";
    meta.emo_version = kVersion;
    meta.feature_mean = fine_tuning ? parent.feature_mean : std::vector<float>{pixels01.mean().item<float>()};
    meta.feature_std =
        fine_tuning ? parent.feature_std : std::vector<float>{std::max(1e-3f, pixels01.std().item<float>())};
    const float mean = meta.feature_mean[0], stdev = meta.feature_std[0];
    const auto val_inputs = models::face_tensor(val_faces.pixels.data(), val_faces.count(), side, mean, stdev);
    info("training on " + std::to_string(train_faces.count()) + " faces, validating on " +
         std::to_string(val_faces.count()) + " faces; labels:" +
         std::accumulate(labels.begin(), labels.end(), std::string(), [](auto a, auto b) { return a + " " + b; }));

    std::optional<eval::Metrics> before;
    if (fine_tuning) {
        before =
            metrics_of_scores(models::predict_face_tensor(net, val_inputs, cfg.flip_average, 64), val_labels, labels);
        net->extend_classes(int(labels.size()));
        if (run.init.freeze_features) freeze(net->features());
    } else {
        net = models::FaceCnn(cfg.model, int(labels.size()));
    }
    torch::optim::AdamW optimizer(
        trainable(*net), torch::optim::AdamWOptions(cfg.train.learning_rate).weight_decay(cfg.train.weight_decay));
    const auto loss_options = torch::nn::functional::CrossEntropyFuncOptions()
                                  .weight(class_weights(train_labels, int(labels.size()), cfg.train))
                                  .label_smoothing(cfg.train.label_smoothing);
    FacePart part(pixels01, train_labels, val_inputs, cfg, mean, stdev, net);
    TrainResult result;
    EpochTracker tracker(run, result, cfg.train.patience, fine_tuning ? &parent : nullptr, before ? &*before : nullptr);
    const LoopSettings settings{cfg.train, labels, val_labels, {loss_options, 0.0, cfg.augment.mixup_alpha}};
    const auto forward = [&](const torch::Tensor& x, double) { return ForwardResult{net->forward(x), {}}; };
    train_epochs(part, {*net, net->features(), forward}, optimizer, settings, tracker, meta, rng, run, group.get());
    tracker.write_validation(run.keep_last ? "last epoch" : "validation split " + val_faces.source);
    return result;
}

}  // namespace emo::train
