// PNG charts drawn with OpenCV: line panels (training curves), a confusion heatmap, bar charts.
// White background, anti-aliased Hershey text, a title on each; written atomically.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <vector>

#include "emo/core.hpp"
#include "emo/error.hpp"
#include "emo/eval.hpp"

namespace emo::eval {
namespace {
const cv::Scalar kBlack(30, 30, 30), kGrid(225, 225, 225), kWhite(255, 255, 255);
// Colour-blind-safe palette (Okabe-Ito), BGR.
const cv::Scalar kColours[] = {{178, 114, 0}, {0, 159, 230},  {115, 158, 0},  {167, 121, 204},
                               {0, 94, 213},  {233, 180, 86}, {66, 228, 240}, {0, 0, 0}};
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;

void text(cv::Mat& img, const std::string& s, cv::Point at, double scale = 0.55, const cv::Scalar& colour = kBlack,
          bool centred = false, int thickness = 1) {
    int base = 0;
    const auto size = cv::getTextSize(s, kFont, scale, thickness, &base);
    if (centred) at.x -= size.width / 2;
    cv::putText(img, s, at, kFont, scale, colour, thickness, cv::LINE_AA);
}

std::string fixed(double v, int digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

void write_png(const cv::Mat& img, const std::string& path) {
    std::vector<uchar> png;
    bool ok = false;
    try {
        ok = cv::imencode(".png", img, png);
    } catch (const cv::Exception&) {
        ok = false;
    }
    if (!ok) throw RuntimeError(path + ": cannot encode PNG");
    core::write_file_atomic(path, std::string_view(reinterpret_cast<const char*>(png.data()), png.size()));
}

// Axes in `area`: returns the mapping of data to pixels after drawing grid, ticks and labels.
struct Axes {
    cv::Rect area;
    double x0, x1, y0, y1;
    cv::Point at(double x, double y) const {
        const double fx = x1 > x0 ? (x - x0) / (x1 - x0) : 0.5, fy = y1 > y0 ? (y - y0) / (y1 - y0) : 0.5;
        return {area.x + int(std::lround(fx * area.width)), area.y + area.height - int(std::lround(fy * area.height))};
    }
};

double nice_step(double range, int ticks) {
    const double raw = range / ticks, mag = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * mag >= raw) return m * mag;
    return 10 * mag;
}

// Enough decimals to tell ticks `step` apart: 0.25 -> 2, 0.2 -> 1, 5 -> 0.
int tick_decimals(double step) {
    for (int d = 0; d < 4; ++d) {
        const double scaled = step * std::pow(10.0, d);
        if (std::fabs(scaled - std::round(scaled)) < 1e-6) return d;
    }
    return 4;
}

// `integer_x`: x values are counts (epochs), so no tick falls between two of them.
void draw_axes(cv::Mat& img, const Axes& a, const std::string& x_label, const std::string& y_label, bool integer_x) {
    const double ystep = nice_step(a.y1 - a.y0, 5);
    const double xstep = integer_x ? std::max(1.0, nice_step(a.x1 - a.x0, 6)) : nice_step(a.x1 - a.x0, 6);
    for (double y = std::ceil(a.y0 / ystep) * ystep; y <= a.y1 + 1e-9; y += ystep) {
        cv::line(img, a.at(a.x0, y), a.at(a.x1, y), kGrid, 1, cv::LINE_AA);
        text(img, fixed(y, tick_decimals(ystep)), a.at(a.x0, y) + cv::Point(-48, 5), 0.45);
    }
    for (double x = std::ceil(a.x0 / xstep) * xstep; x <= a.x1 + 1e-9; x += xstep) {
        text(img, fixed(x, tick_decimals(xstep)), a.at(x, a.y0) + cv::Point(0, 20), 0.45, kBlack, true);
    }
    cv::rectangle(img, a.area, kBlack, 1);
    text(img, x_label, {a.area.x + a.area.width / 2, a.area.y + a.area.height + 42}, 0.55, kBlack, true);
    text(img, y_label, {a.area.x, a.area.y - 10}, 0.55);
}
// The legend's corner of the plot area: the one over the fewest curve points (top right on a tie).
cv::Rect legend_box(const Axes& a, const std::vector<std::vector<cv::Point>>& curves) {
    const int w = 192, h = 10 + 20 * int(curves.size());
    const int left = a.area.x + 8, right = a.area.x + a.area.width - w - 8;
    const int top = a.area.y + 6, bottom = a.area.y + a.area.height - h - 6;
    cv::Rect best;
    long fewest = -1;
    for (const auto& corner :
         {cv::Point(right, top), cv::Point(left, top), cv::Point(right, bottom), cv::Point(left, bottom)}) {
        const cv::Rect box(corner.x, corner.y, w, h);
        long covered = 0;
        for (const auto& pts : curves)
            for (std::size_t i = 0; i < pts.size(); ++i) {
                // Sample along each segment, so a line crossing the box counts even between its points.
                const cv::Point from = pts[i], to = i + 1 < pts.size() ? pts[i + 1] : pts[i];
                for (int t = 0; t <= 8; ++t) covered += box.contains(from + (to - from) * t / 8);
            }
        if (fewest < 0 || covered < fewest) fewest = covered, best = box;
    }
    return best;
}
}  // namespace

void plot_lines(const std::vector<Panel>& panels, const std::string& title, const std::string& path) {
    if (panels.empty()) throw RuntimeError(path + ": nothing to plot");
    const int panel_w = 620, panel_h = 460, top = 60;
    cv::Mat img(top + panel_h, panel_w * int(panels.size()), CV_8UC3, kWhite);
    text(img, title, {img.cols / 2, 32}, 0.8, kBlack, true, 2);
    for (std::size_t p = 0; p < panels.size(); ++p) {
        const auto& panel = panels[p];
        double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
        for (const auto& s : panel.series)
            for (std::size_t i = 0; i < s.x.size(); ++i) {
                if (!std::isfinite(s.y[i])) continue;
                x0 = std::min(x0, s.x[i]), x1 = std::max(x1, s.x[i]);
                y0 = std::min(y0, s.y[i]), y1 = std::max(y1, s.y[i]);
            }
        if (x0 > x1) x0 = 0, x1 = 1, y0 = 0, y1 = 1;
        if (panel.y_from_zero) y0 = std::min(0.0, y0);
        const double pad = (y1 - y0) * 0.05 + 1e-9;
        const Axes a{cv::Rect(int(p) * panel_w + 70, top + 40, panel_w - 100, panel_h - 130), x0, x1,
                     panel.y_from_zero && y0 == 0.0 ? 0.0 : y0 - pad, y1 + pad};
        text(img, panel.title, {a.area.x + a.area.width / 2, top + 14}, 0.65, kBlack, true, 1);
        bool integer_x = true;
        std::vector<std::vector<cv::Point>> curves;
        for (const auto& s : panel.series) {
            curves.emplace_back();
            for (std::size_t i = 0; i < s.x.size(); ++i) {
                integer_x = integer_x && s.x[i] == std::round(s.x[i]);
                if (std::isfinite(s.y[i])) curves.back().push_back(a.at(s.x[i], s.y[i]));
            }
        }
        draw_axes(img, a, panel.x_label, panel.y_label, integer_x);
        for (std::size_t k = 0; k < curves.size(); ++k) {
            const auto colour = kColours[k % 8];
            if (curves[k].size() == 1) cv::circle(img, curves[k][0], 3, colour, cv::FILLED, cv::LINE_AA);
            cv::polylines(img, curves[k], false, colour, 2, cv::LINE_AA);
        }
        // Legend in a white box, drawn after the curves.
        const cv::Rect legend = legend_box(a, curves);
        cv::rectangle(img, legend, kWhite, cv::FILLED);
        cv::rectangle(img, legend, kGrid, 1);
        for (std::size_t k = 0; k < panel.series.size(); ++k) {
            const auto& s = panel.series[k];
            const auto colour = kColours[k % 8];
            const cv::Point at(legend.x + 10, legend.y + 20 + 20 * int(k));
            cv::line(img, at + cv::Point(0, -5), at + cv::Point(22, -5), colour, 2, cv::LINE_AA);
            text(img, s.name, at + cv::Point(28, 0), 0.45);
        }
    }
    write_png(img, path);
}

void plot_confusion(const Metrics& m, const std::string& title, const std::string& path) {
    const int n = int(m.labels.size()), cell = 78, left = 130, top = 110;
    cv::Mat img(top + n * cell + 70, std::max(560, left + n * cell + 40), CV_8UC3, kWhite);
    text(img, title, {img.cols / 2, 32}, 0.75, kBlack, true, 2);
    text(img, "predicted", {left + n * cell / 2, top - 52}, 0.55, kBlack, true);
    const auto rows = row_normalised(m);
    for (int i = 0; i < n; ++i) {
        text(img, m.labels[std::size_t(i)], {12, top + i * cell + cell / 2 + 5}, 0.5);
        text(img, m.labels[std::size_t(i)].substr(0, 9), {left + i * cell + cell / 2, top - 12}, 0.45, kBlack, true);
        for (int j = 0; j < n; ++j) {
            const double f = rows[std::size_t(i)][std::size_t(j)];
            // White to dark blue by row share.
            const cv::Scalar fill(255 - 100 * f, 255 - 190 * f, 255 - 230 * f);
            const cv::Rect r(left + j * cell, top + i * cell, cell, cell);
            cv::rectangle(img, r, fill, cv::FILLED);
            cv::rectangle(img, r, kGrid, 1);
            const auto ink = f > 0.55 ? kWhite : kBlack;
            text(img, std::to_string(m.confusion[std::size_t(i)][std::size_t(j)]), {r.x + cell / 2, r.y + 33}, 0.6, ink,
                 true, i == j ? 2 : 1);
            text(img, fixed(100 * f, 0) + "%", {r.x + cell / 2, r.y + 56}, 0.45, ink, true);
        }
    }
    text(img, "rows: true label (counts, % of the row)", {left, top + n * cell + 40}, 0.5);
    write_png(img, path);
}

void plot_bars(const std::vector<std::string>& names, const std::vector<double>& values, const std::string& title,
               const std::string& y_label, const std::string& path) {
    if (names.empty() || names.size() != values.size()) throw RuntimeError(path + ": nothing to plot");
    const int bar = 70, top = 70, height = 360;
    cv::Mat img(top + height + 90, std::max(640, 80 + int(names.size()) * bar + 40), CV_8UC3, kWhite);
    const int left = std::max(80, (img.cols - int(names.size()) * bar) / 2);  // centred under the title
    text(img, title, {img.cols / 2, 32}, 0.75, kBlack, true, 2);
    const double vmax = std::max(1e-9, *std::max_element(values.begin(), values.end()));
    const bool fractions = vmax <= 1.0;                       // accuracy, F1: a 0..1 scale
    const double top_value = (fractions ? 1.0 : vmax) * 1.1;  // room for the value above the tallest bar
    const Axes a{cv::Rect(left, top, int(names.size()) * bar, height), 0, 1, 0, top_value};
    const double ystep = nice_step(top_value, 5);
    for (double y = 0; y <= top_value + 1e-9; y += ystep) {
        cv::line(img, a.at(0, y), a.at(1, y), kGrid, 1);
        text(img, fixed(y, tick_decimals(ystep)), a.at(0, y) + cv::Point(-55, 5), 0.45);
    }
    text(img, y_label, {left, top - 12}, 0.5);
    for (std::size_t i = 0; i < names.size(); ++i) {
        const int x = left + int(i) * bar;
        const int h = int(std::lround(values[i] / top_value * height));
        cv::rectangle(img, cv::Rect(x + 10, top + height - h, bar - 20, h), kColours[0], cv::FILLED);
        const bool whole = !fractions && std::fabs(values[i] - std::round(values[i])) < 1e-9;
        text(img, whole ? fixed(values[i], 0) : fixed(values[i], 2), {x + bar / 2, top + height - h - 6}, 0.45, kBlack,
             true);
        text(img, names[i].substr(0, 9), {x + bar / 2, top + height + 22}, 0.45, kBlack, true);
    }
    cv::rectangle(img, a.area, kBlack, 1);
    write_png(img, path);
}

}  // namespace emo::eval
