#pragma once
// emo's public API: the one header a program that uses emo includes. Standard library only (no LibTorch, no
// OpenCV), so it compiles in well under a second. CMake: find_package(emo CONFIG) and link emo::emo;
// otherwise `pkg-config --cflags --libs emo`. Errors are emo::Error (emo/error.hpp): ConfigError for a
// bad option or model, InputError for an unreadable input, each with a message naming what was wrong.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "emo/error.hpp"

namespace emo {

// The library's version, "MAJOR.MINOR.PATCH" (the programs' --version and libemo's SONAME use it).
std::string version();

// Class probabilities over labels, in the model's output order.
struct Scores {
    std::vector<std::string> labels;
    std::vector<float> values;  // one per label, sum to 1

    bool empty() const { return values.empty(); }
    std::size_t best() const;                  // index of the highest value; throws std::logic_error when empty
    const std::string& label() const;          // labels[best()]
    float confidence() const;                  // values[best()]
    float of(const std::string& label) const;  // that label's value; throws std::out_of_range for an unknown one
};

struct Point {
    float x = 0, y = 0;
};

// A face's place in its image, in pixels of the image as given.
struct Box {
    int x = 0, y = 0, width = 0, height = 0;
    float score = 1.0f;  // detector confidence (1 for a whole image taken as one face)
    // YuNet's five landmarks: the subject's right eye, left eye, nose tip, right and left mouth corners (the
    // right eye is on the image's left). Empty from other detectors and for a whole image.
    std::vector<Point> landmarks;
};

struct FaceResult {
    Box box;
    Scores scores;
};

// One image: every face found (none is a valid result).
struct ImageResult {
    std::string source;     // the file, or "" for pixels
    std::string error;      // batch calls: why this file could not be read (then nothing else is set)
    std::string found_by;   // the detector that searched it ("yunet", "haar", "dnn") or "whole image"
    std::string precision;  // what the network ran in: "fp32" or "bf16"
    int width = 0, height = 0;
    std::vector<FaceResult> faces;

    const FaceResult* largest_face() const;  // the face with the largest box (the first of equals); nullptr if none
};

// One audio clip (or buffer).
struct SpeechResult {
    std::string source;      // the file, or "" for samples
    std::string error;       // batch calls: why this file could not be read (then nothing else is set)
    bool no_speech = false;  // no speech in the clip (or too short to score): scores empty
    std::string precision;   // what the network ran in: "fp32" or "bf16"
    Scores scores;
};

enum class Crop {
    kAuto,    // small square images are face crops, others are searched for faces
    kWhole,   // the image is one face
    kDetect,  // always search
};

struct PredictorOptions {
    std::string speech_model;        // model file; empty: the shipped speech model (default_model_path)
    std::string face_model;          // model file; empty: the shipped face model
    int threads = 0;                 // decoding and inference threads; 0: all cores
    std::string device = "cpu";      // cpu, cuda or cuda:N
    std::string precision = "auto";  // auto (bf16 where the CPU has AMX-BF16 or AVX512-BF16), fp32 or bf16
    Crop crop = Crop::kAuto;
    bool flip_average = true;   // faces: average each face with its mirror image (twice the work)
    int detect_side = 0;        // photos are searched on a copy at most this large (pixels, 64..8192); 0: the
                                // face model's detector.max_side. Video frames: VideoOptions::detect_side
    bool detect_speech = true;  // audio: a clip without speech gives no_speech instead of a guess
    float silence_db = 0;       // audio and video: without 0.2 s this loud (dBFS, < 0) a clip or segment has no
                                // speech; 0: the speech model's input.speech_db
};

// How face and speech combine in a video's segments.
struct FusionOptions {
    std::string config;      // a fusion config file (emo-fuse --fit --write-config writes one); empty: the
                             // shipped configs/fusion.yaml, else built-in defaults
    float face_weight = -1;  // 0..1: replaces the config's weights (speech gets 1 - face_weight); < 0: the config's
    std::string rule;        // weighted, product or max replaces the config's rule; empty: the config's
};
// A video (or an audio recording) as a timeline: fixed segments, faces from frames sampled in each, speech from
// the sound under it, fused.
struct VideoOptions {
    double segment_seconds = 2.5;    // 0.5..60; also the speech window
    double frames_per_second = 2.0;  // frames searched for faces, > 0 and <= 60
    int detect_side = 480;           // frames are searched at most this large (64..8192, and no larger than the
                                     // face model's detector.max_side)
    FusionOptions fusion;
    void validate() const;  // throws ConfigError naming the field
};
// One face through a segment's sampled frames.
struct TrackedFace {
    int track = 0;   // a face keeps its number from segment to segment
    int frames = 0;  // sampled frames of the segment it is in
    Box box;         // where it is in the last of them
    Scores scores;   // mean over those frames
};
struct VideoSegment {
    double start = 0, end = 0;             // seconds
    int frames = 0, frames_with_face = 0;  // sampled frames
    bool silent = false;                   // sound present but below silence_db
    std::vector<TrackedFace> faces;        // every face seen, by track
    Scores face;    // mean over the frames with a face of each frame's largest face; empty without a face
    Scores speech;  // empty without speech
    Scores fused;   // over the fused labels; empty when neither is there
};
struct VideoResult {
    std::string source;
    double duration = 0;
    int segments = 0, segments_with_face = 0, segments_with_speech = 0;
    bool has_video = false, has_audio = false;
    std::string found_by;  // the face detector that ran ("yunet", "haar", "dnn")
    int face_tracks = 0;   // faces told apart over the whole video
    Scores fused;          // mean of the segments' fused scores; empty when no segment had a face or speech
    float face_weight = 0, speech_weight = 0;  // the fusion weights used
    std::string rule;                          // and the rule
    std::vector<std::string> notes;            // "no audio track: faces only", "no face visible", ...
};

// Emotion of audio clips and of every face in images. Each model loads once, on first use of its modality.
// Safe to call from several threads at once. Device and precision are the Predictor's own (its models
// load there); threads apply to the whole process (LibTorch's setting is global): the last Predictor
// or Evaluator built sets them.
class Predictor {
public:
    // Throws ConfigError for an invalid option (naming the PredictorOptions field).
    explicit Predictor(PredictorOptions options = {});
    Predictor(Predictor&&) noexcept;
    Predictor& operator=(Predictor&&) noexcept;
    ~Predictor();

    // Any format libsndfile reads. Throws InputError for an unreadable file.
    SpeechResult predict_audio(const std::string& path) const;
    // Mono samples in [-1, 1] at `sample_rate` Hz (resampled to the model's rate as files are).
    // Throws ConfigError for a non-positive rate.
    SpeechResult predict_audio(const float* samples, std::size_t count, int sample_rate) const;
    // Any format OpenCV reads. Throws InputError for an unreadable file.
    ImageResult predict_image(const std::string& path) const;
    // Row-major 8-bit pixels, `channels` per pixel: 1 (gray), 3 (RGB) or 4 (RGBA); `stride` bytes per row
    // (0: width * channels). Throws ConfigError for another channel count or a size that does not fit.
    ImageResult predict_image(const std::uint8_t* pixels, int width, int height, int channels,
                              std::size_t stride = 0) const;
    // Many files at once, decoded on `threads` workers and scored in batches (much faster than one call
    // per file). A file that cannot be read gets its `error` set; the others are scored.
    // `speakers` (empty, or one name per path): clips with the same name are one speaker, whose mean a model
    // trained with input.speaker_norm removes (empty: each clip alone). Throws ConfigError for a size mismatch.
    std::vector<SpeechResult> predict_audio_files(const std::vector<std::string>& paths,
                                                  const std::vector<std::string>& speakers = {}) const;
    std::vector<ImageResult> predict_image_files(const std::vector<std::string>& paths) const;
    // A video (any container FFmpeg reads) or a long recording as a timeline, read front to back in constant
    // memory. `on_segment` (may be empty) gets each segment as it is finished, `on_progress` the seconds done
    // and the duration (0 when unknown). Throws InputError for an unreadable file, ConfigError for bad options.
    VideoResult predict_video(const std::string& path, const VideoOptions& options = {},
                              const std::function<void(const VideoSegment&)>& on_segment = {},
                              const std::function<void(double, double)>& on_progress = {}) const;
    // The labels a video's segments are fused onto (loads both models).
    std::vector<std::string> video_labels(const FusionOptions& fusion = {}) const;

    // The labels each model scores (loads the model).
    std::vector<std::string> speech_labels() const;
    std::vector<std::string> face_labels() const;
    // The model files in use (resolved from the options; loads the model).
    std::string speech_model_path() const;
    // The speech model's window in seconds (input.segment_seconds; loads the model).
    double speech_segment_seconds() const;
    std::string face_model_path() const;
    // Whether the speech model was trained with input.speaker_norm, so that the speakers given to
    // predict_audio_files change its results (loads the model).
    bool speech_normalizes_by_speaker() const;
    // What the networks run in: "fp32" or "bf16" (the options' precision, resolved).
    std::string precision() const;

private:
    struct Impl;  // lib/api/predictor_impl.hpp
    std::unique_ptr<Impl> impl_;
};

// emo-predict --json's line for a result: {"file":..,"modality":"speech","label":..,"confidence":..,"scores":{..}},
// {"file":..,"modality":"speech","no_speech":true}, or {"file":..,"modality":"face","found_by":..,"faces":[{"box":
// [x,y,w,h],"landmarks":[[x,y],..],"label":..,"confidence":..,"scores":{..}},..]} (landmarks only when found).
std::string to_json_line(const SpeechResult& result);
std::string to_json_line(const ImageResult& result);

// Emotion over time in audio that has no end (a stream, a microphone): samples are pushed as they arrive and
// each window's result comes back as soon as the window is complete. Windows start every `hop_seconds` of
// stream time and last `window_seconds`; memory holds one window, however long the stream runs.
struct StreamOptions {
    double window_seconds = 0;  // 0: the speech model's own segment (input.segment_seconds)
    double hop_seconds = 1.0;   // > 0, at most window_seconds
};
struct WindowResult {
    double start = 0, end = 0;  // seconds of stream time
    SpeechResult result;        // no_speech for a window without speech
};
class SpeechStream {
public:
    // Interleaved samples at `sample_rate` Hz with `channels` channels (averaged). Throws ConfigError for a rate
    // <= 0, no channels, or windows that do not fit (hop <= 0 or longer than the window).
    SpeechStream(const Predictor& predictor, int sample_rate, int channels = 1, StreamOptions options = {});
    SpeechStream(SpeechStream&&) noexcept;
    ~SpeechStream();
    // Appends `frames` frames; returns the windows they complete, oldest first.
    std::vector<WindowResult> push(const float* samples, std::size_t frames);
    // The end of the stream: the part after the last complete window (or a stream shorter than one window),
    // scored as one shorter window; empty when nothing is left.
    std::vector<WindowResult> finish();
    double window_seconds() const;
    double hop_seconds() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Emotion over time in video frames that have no end (a camera): each frame pushed is searched and scored at
// once; a window's result is the mean, over its frames with a face, of the largest face's scores.
struct FaceWindow {
    double start = 0, end = 0;  // seconds of stream time
    int frames = 0, frames_with_face = 0;
    Scores scores;  // empty when no frame of the window had a face
};
class FaceStream {
public:
    // Windows as SpeechStream's (window_seconds 0: 2.5 s, the shipped speech model's, so both line up). Throws
    // ConfigError for a hop <= 0 or longer than the window.
    explicit FaceStream(const Predictor& predictor, StreamOptions options = {});
    FaceStream(FaceStream&&) noexcept;
    ~FaceStream();
    // A frame (pixels as Predictor::predict_image takes them) at `seconds` of stream time, not earlier than the
    // last. Returns the windows it completes, oldest first.
    std::vector<FaceWindow> push(const std::uint8_t* pixels, int width, int height, int channels, double seconds,
                                 std::size_t stride = 0);
    // The end of the stream: the frames after the last complete window as one shorter window; empty when none.
    std::vector<FaceWindow> finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// A model on a labelled dataset, as emo-eval reports it.
struct ClassFigures {
    std::string label;
    double precision = 0, recall = 0, f1 = 0;  // 0 when undefined (no predictions / no support)
    int support = 0;
};
struct Evaluation {
    std::string model_path, data;     // data: what was read, and how its labels relate to the model's
    std::string precision;            // what the network ran in
    std::vector<std::string> labels;  // the model's
    int n = 0;                        // items scored
    double accuracy = 0, uar = 0, macro_f1 = 0, weighted_f1 = 0;
    std::string most_predicted;  // a collapse onto one label shows here whatever the accuracy
    double most_predicted_share = 0, prediction_entropy_bits = 0;
    double expected_calibration_error = 0;           // |accuracy - confidence| over 15 confidence bins, weighted
    std::vector<ClassFigures> per_class;             // one per label
    std::vector<std::vector<int>> confusion;         // [true][predicted], over labels
    std::vector<std::string> ids, truth, predicted;  // per scored item: file (or CSV row) and labels
    std::vector<std::string> problems;               // inputs that could not be read (left out), "path: why"
    std::string report;                              // emo-eval's text report
};
struct EvaluatorOptions {
    std::string model;               // model file; empty: the shipped model for the data's modality
    int threads = 0;                 // decoding and inference threads; 0: all cores
    std::string device = "cpu";      // cpu, cuda or cuda:N
    std::string precision = "auto";  // auto, fp32 or bf16
    Crop crop = Crop::kAuto;         // face data
    bool closed_set = false;         // predictions chosen among the labels the data has (emo-eval --closed-set)
};
// "This model on this dataset": speech as a RAVDESS-style folder or a manifest CSV (path,label[,speaker]);
// faces as a FER2013 CSV, a class-folder tree or a manifest. Options are checked like Predictor's.
class Evaluator {
public:
    explicit Evaluator(EvaluatorOptions options = {});
    // `split`: face data's split folder or FER2013 Usage value; `speakers`: speech data's speakers to keep.
    // Throws InputError for unreadable data or when nothing could be scored, ConfigError for a face
    // label the model lacks or speakers that match nothing.
    Evaluation evaluate(const std::string& data, const std::string& split = "",
                        const std::vector<std::string>& speakers = {}) const;

private:
    EvaluatorOptions options_;
};

// Mono audio as files decode: samples in [-1, 1] at sample_rate Hz.
struct AudioClip {
    std::vector<float> samples;
    int sample_rate = 0;
};
// Any format libsndfile reads, channels averaged. Throws InputError for an unreadable file.
AudioClip read_audio(const std::string& path);

// Training a model, as emo-train does (configs/ and DESIGN.md describe configs and data layouts).
struct TrainOptions {
    std::string modality;                // speech or face (fine-tuning: empty for the model's own)
    std::string config;                  // YAML config file (fine-tuning: empty for the model's own)
    std::vector<std::string> data;       // datasets; speech may name several corpora
    std::string out_dir;                 // the run directory: model.pt, metrics.csv, checkpoint.pt, ...
    std::string init;                    // a model file to fine-tune instead of starting from random weights
    int epochs = 0;                      // 0: the config's
    int threads = 0;                     // 0: the config's train.threads
    std::string device;                  // empty: the config's
    std::string precision;               // auto, fp32 or bf16; empty: the config's train.precision
    std::vector<std::string> overrides;  // "KEY=VALUE" config settings, e.g. "train.batch_size=32"
    bool resume = false;                 // continue the run in out_dir from its last checkpoint
    // Problems that do not stop the run (images skipped, replay data not found); may be empty.
    std::function<void(const std::string&)> on_warning;
};
struct EpochSummary {
    int epoch = 0;
    double train_loss = 0, train_accuracy = 0, val_loss = 0, val_accuracy = 0, seconds = 0;
};
struct TrainSummary {
    std::string run_dir, model_path;  // model_path: the chosen model, run_dir/model.pt
    std::string chosen;               // which weights it holds, e.g. "best epoch 12"
    std::string precision;            // what the network trained in
    int epochs = 0;
    double val_accuracy = 0, val_macro_f1 = 0;  // of the chosen model on the validation data
};
// Trains and writes the run directory; `on_epoch` (may be empty) is called after every epoch.
// Throws ConfigError for a bad option or config, InputError for unreadable data.
TrainSummary train_model(const TrainOptions& options, const std::function<void(const EpochSummary&)>& on_epoch = {});

// Whether a file is an image (by content, or an image extension) rather than audio or video.
bool is_image_file(const std::string& path);
// Whether a file is a video by its content: a container with a video stream that is not a still image or an
// audio file's cover art. False for anything FFmpeg cannot open.
bool is_video_file(const std::string& path);
// A recording's duration in seconds as its container states it (0 when unknown or unreadable).
double media_seconds(const std::string& path);

// The shipped model for "speech" or "face": $EMO_MODEL_DIR, else share/emo/models under the prefix
// emo is installed in (found from libemo's own location, so a relocated install works), else the source
// tree's models/ (a build tree). Throws ConfigError listing where it looked when none is there.
std::string default_model_path(const std::string& modality);
// The shipped fusion config (configs/fusion.yaml), looked for as the models are (without $EMO_MODEL_DIR); empty
// when there is none (fusion then uses built-in defaults).
std::string default_fusion_config_path();

}  // namespace emo
