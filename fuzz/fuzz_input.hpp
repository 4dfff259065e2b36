#pragma once
// Shared by the libFuzzer harnesses: the input as a file (emo's readers take paths), and the rule
// every harness checks: bad input may only end in an emo::Error (a clear message and exit code);
// any other exception, crash, leak or sanitizer report is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "emo/error.hpp"

namespace emo::fuzz {

// Writes the input to a file of this process named with `suffix` and returns its path.
inline std::string as_file(const std::uint8_t* data, std::size_t size, const std::string& suffix) {
    const auto path = std::filesystem::temp_directory_path() / ("emo-fuzz-" + std::to_string(::getpid()) + suffix);
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data), long(size));
    return path.string();
}

// Runs `f`; emo::Error is the expected way to refuse input.
template <class F>
void expect_clean(F&& f) {
    try {
        f();
    } catch (const emo::Error&) {
    }
}

}  // namespace emo::fuzz
