#pragma once
// emo-predict --mic --camera: a microphone and a camera at once, each scored on its own thread, their windows
// paired and fused, one line per window in the video timeline's format (file "live").
#include <ostream>
#include <string>

#include "emo/emo.hpp"
#include "emo/fusion.hpp"
#include "output.hpp"
#include "stream.hpp"

namespace emo::app {

// Runs until both inputs end, `limits.seconds` or Ctrl-C. A window one input has not delivered (it ended, or
// nothing came) is printed with that side missing, as a video segment without a face or speech is.
int predict_live(const std::string& mic, const std::string& camera, const Predictor& predictor,
                 const StreamOptions& windows, const StreamLimits& limits, double fps,
                 const config::FusionConfig& fusion, Format format, std::ostream& out);

}  // namespace emo::app
