// Training of the face model: faces decoded once into one byte tensor, augmented per batch on
// tensors, class-weighted loss, schedule, early stopping on the validation split.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>

#include "emo/core.hpp"
#include "emo/error.hpp"
#include "emo/face_cnn.hpp"
#include "emo/precision.hpp"
#include "emo/train.hpp"
#include "face_augment.hpp"
#include "engine.hpp"
#include "fit.hpp"

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

std::string joined(const std::vector<std::string>& labels) {
    return std::accumulate(labels.begin(), labels.end(), std::string(),
                           [](const std::string& a, const std::string& b) { return a.empty() ? b : a + " " + b; });
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

// distill.teacher: a trained face model, folded for inference, scoring each augmented batch.
class Teacher {
public:
    // Throws InputError naming the file when it is not a face model of the run's labels and face size.
    Teacher(const config::FaceConfig& cfg, const std::vector<std::string>& labels)
        : temperature_(cfg.distill.temperature) {
        models::ModelMetadata meta;
        config::FaceConfig teacher_config;
        net_ = models::load_face_network(cfg.distill.teacher, meta, teacher_config);
        if (meta.labels != labels) {
            throw InputError(cfg.distill.teacher, "distill.teacher: its labels (" + joined(meta.labels) +
                                                      ") differ from the run's (" + joined(labels) + ")");
        }
        if (teacher_config.input.size != cfg.input.size) {
            throw InputError(cfg.distill.teacher, "distill.teacher: it takes " +
                                                      std::to_string(teacher_config.input.size) +
                                                      " px faces, the run " + std::to_string(cfg.input.size));
        }
        mean_ = meta.feature_mean[0];
        stdev_ = meta.feature_std[0];
        net_->eval();
        net_->fold_for_inference(resolve_precision(cfg.train.precision, "train.precision"));
    }
    // Class probabilities at the distillation temperature of faces given as [0, 1] pixels.
    torch::Tensor probabilities(const torch::Tensor& pixels01) {
        torch::Tensor probs;
        {
            torch::InferenceMode guard;
            probs = torch::softmax(net_->forward((pixels01 - mean_) / stdev_).to(torch::kFloat32) / temperature_, 1);
        }
        return probs.clone();  // a normal tensor: the loss's backward keeps it
    }

private:
    models::FaceCnn net_{nullptr};
    float mean_ = 0, stdev_ = 1;
    double temperature_;
};

// Faces decoded once into one tensor of [0, 1] pixels, shuffled every epoch and augmented per batch.
class FacePart : public ModalityPart {
public:
    FacePart(const torch::Tensor& pixels01, const std::vector<int>& labels, const torch::Tensor& val_inputs,
             const config::FaceConfig& cfg, float mean, float stdev, models::FaceCnn& net, Teacher* teacher)
        : pixels01_(pixels01),
          targets_(torch::tensor(std::vector<int64_t>(labels.begin(), labels.end()))),
          val_inputs_(val_inputs),
          cfg_(cfg),
          mean_(mean),
          stdev_(stdev),
          net_(net),
          teacher_(teacher) {}

    long samples() const override { return pixels01_.size(0); }
    void next_order(std::vector<std::int64_t>& order, std::mt19937& rng) const override {
        std::iota(order.begin(), order.end(), 0);
        std::shuffle(order.begin(), order.end(), rng);
    }
    Batch batch(const std::int64_t* samples, long n, std::mt19937& /*rng*/) override {
        const auto idx = torch::from_blob(const_cast<std::int64_t*>(samples), {n}, torch::kInt64);
        const auto faces = augment_faces(pixels01_.index_select(0, idx), cfg_.augment);
        return {(faces - mean_) / stdev_, targets_.index_select(0, idx), torch::Tensor(), torch::Tensor(),
                teacher_ ? teacher_->probabilities(faces) : torch::Tensor()};
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
    Teacher* teacher_;
};

// Faces' side of fit(): pixels decoded once, a CNN, class-weighted loss.
class FaceTask : public Task {
public:
    FaceTask(const config::FaceConfig& cfg, const data::FaceImages& train, const data::FaceImages& val)
        : cfg_(cfg), train_faces_(train), val_faces_(val) {}

    void check() const override {
        if (train_faces_.size != cfg_.input.size || val_faces_.size != cfg_.input.size) {
            throw RuntimeError("faces are " + std::to_string(train_faces_.size) + " px, the config says input.size " +
                               std::to_string(cfg_.input.size));
        }
    }
    std::vector<std::string> data_labels() const override {
        auto all = train_faces_.labels;
        all.insert(all.end(), val_faces_.labels.begin(), val_faces_.labels.end());
        return data::labels_of(all);
    }
    const std::string& source() const override { return train_faces_.source; }
    void load_parent(const std::string& path, models::ModelMetadata& parent) override {
        config::FaceConfig parent_config;
        net_ = models::load_face_network(path, parent, parent_config);
    }
    void write_split(const std::string& out_dir) const override { write_face_split(out_dir, train_faces_, val_faces_); }

    void prepare(const std::vector<std::string>& labels, models::ModelMetadata& meta,
                 const models::ModelMetadata* parent, const Info& info) override {
        train_labels_ = label_indices(train_faces_, labels);
        val_labels_ = label_indices(val_faces_, labels);
        const int side = cfg_.input.size;
        const auto all_bytes = torch::from_blob(const_cast<std::uint8_t*>(train_faces_.pixels.data()),
                                                {long(train_faces_.count()), 1, side, side}, torch::kUInt8);
        pixels01_ = all_bytes.to(torch::kFloat32) / 255.0f;
        meta.trained_on = train_faces_.source + " (" + std::to_string(train_faces_.count()) +
                          " faces); validation: " + val_faces_.source + " (" + std::to_string(val_faces_.count()) +
                          " faces)";
        meta.feature_mean = parent ? parent->feature_mean : std::vector<float>{pixels01_.mean().item<float>()};
        meta.feature_std =
            parent ? parent->feature_std : std::vector<float>{std::max(1e-3f, pixels01_.std().item<float>())};
        mean_ = meta.feature_mean[0];
        stdev_ = meta.feature_std[0];
        val_inputs_ = models::face_tensor(val_faces_.pixels.data(), val_faces_.count(), side, mean_, stdev_);
        info("training on " + std::to_string(train_faces_.count()) + " faces, validating on " +
             std::to_string(val_faces_.count()) + " faces; labels: " + joined(labels));
    }

    eval::Metrics metrics_before(const std::vector<std::string>& labels, const models::ModelMetadata&) override {
        return metrics_of_scores(models::predict_face_tensor(net_, val_inputs_, cfg_.flip_average, 64), val_labels_,
                                 labels);
    }
    void build_network(int classes, const InitOptions& init, const Info&) override {
        if (net_) {
            net_->extend_classes(classes);
            if (init.freeze_features) freeze(net_->features());
        } else {
            net_ = models::FaceCnn(cfg_.model, classes);
        }
    }
    torch::nn::Module& network() override { return *net_; }

    LossOptions loss(const std::vector<std::string>& labels, const Info& info) override {
        LossOptions options{torch::nn::functional::CrossEntropyFuncOptions()
                                .weight(class_weights(train_labels_, int(labels.size()), cfg_.train))
                                .label_smoothing(cfg_.train.label_smoothing),
                            0.0, cfg_.augment.mixup_alpha};
        if (!cfg_.distill.teacher.empty()) {
            teacher_ = std::make_unique<Teacher>(cfg_, labels);
            options.distill_weight = cfg_.distill.weight;
            options.distill_temperature = cfg_.distill.temperature;
            char settings[64];
            std::snprintf(settings, sizeof settings, " (weight %g, temperature %g)", cfg_.distill.weight,
                          cfg_.distill.temperature);
            info("distilling " + cfg_.distill.teacher + settings);
        }
        return options;
    }
    ModalityPart& part(const std::vector<std::string>&, const models::ModelMetadata&) override {
        part_ = std::make_unique<FacePart>(pixels01_, train_labels_, val_inputs_, cfg_, mean_, stdev_, net_,
                                           teacher_.get());
        return *part_;
    }
    Trainee trainee() override {
        return {*net_, net_->features(), [this](const torch::Tensor& x, double) {
                    return ForwardResult{net_->forward(x), {}};
                }};
    }
    const std::vector<int>& validation_truth() const override { return val_labels_; }
    std::string validated_on() const override { return "validation split " + val_faces_.source; }

private:
    const config::FaceConfig& cfg_;
    const data::FaceImages& train_faces_;
    const data::FaceImages& val_faces_;
    models::FaceCnn net_{nullptr};
    std::vector<int> train_labels_, val_labels_;
    torch::Tensor pixels01_, val_inputs_;
    float mean_ = 0, stdev_ = 1;
    std::unique_ptr<Teacher> teacher_;
    std::unique_ptr<FacePart> part_;
};

}  // namespace

TrainResult train_face(const config::FaceConfig& cfg, const data::FaceImages& train_faces,
                       const data::FaceImages& val_faces, const RunOptions& run) {
    cfg.validate();
    FaceTask task(cfg, train_faces, val_faces);
    return fit(task, cfg.train, "face", config::to_yaml(cfg), run);
}

}  // namespace emo::train
