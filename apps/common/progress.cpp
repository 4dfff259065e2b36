#include "progress.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace emo::app {

ProgressBar::ProgressBar() : shown_(isatty(STDERR_FILENO) && spdlog::get_level() <= spdlog::level::info) {}

ProgressBar::~ProgressBar() { clear(); }

void ProgressBar::clear() {
    if (!drawn_) return;
    std::fprintf(stderr, "\r%79s\r", "");
    std::fflush(stderr);
    drawn_ = false;
}

void ProgressBar::update(double fraction, const std::string& label, const std::string& detail) {
    if (!shown_) return;
    drawn_ = true;
    const double f = std::clamp(fraction, 0.0, 1.0);
    const std::string filled(std::size_t(f * 30), '#');
    std::fprintf(stderr, "\r%s [%-30s] %3d%% %s", label.c_str(), filled.c_str(), int(f * 100), detail.c_str());
    std::fflush(stderr);
}

}  // namespace emo::app
