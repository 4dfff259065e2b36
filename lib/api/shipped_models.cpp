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

// PREFIX/share/emo/<what> of the prefix this code is installed in (PREFIX/bin, PREFIX/lib and
// PREFIX/lib/<multiarch> all lead there), then the source tree's (a build tree) and the configured prefix's.
std::vector<fs::path> shipped_dirs(const std::string& what, const fs::path& source_dir, const fs::path& install_dir) {
    std::vector<fs::path> dirs;
    if (const auto own = own_binary_dir(); !own.empty()) {
        dirs.push_back(own.parent_path() / "share/emo" / what);
        dirs.push_back(own.parent_path().parent_path() / "share/emo" / what);
    }
    dirs.push_back(source_dir);
    dirs.push_back(install_dir);
    return dirs;
}

std::vector<fs::path> model_dirs() {
    auto dirs = shipped_dirs("models", EMO_SOURCE_MODEL_DIR, EMO_INSTALL_MODEL_DIR);
    if (const char* env = std::getenv("EMO_MODEL_DIR"); env && *env) dirs.insert(dirs.begin(), env);
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

std::string default_fusion_config_path() {
    for (const auto& dir : shipped_dirs("configs", EMO_SOURCE_CONFIG_DIR, EMO_INSTALL_CONFIG_DIR)) {
        std::error_code ec;
        if (fs::is_regular_file(dir / "fusion.yaml", ec)) return (dir / "fusion.yaml").string();
    }
    return "";
}

}  // namespace emo
