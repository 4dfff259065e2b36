#include "checkpoint.hpp"

#include <ATen/CPUGeneratorImpl.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "emo/core.hpp"
#include "emo/error.hpp"
#include "emo/model_file.hpp"
#include "run_files.hpp"

namespace emo::train {
namespace {
constexpr const char* kStateKey = "emo_checkpoint";
constexpr int kCheckpointVersion = 1;

std::string state_json(const Checkpoint& c, const std::mt19937& rng) {
    const Progress& p = c.progress;
    nlohmann::json history = nlohmann::json::array();
    for (const auto& e : p.history) history.push_back(epoch_json(e));
    std::ostringstream rng_state;
    rng_state << rng;
    const nlohmann::json j{{"format_version", kCheckpointVersion},
                           {"modality", c.metadata.modality},
                           {"epoch", p.epoch},
                           {"step", p.step},
                           {"finished", p.finished},
                           {"averaged", p.averaged},
                           {"averaged_epochs", c.average.epochs},
                           {"best_is_average", p.best_is_average},
                           {"best_accuracy", p.best_accuracy},
                           {"best_epoch", p.best_epoch},
                           {"best_confusion", p.best_confusion},
                           {"history", history},
                           {"rng", rng_state.str()},
                           {"order", c.order},
                           {"metadata", c.metadata}};
    return j.dump();
}

Checkpoint parse_state(const std::string& text, const std::string& path, const std::string& modality,
                       std::mt19937& rng) {
    Checkpoint c;
    try {
        const auto j = nlohmann::json::parse(text);
        const int version = j.at("format_version");
        if (version != kCheckpointVersion) {
            throw InputError(path, "checkpoint format version " + std::to_string(version) +
                                       " is not supported (this emo reads version " +
                                       std::to_string(kCheckpointVersion) + ")");
        }
        const std::string its_modality = j.at("modality");
        if (its_modality != modality) {
            throw InputError(path, "is a checkpoint of a " + its_modality + " run; expected a " + modality + " run");
        }
        Progress& p = c.progress;
        p.epoch = j.at("epoch");
        p.step = j.at("step");
        p.finished = j.at("finished");
        p.averaged = j.value("averaged", false);  // these three came with train.average_last
        p.best_is_average = j.value("best_is_average", false);
        c.average.epochs = j.value("averaged_epochs", 0);
        p.best_accuracy = j.at("best_accuracy");
        p.best_epoch = j.at("best_epoch");
        p.best_confusion = j.at("best_confusion").get<std::vector<std::vector<int>>>();
        for (const auto& e : j.at("history")) p.history.push_back(epoch_from_json(e));
        std::istringstream(j.at("rng").get<std::string>()) >> rng;
        c.order = j.at("order").get<std::vector<std::int64_t>>();
        c.metadata = models::metadata_from_json(j.at("metadata"), path);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path, std::string("corrupt checkpoint state: ") + e.what());
    }
    return c;
}

// The running mean has one tensor per parameter of `net`, of the same shape.
void read_average(torch::serialize::InputArchive& archive, torch::nn::Module& net, WeightAverage& average) {
    torch::serialize::InputArchive saved;
    archive.read("average", saved);
    for (const auto& p : net.parameters()) {
        torch::Tensor t;
        saved.read(std::to_string(average.parameters.size()), t);
        if (!t.sizes().equals(p.sizes())) throw RuntimeError("weight average of another network");
        average.parameters.push_back(t);
    }
}

}  // namespace

void save_checkpoint(const std::string& path, torch::nn::Module& net, torch::optim::Optimizer& optimizer,
                     const std::mt19937& rng, const Checkpoint& checkpoint) {
    torch::serialize::OutputArchive archive, weights, optimiser_state;
    net.save(weights);
    optimizer.save(optimiser_state);
    archive.write("model", weights);
    archive.write("optimizer", optimiser_state);
    if (checkpoint.average.epochs > 0) {
        torch::serialize::OutputArchive average;
        for (std::size_t i = 0; i < checkpoint.average.parameters.size(); ++i) {
            average.write(std::to_string(i), checkpoint.average.parameters[i]);
        }
        archive.write("average", average);
    }
    auto generator = at::detail::getDefaultCPUGenerator();
    {
        std::lock_guard<std::mutex> lock(generator.mutex());
        archive.write("torch_rng", generator.get_state());
    }
    archive.write(kStateKey, c10::IValue(state_json(checkpoint, rng)));
    std::ostringstream bytes;
    try {
        archive.save_to(bytes);
    } catch (const c10::Error& e) {
        throw RuntimeError(path + ": cannot serialise checkpoint: " + e.what_without_backtrace());
    }
    core::write_file_atomic(path, bytes.str());
}

Checkpoint load_checkpoint(const std::string& path, const std::string& modality, torch::nn::Module& net,
                           torch::optim::Optimizer& optimizer, std::mt19937& rng) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) throw InputError(path, "checkpoint not found");
    torch::serialize::InputArchive archive, weights, optimiser_state;
    c10::IValue state;
    bool has_state = false;
    const std::string bytes = core::read_file(path);
    models::check_archive_integrity(bytes, path, "checkpoint");
    try {  // any exception of LibTorch's reader means a corrupt archive (model_file.cpp)
        std::istringstream in(bytes);
        archive.load_from(in);
        has_state = archive.try_read(kStateKey, state) && state.isString();
    } catch (const std::exception&) {
        throw InputError(path, "not a checkpoint (unreadable or truncated LibTorch archive)");
    }
    if (!has_state) throw InputError(path, "not an emo checkpoint (no state entry)");
    Checkpoint c = parse_state(state.toStringRef(), path, modality, rng);
    torch::Tensor rng_state;
    try {
        archive.read("model", weights);
        archive.read("optimizer", optimiser_state);
        archive.read("torch_rng", rng_state);
        net.load(weights);
        optimizer.load(optimiser_state);
        if (c.average.epochs > 0) read_average(archive, net, c.average);
    } catch (const std::exception&) {
        throw InputError(path, "checkpoint does not match the run's model and optimiser");
    }
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    try {
        generator.set_state(rng_state);
    } catch (const std::exception&) {
        throw InputError(path, "corrupt checkpoint: the random generator state is not one LibTorch can restore");
    }
    return c;
}

}  // namespace emo::train
