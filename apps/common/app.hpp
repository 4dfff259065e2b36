#pragma once
// What only the programs share: the run wrapper that decides exit codes, batch error handling,
// and where the shipped models live.
#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <string>

#include "emo/emo.hpp"
#include "emo/error.hpp"
#include "emo/models.hpp"
#include "emo/precision.hpp"
#include "emo/vision.hpp"

namespace emo::app {

// Adds --version, -v/--verbose and -q/--quiet, parses, sets up logging (stderr) and runs `body`,
// mapping exceptions to exit codes (DESIGN.md): emo::Error -> its code, anything else -> 1,
// bad flags -> 2. The library names the setting an error is about by its field ("replay_ratio: expected
// 0..100"); a usage error that starts with the field of one of the program's flags (--replay-ratio, or --fps for
// frames_per_second) names the flag instead.
int run(CLI::App& app, int argc, char** argv, const std::function<int()>& body);
// `message` with a leading field (followed by ':' or ' ', and perhaps after "SomeOptions::") replaced by its flag,
// if `flags` (field -> flag) has it.
std::string with_flag_name(const std::string& message, const std::map<std::string, std::string>& flags);

// Runs one item of a batch; a failure is logged and remembered, the batch goes on.
class Batch {
public:
    bool guard(const std::string& item, const std::function<void()>& work);
    void fail(const std::string& message, ExitCode code);
    int exit_code() const { return worst_; }

private:
    int worst_ = 0;
};

// The shipped model for a modality (emo::default_model_path); the ConfigError when none is found says
// to pass --model.
std::string default_model(const std::string& modality);

// cpu, cuda or cuda:N (whether this LibTorch can use it is checked when a model is placed).
extern const CLI::Validator kDeviceName;

// --precision auto|fp32|bf16 for the programs that run a network, stored in `precision`.
CLI::Option* add_precision_option(CLI::App& app, std::string& precision);
// Where the program's models load: --device and --precision (empty: auto), precision resolved now, so a
// placement this machine cannot run is refused (exit 2, naming the flag) before any work.
models::Placement placement(const std::string& device, const std::string& precision);

// --crop auto|whole|detect (already checked by CLI11).
Crop crop_named(const std::string& name);

}  // namespace emo::app
