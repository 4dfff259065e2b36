// Model files: a LibTorch archive holding the weights plus one string entry with the metadata JSON.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "emo/core.hpp"
#include "emo/error.hpp"
#include "emo/model_file.hpp"

namespace emo::models {
namespace {
constexpr const char* kMetadataKey = "emo_metadata";

torch::serialize::InputArchive read_archive(const std::string& path, ModelMetadata& meta) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) throw InputError(path, "model file not found");
    torch::serialize::InputArchive archive;
    c10::IValue value;
    bool has_metadata = false;
    // LibTorch's reader throws c10::Error, but also std::out_of_range and others on a corrupt
    // archive (found by fuzz_model): any of them means the file is not a readable model.
    const std::string bytes = core::read_file(path);
    check_archive_integrity(bytes, path, "model file");
    try {
        std::istringstream in(bytes);
        archive.load_from(in);
        has_metadata = archive.try_read(kMetadataKey, value) && value.isString();
    } catch (const std::exception&) {
        throw InputError(path, "not a model file (unreadable or truncated LibTorch archive)");
    }
    if (!has_metadata) throw InputError(path, "not an emo model file (no metadata entry)");
    try {
        meta = metadata_from_json(nlohmann::json::parse(value.toStringRef()), path);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path, std::string("corrupt model metadata: ") + e.what());
    }
    return archive;
}
}  // namespace

void to_json(nlohmann::json& j, const ModelMetadata& m) {
    j = {{"format_version", m.format_version},
         {"modality", m.modality},
         {"labels", m.labels},
         {"config_yaml", m.config_yaml},
         {"feature_mean", m.feature_mean},
         {"feature_std", m.feature_std},
         {"trained_on", m.trained_on},
         {"created", m.created},
         {"emo_version", m.emo_version},
         {"metrics", m.metrics},
         {"training_data", m.training_data},
         {"lineage", m.lineage}};
    if (m.temperature != 1.0f) j["temperature"] = m.temperature;
}

ModelMetadata metadata_from_json(const nlohmann::json& j, const std::string& path) {
    ModelMetadata m;
    try {
        m.format_version = j.at("format_version").get<int>();
        if (m.format_version != kModelFormatVersion) {
            throw InputError(path, "model format version " + std::to_string(m.format_version) +
                                       " is not supported (this emo reads version " +
                                       std::to_string(kModelFormatVersion) + ")");
        }
        m.modality = j.at("modality").get<std::string>();
        m.labels = j.at("labels").get<std::vector<std::string>>();
        m.config_yaml = j.at("config_yaml").get<std::string>();
        m.feature_mean = j.at("feature_mean").get<std::vector<float>>();
        m.feature_std = j.at("feature_std").get<std::vector<float>>();
        m.trained_on = j.value("trained_on", "");
        m.created = j.value("created", "");
        m.emo_version = j.value("emo_version", "");
        // Model files written before 2026-12 keep the metrics as JSON text under "metrics_json".
        if (j.contains("metrics")) m.metrics = j.at("metrics");
        else if (j.contains("metrics_json") && !j.at("metrics_json").get<std::string>().empty())
            m.metrics = nlohmann::json::parse(j.at("metrics_json").get<std::string>());
        m.training_data = j.value("training_data", nlohmann::json::object());
        m.lineage = j.value("lineage", nlohmann::json::array());
        m.temperature = j.value("temperature", 1.0f);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path, std::string("corrupt model metadata: ") + e.what());
    }
    if (m.labels.empty()) throw InputError(path, "corrupt model metadata: no labels");
    if (!m.metrics.is_object() || !m.training_data.is_object() || !m.lineage.is_array())
        throw InputError(path, "corrupt model metadata: metrics and training_data must be objects, lineage a list");
    if (!(m.temperature >= 0.01f && m.temperature <= 100.0f))
        throw InputError(path, "corrupt model metadata: temperature must be 0.01..100");
    return m;
}

void save_model(const std::string& path, torch::nn::Module& net, const ModelMetadata& meta) {
    torch::serialize::OutputArchive archive;
    const auto device = device_of(net);
    if (!device.is_cpu()) net.to(torch::kCPU);  // model files load on any machine
    net.save(archive);
    if (!device.is_cpu()) net.to(device);
    archive.write(kMetadataKey, c10::IValue(nlohmann::json(meta).dump()));
    std::ostringstream bytes;
    try {
        archive.save_to(bytes);
    } catch (const c10::Error& e) {
        throw RuntimeError(path + ": cannot serialise model: " + e.what_without_backtrace());
    }
    core::write_file_atomic(path, bytes.str());
}

torch::serialize::InputArchive open_model(const std::string& path, const std::string& modality, ModelMetadata& meta) {
    auto archive = read_archive(path, meta);
    if (meta.modality != modality) {
        throw InputError(path, "is a " + meta.modality + " model; expected a " + modality + " model");
    }
    return archive;
}

void load_weights(const std::string& path, torch::serialize::InputArchive& archive, torch::nn::Module& net) {
    try {
        net.load(archive);
    } catch (const std::exception&) {
        throw InputError(path, "weights do not match the model described in its metadata");
    }
    net.eval();
}

ModelMetadata read_metadata(const std::string& path) {
    ModelMetadata meta;
    read_archive(path, meta);
    return meta;
}

}  // namespace emo::models
