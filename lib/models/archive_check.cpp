// LibTorch's reader does not check the CRC-32 each zip record carries, and its TorchScript importer
// can crash on corrupted records (found by fuzz_model). Checking them first turns a damaged file
// into a clear error.
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "emo/error.hpp"
#include "emo/model_file.hpp"

namespace emo::models {
namespace {

constexpr std::uint32_t kEndOfCentralDirectory = 0x06054b50, kCentralEntry = 0x02014b50, kLocalEntry = 0x04034b50;

struct Bytes {
    const std::string& data;
    const std::string& path;
    const std::string& what;  // "model file", "checkpoint"
    std::uint32_t u32(std::size_t at) const { return std::uint32_t(u16(at)) | std::uint32_t(u16(at + 2)) << 16; }
    std::uint16_t u16(std::size_t at) const {
        need(at, 2);
        return std::uint16_t(std::uint8_t(data[at]) | std::uint8_t(data[at + 1]) << 8);
    }
    void need(std::size_t at, std::size_t n) const {
        if (at > data.size() || n > data.size() - at)
            throw InputError(path, "corrupt LibTorch archive (truncated? a record lies outside the file)");
    }
};

std::size_t end_of_central_directory(const Bytes& b) {
    if (b.data.size() < 22) throw InputError(b.path, "not a " + b.what + " (truncated or empty)");
    const std::size_t earliest = b.data.size() > 22 + 65535 ? b.data.size() - 22 - 65535 : 0;
    for (std::size_t at = b.data.size() - 22 + 1; at-- > earliest;) {
        if (b.u32(at) == kEndOfCentralDirectory) return at;
    }
    throw InputError(b.path, "not a " + b.what + " (truncated, or not a LibTorch archive: no zip directory)");
}

// CRC-32 of a record's uncompressed data: stored (0) or deflated (8) records.
std::uint32_t record_crc(const Bytes& b, const char* data, std::size_t size, int method, std::size_t expected_size,
                         const std::string& name) {
    if (method == 0) {
        if (size != expected_size)
            throw InputError(b.path, "corrupt LibTorch archive: record " + name + " has two sizes");
        return std::uint32_t(crc32(0, reinterpret_cast<const Bytef*>(data), uInt(size)));
    }
    if (method != 8)
        throw InputError(b.path, "corrupt LibTorch archive: record " + name + " has an unknown compression");
    if (expected_size > (std::size_t(64) << 20))
        throw InputError(b.path, "corrupt LibTorch archive: record " + name + " too large");
    std::vector<Bytef> out(std::max<std::size_t>(expected_size, 1));
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) throw RuntimeError("zlib: cannot start inflating");
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    z.avail_in = uInt(size);
    z.next_out = out.data();
    z.avail_out = uInt(out.size());
    const int status = inflate(&z, Z_FINISH);
    const std::size_t produced = z.total_out;
    inflateEnd(&z);
    if (status != Z_STREAM_END || produced != expected_size) {
        throw InputError(b.path, "corrupt LibTorch archive: record " + name + " does not inflate to its size");
    }
    return std::uint32_t(crc32(0, out.data(), uInt(produced)));
}

}  // namespace

void check_archive_integrity(const std::string& data, const std::string& path, const std::string& what) {
    const Bytes b{data, path, what};
    const std::size_t end = end_of_central_directory(b);
    const std::size_t entries = b.u16(end + 10);
    std::size_t at = b.u32(end + 16);  // start of the central directory
    for (std::size_t i = 0; i < entries; ++i) {
        if (b.u32(at) != kCentralEntry) throw InputError(path, "corrupt LibTorch archive: broken zip directory");
        const int method = b.u16(at + 10);
        const std::uint32_t crc = b.u32(at + 16);
        const std::size_t packed = b.u32(at + 20), size = b.u32(at + 24);
        const std::size_t name_length = b.u16(at + 28), extra_length = b.u16(at + 30), comment_length = b.u16(at + 32);
        const std::size_t local = b.u32(at + 42);
        b.need(at + 46, name_length);
        const std::string name = data.substr(at + 46, name_length);
        if (b.u32(local) != kLocalEntry)
            throw InputError(path, "corrupt LibTorch archive: record " + name + " is missing");
        const std::size_t start = local + 30 + b.u16(local + 26) + b.u16(local + 28);
        b.need(start, packed);
        if (record_crc(b, data.data() + start, packed, method, size, name) != crc) {
            throw InputError(path,
                             "corrupt LibTorch archive: record " + name + " fails its checksum (damaged or altered)");
        }
        at += 46 + name_length + extra_length + comment_length;
    }
}

}  // namespace emo::models
