#include "emo/core.hpp"

#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "emo/error.hpp"
#include "emo/line_reader.hpp"

namespace emo::core {

void keep_freed_memory() {
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest allowed; setting it also stops the dynamic threshold
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

namespace {
// A name beside `path` that no other process or thread writes at the same time (feature caches are
// filled by several workers at once).
std::string temporary_name(const std::string& path) {
    static std::atomic<unsigned> counter{0};
    return path + ".tmp" + std::to_string(::getpid()) + "." + std::to_string(counter++);
}
}  // namespace

void write_file_atomic(const std::string& path, std::string_view contents) {
    const std::string tmp = temporary_name(path);
    std::error_code ec;
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw RuntimeError(path + ": cannot open " + tmp + " for writing");
        out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
        out.flush();
        if (!out) {
            out.close();
            std::filesystem::remove(tmp, ec);
            throw RuntimeError(path + ": write failed (disk full or file too large?)");
        }
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        const std::string why = ec.message();
        std::filesystem::remove(tmp, ec);
        throw RuntimeError(path + ": cannot rename from " + tmp + ": " + why);
    }
}

int remove_abandoned_temporaries(const std::string& dir) {
    static const std::regex temporary(R"(.+\.tmp(\d{1,9})\.\d+)");
    int removed = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        std::smatch m;
        const std::string name = entry.path().filename().string();
        if (!std::regex_match(name, m, temporary)) continue;
        const auto pid = static_cast<pid_t>(std::stoll(m[1].str()));
        const bool writer_alive = ::kill(pid, 0) == 0 || errno == EPERM;
        if (!writer_alive && std::filesystem::remove(entry.path(), ec)) ++removed;
    }
    return removed;
}

bool read_line(std::istream& in, std::string& line, const std::string& path, int line_no) {
    line.clear();
    std::streambuf* buf = in.rdbuf();
    if (!in || buf == nullptr) return false;
    for (;;) {
        int c;
        try {
            c = buf->sbumpc();
        } catch (const std::exception&) {  // e.g. a folder opened as a file: as std::getline, fail
            in.setstate(std::ios::badbit);
            return false;
        }
        if (c == std::char_traits<char>::eof()) {
            in.setstate(std::ios::eofbit);
            if (line.empty()) in.setstate(std::ios::failbit);
            break;
        }
        if (c == '\n') break;
        if (line.size() >= kMaxLineBytes) {
            throw InputError(path, "line " + std::to_string(line_no) + ": longer than " +
                                       std::to_string(kMaxLineBytes >> 20) + " MiB; not a text file of this kind");
        }
        line.push_back(char(c));
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return bool(in) || !line.empty();
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
