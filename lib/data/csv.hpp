#pragma once
#include <functional>
#include <istream>
#include <string>
#include <vector>

namespace emo::data {
// One CSV record: comma-separated, fields may be double-quoted with "" escapes; fields trimmed.
std::vector<std::string> split_csv_line(const std::string& line);

// Calls on_row(fields, "line N") for each non-blank record after the header, each checked to have
// exactly `fields` fields (an InputError naming csv_path and the line otherwise).
void for_each_csv_row(std::istream& in, const std::string& csv_path, std::size_t fields,
                      const std::function<void(const std::vector<std::string>&, const std::string&)>& on_row);
}  // namespace emo::data
