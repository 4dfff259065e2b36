#include "destinations.hpp"

#include <filesystem>
#include <fstream>

#include "emo/error.hpp"

namespace emo::app {
namespace {

// Opens `probe` for appending (an existing file is not truncated) and removes it again unless it
// was there before.
bool can_create(const std::string& probe) {
    std::error_code ec;
    const bool existed = std::filesystem::exists(probe, ec);
    if (!std::ofstream(probe, std::ios::app)) return false;
    if (!existed) std::filesystem::remove(probe, ec);
    return true;
}

}  // namespace

void make_output_folder(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw RuntimeError(dir + ": cannot create folder: " + ec.message());
    if (!can_create(dir + "/.emo-write-check")) throw RuntimeError(dir + ": folder is not writable");
}

void check_destinations(const std::vector<std::string>& files, const std::vector<std::string>& folders) {
    for (const auto& dir : folders) {
        if (!dir.empty()) make_output_folder(dir);
    }
    for (const auto& file : files) {
        if (file.empty() || can_create(file + ".tmp")) continue;
        throw RuntimeError(file + ": cannot be written (does its folder exist and allow writing?)");
    }
}

}  // namespace emo::app
