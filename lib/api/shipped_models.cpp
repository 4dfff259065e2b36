#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>

#include "emo/emo.hpp"

namespace emo {
namespace {
namespace fs = std::filesystem;

// The folder of the binary this code is in: libemo.so, or a program emo is linked into statically.
fs::path own_binary_dir() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<const void*>(&default_model_path), &info) == 0 || info.dli_fname == nullptr) return {};
    std::error_code ec;
    const auto binary = fs::canonical(info.dli_fname, ec);
    return ec ? fs::path{} : binary.parent_path();
}

std::vector<fs::path> model_dirs() {
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv("EMO_MODEL_DIR"); env && *env) dirs.emplace_back(env);
    // PREFIX/bin, PREFIX/lib and PREFIX/lib/<multiarch> all lead to PREFIX/share/emo/models.
    if (const auto own = own_binary_dir(); !own.empty()) {
        dirs.push_back(own.parent_path() / "share/emo/models");
        dirs.push_back(own.parent_path().parent_path() / "share/emo/models");
    }
    dirs.emplace_back(EMO_SOURCE_MODEL_DIR);  // a build tree's
    dirs.emplace_back(EMO_INSTALL_MODEL_DIR);
    return dirs;
}

}  // namespace

std::string default_model_path(const std::string& modality) {
    if (modality != "speech" && modality != "face") {
        throw ConfigError("modality: expected speech or face, got '" + modality + "'");
    }
    std::string looked;
    for (const auto& dir : model_dirs()) {
        const fs::path candidate = dir / (modality + ".pt");
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec)) return candidate.string();
        looked += (looked.empty() ? "" : ", ") + dir.string();
    }
    throw ConfigError("no shipped " + modality + " model found (looked for " + modality + ".pt in " + looked + ")");
}

}  // namespace emo
