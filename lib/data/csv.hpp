#pragma once
#include <string>
#include <vector>

namespace emo::data {
// One CSV record: comma-separated, fields may be double-quoted with "" escapes; fields trimmed.
std::vector<std::string> split_csv_line(const std::string& line);
}  // namespace emo::data
