#pragma once
// Errors thrown by the library. The exit code a program should return travels with the error.
#include <stdexcept>
#include <string>

namespace emo {

enum class ExitCode : int { kOk = 0, kRuntime = 1, kUsage = 2, kBadInput = 3 };

struct Error : std::runtime_error {
    Error(ExitCode c, const std::string& msg) : std::runtime_error(msg), code(c) {}
    ExitCode code;
};

// Bad flag, config key or value: "speech.yaml: features.n_mels: expected > 0, got 0".
struct ConfigError : Error {
    explicit ConfigError(const std::string& m) : Error(ExitCode::kUsage, m) {}
};

// An input file that cannot be read or is not what was expected: "a.wav: truncated ...".
struct InputError : Error {
    InputError(const std::string& path, const std::string& what) : Error(ExitCode::kBadInput, path + ": " + what) {}
};

// Anything else that stops the work (disk full, training diverged, ...).
struct RuntimeError : Error {
    explicit RuntimeError(const std::string& m) : Error(ExitCode::kRuntime, m) {}
};

}  // namespace emo
