#pragma once
// LibTorch's device, precision and thread count are process-wide, and a model takes the precision set
// when it loads: Predictor and Evaluator set them and load under one lock.
#include <mutex>
#include <string>

namespace emo::api {

std::mutex& settings_mutex();
// Checks and applies the options; ConfigError naming `options_name`'s field (e.g. "PredictorOptions::threads").
void apply_settings(int threads, const std::string& device, const std::string& precision,
                    const std::string& options_name);

}  // namespace emo::api
