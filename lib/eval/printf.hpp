#pragma once
// printf-style formatting into a std::string, for the text and CSV reports.
#include <cstdarg>
#include <cstdio>
#include <string>

namespace emo::eval {

inline std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
inline std::string format(const char* fmt, ...) {
    char buf[512];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, args);
    va_end(args);
    return buf;
}

}  // namespace emo::eval
