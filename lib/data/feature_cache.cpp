#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "emo/core.hpp"
#include "emo/data.hpp"

namespace emo::data {
namespace fs = std::filesystem;

namespace {
constexpr char kMagic[8] = {'E', 'M', 'O', 'F', 'E', 'A', 'T', '1'};

std::string default_cache_dir() {
    if (const char* d = std::getenv("EMO_CACHE_DIR"); d && *d) return d;
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/emo/features";
    if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/emo/features";
    return (fs::temp_directory_path() / "emo-features").string();
}
}  // namespace

FeatureCache::FeatureCache(std::string dir, std::string fingerprint)
    : dir_(dir.empty() ? default_cache_dir() : std::move(dir)), fingerprint_(std::move(fingerprint)) {}

std::string FeatureCache::entry_path(const std::string& path) const {
    std::error_code ec;
    const auto abs = fs::absolute(path, ec).lexically_normal().string();
    const auto size = fs::file_size(path, ec);
    if (ec) return {};
    const auto mtime = fs::last_write_time(path, ec).time_since_epoch().count();
    if (ec) return {};
    const std::string key = fingerprint_ + '\n' + abs + '\n' + std::to_string(size) + '\n' + std::to_string(mtime);
    return dir_ + "/" + core::to_hex(core::fnv1a(key)) + core::to_hex(core::fnv1a(key, 0x9e3779b97f4a7c15ull)) +
           ".feat";
}

std::optional<audio::Features> FeatureCache::get(const std::string& path) const {
    const std::string entry = entry_path(path);
    std::error_code ec;
    if (entry.empty() || !fs::exists(entry, ec)) return std::nullopt;
    std::string blob;
    try {
        blob = core::read_file(entry);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    const std::size_t header = sizeof kMagic + 2 * sizeof(std::int32_t);
    if (blob.size() < header || std::memcmp(blob.data(), kMagic, sizeof kMagic) != 0) return std::nullopt;
    std::int32_t frames = 0, dim = 0;
    std::memcpy(&frames, blob.data() + sizeof kMagic, sizeof frames);
    std::memcpy(&dim, blob.data() + sizeof kMagic + sizeof frames, sizeof dim);
    const std::size_t count = std::size_t(frames) * std::size_t(dim);
    if (frames < 0 || dim < 0 || blob.size() != header + count * sizeof(float)) return std::nullopt;
    audio::Features f;
    f.num_frames = frames;
    f.dim = dim;
    f.data.resize(count);
    std::memcpy(f.data.data(), blob.data() + header, count * sizeof(float));
    return f;
}

bool FeatureCache::put(const std::string& path, const audio::Features& features) const {
    const std::string entry = entry_path(path);
    if (entry.empty()) return false;
    std::string blob(kMagic, sizeof kMagic);
    const std::int32_t frames = features.num_frames, dim = features.dim;
    blob.append(reinterpret_cast<const char*>(&frames), sizeof frames);
    blob.append(reinterpret_cast<const char*>(&dim), sizeof dim);
    blob.append(reinterpret_cast<const char*>(features.data.data()), features.data.size() * sizeof(float));
    try {
        std::error_code ec;
        fs::create_directories(dir_, ec);
        core::write_file_atomic(entry, blob);
        return true;
    } catch (const std::exception&) {
        return false;  // a read-only or full cache costs time, never results
    }
}

}  // namespace emo::data
