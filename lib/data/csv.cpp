#include "csv.hpp"

#include "emo/core.hpp"
#include "emo/error.hpp"
#include "emo/line_reader.hpp"

namespace emo::data {

std::vector<std::string> split_csv_line(const std::string& line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                fields.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                fields.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else if (c != '\r') {
            fields.back() += c;
        }
    }
    for (auto& f : fields) f = core::trim(f);
    return fields;
}

void for_each_csv_row(std::istream& in, const std::string& csv_path, std::size_t fields,
                      const std::function<void(const std::vector<std::string>&, const std::string&)>& on_row) {
    std::string line;
    for (int line_no = 2; core::read_line(in, line, csv_path, line_no); ++line_no) {
        if (core::trim(line).empty()) continue;
        const auto f = split_csv_line(line);
        const std::string where = "line " + std::to_string(line_no);
        if (f.size() != fields) {
            throw InputError(
                csv_path, where + ": expected " + std::to_string(fields) + " fields, got " + std::to_string(f.size()));
        }
        on_row(f, where);
    }
}

}  // namespace emo::data
