#include "emo/core.hpp"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "emo/error.hpp"

namespace emo::core {

std::shared_ptr<spdlog::logger> logger() {
    auto existing = spdlog::get("emo");
    if (existing) return existing;
    // Until an app installs sinks, the library logger shares the default logger's sinks.
    auto created = std::make_shared<spdlog::logger>("emo", spdlog::default_logger()->sinks().begin(),
                                                    spdlog::default_logger()->sinks().end());
    created->set_level(spdlog::default_logger()->level());
    spdlog::register_logger(created);
    return created;
}

void keep_freed_memory() {
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest allowed; setting it also stops the dynamic threshold
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

void write_file_atomic(const std::string& path, std::string_view contents) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw RuntimeError(tmp + ": cannot open for writing");
        out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
        out.flush();
        if (!out) throw RuntimeError(tmp + ": write failed (disk full?)");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw RuntimeError(path + ": cannot rename from " + tmp);
    }
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path, "cannot open for reading");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::uint64_t fnv1a(std::string_view data, std::uint64_t seed) {
    std::uint64_t h = seed;
    for (unsigned char c : data) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

std::string to_hex(std::uint64_t value) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
    return buf;
}

std::string trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return std::string(s.substr(b, e - b));
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

}  // namespace emo::core
