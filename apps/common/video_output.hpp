#pragma once
// Videos in emo-predict and emo-fuse: the timeline printed segment by segment as it is computed
// (text, JSON lines or CSV), then the summary; a progress bar on a terminal.
#include <ostream>
#include <string>

#include "emo/config.hpp"
#include "emo/emo.hpp"
#include "app.hpp"
#include "output.hpp"

namespace emo::app {

// --segment, --fps, --detect-side (into `options`) and --silence-db (into `predictor`).
void add_video_options(CLI::App& app, VideoOptions& options, PredictorOptions& predictor);

// The fusion config at `path`, else the shipped configs/fusion.yaml, else the built-in default.
// `from` (optional) gets where it came from.
config::FusionConfig load_fusion(const std::string& path, std::string* from = nullptr);

// One timeline segment as a line (the `index`th, from 1; CSV counts segments and has `columns` fused labels).
void print_segment(const std::string& file, int index, const VideoSegment& s, std::size_t columns, Format format,
                   std::ostream& out);
void print_video_csv_header(const std::vector<std::string>& labels, std::ostream& out);

// Prints the timeline as it is computed, then the summary. Throws InputError naming the file when it cannot be read.
void print_video(const std::string& file, const Predictor& predictor, const VideoOptions& options, Format format,
                 std::ostream& out);

}  // namespace emo::app
