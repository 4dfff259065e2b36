#pragma once
// Lines of text files from outside (CSV, JSON lines), read with a bound on their length.
#include <cstddef>
#include <istream>
#include <string>

namespace emo::core {

// std::getline for text files from outside: a line longer than kMaxLineBytes (4 MiB) is refused
// with InputError naming `path` and line `line_no` before more of it is held in memory. A final
// "\r" is dropped. Returns false at the end of the input.
inline constexpr std::size_t kMaxLineBytes = std::size_t(4) << 20;
bool read_line(std::istream& in, std::string& line, const std::string& path, int line_no);

}  // namespace emo::core
