#pragma once
// emo-predict -: audio read from standard input (a WAV stream or raw PCM), one result per window, each line
// flushed as soon as its window is scored.
#include <ostream>
#include <string>

#include "emo/emo.hpp"
#include "emo/fusion.hpp"
#include "output.hpp"

namespace emo::app {

struct StdinAudio {
    std::string raw_format;      // empty: a WAV stream or a container (see predict_stream); else u8, s16le, ...
    int rate = 0, channels = 1;  // raw PCM only
};
// A container with a video track on standard input: frames sampled at most `fps` a second, fused per window.
struct StdinVideo {
    double fps = 2;
    config::FusionConfig fusion;
};

// Whether Ctrl-C was pressed during a live input (see predict_stream).
bool stream_interrupted();
// Makes Ctrl-C end live inputs cleanly (their windows so far printed) instead of the program.
void stop_streams_on_interrupt();

// How long a live input runs: until it ends, `seconds` of stream time (> 0), or SIGINT (Ctrl-C).
struct StreamLimits {
    double seconds = 0;  // 0: no limit
};

// Reads `fd` to its end, printing every window's result as it is ready. Returns the exit code (0). Without a raw
// format: a WAV stream, else any container FFmpeg reads from a pipe (`ffmpeg ... -f matroska -`), read once as it
// arrives; with a video track, each window is a video timeline line (face, speech and fused, file "-"), as
// emo-predict --mic --camera prints them; audio alone gives speech windows as a WAV stream does.
int predict_stream(int fd, const StdinAudio& audio, const StdinVideo& video, const Predictor& predictor,
                   const StreamOptions& windows, const StreamLimits& limits, Format format, std::ostream& out);
// The same from a capture device (emo-predict --mic). A device that cannot be opened, stops or falls silent
// is an InputError (exit 3) after the windows before it are printed.
// Frames of a camera (a device number, a path or URL FFmpeg opens) at most `fps` a second, the largest face of
// each scored, one line per window. Ends at the end of the source, after `limits.seconds` or at Ctrl-C.
int predict_camera(const std::string& source, const Predictor& predictor, const StreamOptions& windows,
                   const StreamLimits& limits, double fps, Format format, std::ostream& out);
// A camera window as a line: text "camera:S<TAB>start-end<TAB>label<TAB>confidence<TAB>faces in F/N frames",
// JSON {"file", "modality": "face", "start", "end", "frames", "frames_with_face", "label", "confidence", "scores"}
// (no label and scores without a face), CSV file,start,end,frames,frames_with_face,label,confidence,<labels>.
void print_face_window(const std::string& name, const FaceWindow& w, const std::vector<std::string>& labels,
                       Format format, std::ostream& out);
int predict_microphone(const std::string& device, const Predictor& predictor, const StreamOptions& windows,
                       const StreamLimits& limits, Format format, std::ostream& out);

// One window as a line: text "-<TAB>start-end<TAB>label<TAB>confidence", JSON {"file", "modality", "start", "end",
// "label", "confidence", "scores", "precision"} ("no_speech": true instead of label and scores), CSV
// file,start,end,label,confidence,<one column per label> ("no speech" and empty scores).
void print_window(const std::string& file, const WindowResult& w, const std::vector<std::string>& labels, Format format,
                  std::ostream& out);
void print_window_header(const std::vector<std::string>& labels, Format format, std::ostream& out);

}  // namespace emo::app
