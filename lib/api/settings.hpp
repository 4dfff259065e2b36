#pragma once
// The options Predictor and Evaluator share. LibTorch's thread count is process-wide; device and
// precision are values each model loads with (models::Placement).
#include <string>

#include "emo/models.hpp"

namespace emo::api {

// Checks the options, sets LibTorch's threads and returns where models load, precision resolved.
// Throws ConfigError naming `options_name`'s field (e.g. "PredictorOptions::precision").
models::Placement apply_settings(int threads, const std::string& device, const std::string& precision,
                                 const std::string& options_name);

}  // namespace emo::api
