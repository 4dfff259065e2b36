#include "common.hpp"

#include <algorithm>
#include <sstream>

#include "emo/core.hpp"

namespace emo::config {
namespace {
const std::vector<std::string> kSchedules{"none", "cosine", "onecycle"};
const std::vector<std::string> kPrecisions{"auto", "fp32", "bf16"};  // Precision's order
}  // namespace

void require(bool ok, const std::string& key, const std::string& expected, const std::string& got) {
    if (!ok) throw ConfigError(key + ": expected " + expected + ", got " + got);
}

std::string str(float v) {
    std::ostringstream ss;
    ss << v;
    return ss.str();
}

bool is_device_name(const std::string& name) {
    if (name == "cpu" || name == "cuda") return true;
    if (name.rfind("cuda:", 0) != 0 || name.size() == 5 || name.size() > 8) return false;
    return std::all_of(name.begin() + 5, name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void read_cnn(MapReader& r, CnnOptions& m) {
    r.read("channels", m.channels);
    r.read("convs_per_block", m.convs_per_block);
    r.read("dropout", m.dropout);
}

void read_train(MapReader r, TrainOptions& t) {
    r.read("epochs", t.epochs);
    r.read("batch_size", t.batch_size);
    r.read("learning_rate", t.learning_rate);
    r.read("weight_decay", t.weight_decay);
    read_enum(r, "schedule", kSchedules, t.schedule);
    r.read("label_smoothing", t.label_smoothing);
    r.read("class_weighting", t.class_weighting);
    r.read("class_weight_power", t.class_weight_power);
    r.read("patience", t.patience);
    r.read("average_last", t.average_last);
    r.read("seed", t.seed);
    r.read("threads", t.threads);
    r.read("device", t.device);
    read_enum(r, "precision", kPrecisions, t.precision);
    r.finish();
}

void CnnOptions::validate() const {
    require(!channels.empty() && channels.size() <= 6, "model.channels", "1..6 conv blocks",
            std::to_string(channels.size()));
    for (int c : channels) require(c >= 1 && c <= 1024, "model.channels", "entries 1..1024", std::to_string(c));
    require(convs_per_block >= 1 && convs_per_block <= 4, "model.convs_per_block", "1..4",
            std::to_string(convs_per_block));
    require(dropout >= 0.0f && dropout < 1.0f, "model.dropout", "0 <= dropout < 1", str(dropout));
}

void TrainOptions::validate() const {
    require(epochs >= 1, "train.epochs", "an integer >= 1", std::to_string(epochs));
    require(batch_size >= 1, "train.batch_size", "an integer >= 1", std::to_string(batch_size));
    require(learning_rate > 0.0f && learning_rate < 10.0f, "train.learning_rate", "0 < lr < 10", str(learning_rate));
    require(weight_decay >= 0.0f, "train.weight_decay", ">= 0", str(weight_decay));
    require(label_smoothing >= 0.0f && label_smoothing < 1.0f, "train.label_smoothing", "0 <= x < 1",
            str(label_smoothing));
    require(class_weight_power >= 0.0f && class_weight_power <= 2.0f, "train.class_weight_power", "0..2",
            str(class_weight_power));
    require(patience >= 0, "train.patience", ">= 0 (0 disables early stopping)", std::to_string(patience));
    require(average_last >= 0 && average_last <= epochs, "train.average_last",
            "0..train.epochs (" + std::to_string(epochs) + ")", std::to_string(average_last));
    require(average_last == 0 || patience == 0, "train.average_last",
            "0 with early stopping (train.patience " + std::to_string(patience) +
                "): the epochs to average must be known in advance",
            std::to_string(average_last));
    require(threads >= 0, "train.threads", ">= 0 (0: all cores)", std::to_string(threads));
    require(is_device_name(device), "train.device", "cpu, cuda or cuda:N", device);
}

void write_cnn(YAML::Emitter& out, const CnnOptions& m) {
    out << YAML::Key << "channels" << YAML::Value << YAML::Flow << m.channels;
    out << YAML::Key << "convs_per_block" << YAML::Value << m.convs_per_block;
    out << YAML::Key << "dropout" << YAML::Value << m.dropout;
}

void write_train(YAML::Emitter& out, const TrainOptions& t) {
    out << YAML::Key << "train" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "epochs" << YAML::Value << t.epochs;
    out << YAML::Key << "batch_size" << YAML::Value << t.batch_size;
    out << YAML::Key << "learning_rate" << YAML::Value << t.learning_rate;
    out << YAML::Key << "weight_decay" << YAML::Value << t.weight_decay;
    out << YAML::Key << "schedule" << YAML::Value << kSchedules[std::size_t(t.schedule)];
    out << YAML::Key << "label_smoothing" << YAML::Value << t.label_smoothing;
    out << YAML::Key << "class_weighting" << YAML::Value << t.class_weighting;
    out << YAML::Key << "class_weight_power" << YAML::Value << t.class_weight_power;
    out << YAML::Key << "patience" << YAML::Value << t.patience;
    out << YAML::Key << "average_last" << YAML::Value << t.average_last;
    out << YAML::Key << "seed" << YAML::Value << t.seed;
    out << YAML::Key << "threads" << YAML::Value << t.threads;
    out << YAML::Key << "device" << YAML::Value << t.device;
    out << YAML::Key << "precision" << YAML::Value << precision_name(t.precision) << YAML::EndMap;
}

YAML::Node parse_root(const std::string& text, const std::string& source_name) {
    try {
        return YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw ConfigError(source_name + ": not valid YAML: " + e.what());
    }
}

std::string read_config_file(const std::string& path) {
    try {
        return core::read_file(path);
    } catch (const InputError&) {
        throw ConfigError(path + ": cannot read config file");
    }
}

void check_modality(MapReader& top, const std::string& expected) {
    std::string modality = expected;
    top.read("modality", modality);
    if (modality != expected) top.fail("modality", "'" + expected + "'", "'" + modality + "'");
}

}  // namespace emo::config
