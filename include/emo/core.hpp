#pragma once
// Small utilities shared by every module: version, logging, atomic file writes, hashing.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace emo {

inline constexpr const char* kVersion = "0.1.0";

namespace core {

// Writes `contents` to `path` through a temporary file beside it (`path.tmp<pid>.<n>`) and a rename,
// so `path` is never half written. Every file the library writes goes through here. Throws
// RuntimeError naming the path when the write or rename fails, and leaves no temporary behind.
void write_file_atomic(const std::string& path, std::string_view contents);
// Removes the temporaries write_file_atomic left in `dir` when its process was killed mid-write
// (those of live processes are kept). Returns how many were removed.
int remove_abandoned_temporaries(const std::string& dir);

// Reads a whole file. Throws InputError when it cannot be opened.
std::string read_file(const std::string& path);

// 64-bit FNV-1a, for cache keys (not cryptographic).
std::uint64_t fnv1a(std::string_view data, std::uint64_t seed = 1469598103934665603ull);
std::string to_hex(std::uint64_t value);

// Tells glibc's malloc to keep freed memory instead of returning it to the kernel. LibTorch frees
// and reallocates buffers of many megabytes every training step; with glibc's defaults each came
// back through page faults, which made training 3x slower (bench/README.md). Call once, early in
// main(); a no-op elsewhere than glibc.
void keep_freed_memory();

// A CSV field: quoted (inner quotes doubled) when it holds a comma, quote or newline.
std::string csv_field(const std::string& s);

// Trims leading/trailing whitespace; lower-cases ASCII.
std::string trim(std::string_view s);
std::string to_lower(std::string_view s);

}  // namespace core
}  // namespace emo
