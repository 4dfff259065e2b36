#pragma once
// Videos in emo-predict and emo-fuse: the timeline printed segment by segment as it is computed
// (text, JSON lines or CSV), then the summary; a progress bar on a terminal.
#include <ostream>
#include <string>

#include "emo/video.hpp"
#include "app.hpp"
#include "output.hpp"

namespace emo::app {

// --segment, --fps, --silence-db and --fusion-config (for emo-predict; emo-fuse has --config).
void add_video_options(CLI::App& app, video::VideoOptions& options);

// The fusion config at `path`, else the shipped configs/fusion.yaml, else the built-in default.
// `from` (optional) gets where it came from.
config::FusionConfig load_fusion(const std::string& path, std::string* from = nullptr);

// The fused label columns of the video CSV.
std::vector<std::string> video_labels(const models::FaceModel& face, const models::SpeechModel& speech,
                                      const config::FusionConfig& fusion);
// One timeline segment as a line (the `index`th, from 1; CSV counts segments).
void print_segment(const std::string& file, int index, const video::Segment& s, const std::vector<std::string>& columns,
                   Format format, std::ostream& out);
void print_video_csv_header(const std::vector<std::string>& labels, std::ostream& out);

// Throws InputError naming the file when it cannot be read.
void print_video(const std::string& file, const models::FaceModel& face, const models::SpeechModel& speech,
                 const config::FusionConfig& fusion, const video::VideoOptions& options, Format format,
                 std::ostream& out);

}  // namespace emo::app
