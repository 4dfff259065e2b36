#pragma once
// Model files on LibTorch archives: the weights plus one string entry with the metadata JSON.
// Includes torch: only model and training code include this header.
#include <torch/torch.h>

#include "emo/models.hpp"

namespace emo::models {

// Writes weights + metadata to `path` atomically (core::write_file_atomic). Throws RuntimeError.
void save_model(const std::string& path, torch::nn::Module& net, const ModelMetadata& meta);
// Opens a model file and reads its metadata, checking the modality. Throws InputError for a
// missing, truncated or foreign file, another modality or an incompatible format version.
torch::serialize::InputArchive open_model(const std::string& path, const std::string& modality, ModelMetadata& meta);
// Loads the archive's weights into `net` (built from the metadata), on the CPU. Throws InputError on mismatch.
void load_weights(const std::string& path, torch::serialize::InputArchive& archive, torch::nn::Module& net);

// The LibTorch device `name` stands for ("cpu", "cuda", "cuda:N"). Throws ConfigError naming it and
// why when this LibTorch cannot use it.
torch::Device device_named(const std::string& name);
// The device a network's weights are on.
torch::Device device_of(torch::nn::Module& net);

// Model and checkpoint files are zip archives; `data` is the file's content (read once, then given to
// LibTorch). Throws InputError naming `path` ("not a <what>") when it is not a well-formed one, a record lies outside
// the file, or a record does not match its CRC-32. Run before LibTorch parses the archive: its reader checks no CRC and
// can crash on damaged records.
void check_archive_integrity(const std::string& data, const std::string& path, const std::string& what);

}  // namespace emo::models
