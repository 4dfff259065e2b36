#include "app.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "emo/config.hpp"
#include "emo/core.hpp"
#include "emo/emo.hpp"
#include "emo/models.hpp"

namespace emo::app {

std::string with_flag_name(const std::string& message, const std::map<std::string, std::string>& flags) {
    std::size_t start = 0;  // "PredictorOptions::threads: ..." names the field threads
    if (const auto scope = message.find("::"); scope < message.find(' ')) start = scope + 2;
    const auto end = message.find_first_of(": ", start);
    if (end == std::string::npos) return message;
    const auto flag = flags.find(message.substr(start, end - start));
    return flag == flags.end() ? message : flag->second + message.substr(end);
}

namespace {
// field -> flag for every long flag of `app` (replay_ratio: --replay-ratio), and the fields whose flag is named
// otherwise, where the program has that flag.
std::map<std::string, std::string> flag_names(const CLI::App& app) {
    static const std::map<std::string, std::string> kOtherNames = {{"segment_seconds", "--segment"},
                                                                   {"frames_per_second", "--fps"},
                                                                   {"override", "--set"},
                                                                   {"train.precision", "--precision"}};
    std::map<std::string, std::string> out;
    for (const auto* option : app.get_options()) {
        for (const auto& name : option->get_lnames()) {
            std::string field = name;
            std::replace(field.begin(), field.end(), '-', '_');
            out.emplace(field, "--" + name);
            for (const auto& [other, flag] : kOtherNames)
                if (flag == "--" + name) out.emplace(other, flag);
        }
    }
    return out;
}
}  // namespace

int run(CLI::App& app, int argc, char** argv, const std::function<int()>& body) {
    core::keep_freed_memory();
    bool verbose = false, quiet = false;
    app.set_version_flag("--version", std::string(app.get_name()) + " " + kVersion);
    app.add_flag("-v,--verbose", verbose, "log debug details");
    app.add_flag("-q,--quiet", quiet, "log errors only");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : int(ExitCode::kUsage);
    }
    auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    auto logger = std::make_shared<spdlog::logger>(app.get_name(), sink);
    logger->set_pattern("%^%l%$: %v");
    const auto level = quiet ? spdlog::level::err : verbose ? spdlog::level::debug : spdlog::level::info;
    logger->set_level(level);
    spdlog::set_default_logger(logger);
    try {
        return body();
    } catch (const Error& e) {
        spdlog::error("{}", e.code == ExitCode::kUsage ? with_flag_name(e.what(), flag_names(app)) : e.what());
        return int(e.code);
    } catch (const std::exception& e) {
        spdlog::error("internal error: {}", e.what());
        return int(ExitCode::kRuntime);
    }
}

bool Batch::guard(const std::string& item, const std::function<void()>& work) {
    try {
        work();
        return true;
    } catch (const Error& e) {
        fail(e.what(), e.code);
    } catch (const std::exception& e) {
        fail(item + ": " + e.what(), ExitCode::kRuntime);
    }
    return false;
}

void Batch::fail(const std::string& message, ExitCode code) {
    spdlog::error("{}", message);
    worst_ = std::max(worst_, int(code));
}

const CLI::Validator kDeviceName(
    [](std::string& name) {
        return config::is_device_name(name) ? std::string() : "expected cpu, cuda or cuda:N, got " + name;
    },
    "DEVICE");

CLI::Option* add_precision_option(CLI::App& app, std::string& precision) {
    return app
        .add_option("--precision", precision,
                    "auto (default: bf16 where the CPU has AMX-BF16 or AVX512-BF16, else fp32), fp32 or bf16")
        ->check(CLI::IsMember({"auto", "fp32", "bf16"}));
}

models::Placement placement(const std::string& device, const std::string& precision) {
    Precision asked = Precision::kAuto;
    if (!precision.empty() && !parse_precision(precision, asked)) {
        throw ConfigError("--precision: expected auto, fp32 or bf16, got " + precision);
    }
    return models::resolved({device, asked}, "--precision");
}

Crop crop_named(const std::string& name) {
    if (name == "whole") return Crop::kWhole;
    if (name == "detect") return Crop::kDetect;
    return Crop::kAuto;
}

std::string default_model(const std::string& modality) {
    try {
        return default_model_path(modality);
    } catch (const ConfigError& e) {
        throw ConfigError(std::string(e.what()) + "; pass --model");
    }
}

}  // namespace emo::app
