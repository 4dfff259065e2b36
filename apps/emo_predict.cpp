// emo-predict: emotion of audio clips and of every face in images; the input's modality is found
// from its content.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>
#include <optional>

#include "app.hpp"
#include "output.hpp"
#include "emo/camera.hpp"
#include "emo/microphone.hpp"
#include "live_fusion.hpp"
#include "stream.hpp"
#include "video_output.hpp"

namespace {
constexpr double kLongRecordingSeconds = 300.0;
// Images and clips are decoded, scored and printed this many at a time, so memory stays flat
// however many files a batch names.
constexpr std::size_t kChunk = 256;

struct Inputs {
    std::vector<std::string> images, clips, videos;
    std::vector<bool> is_image;  // per image or clip, in order
};

Inputs sort_by_modality(const std::vector<std::string>& files) {
    Inputs in;
    for (const auto& f : files) {
        const bool image = emo::is_image_file(f);
        if (!image && emo::is_video_file(f)) {
            in.videos.push_back(f);
            continue;
        }
        // A long recording is streamed as a timeline, not decoded whole into memory.
        if (!image && emo::media_seconds(f) > kLongRecordingSeconds) {
            spdlog::info("{}: longer than {} s: scored as a timeline of segments", f, kLongRecordingSeconds);
            in.videos.push_back(f);
            continue;
        }
        in.is_image.push_back(image);
        (image ? in.images : in.clips).push_back(f);
    }
    return in;
}

// --model names one model; its modality comes from its metadata. The other modality uses the shipped one.
std::string model_for(const std::string& modality, const std::string& model_path) {
    if (!model_path.empty() && emo::models::read_metadata(model_path).modality == modality) return model_path;
    return emo::app::default_model(modality);
}

// The speaker of each clip for --normalize: none (each clip alone), batch (all one) or speaker (from --speakers).
std::vector<std::string> speakers_of(const std::vector<std::string>& clips, const std::string& normalize,
                                     const emo::data::SpeakerMap& speaker_map) {
    std::vector<std::string> out;
    if (normalize == "none") return out;
    for (const auto& c : clips) out.push_back(normalize == "batch" ? "batch" : speaker_map.speaker(c));
    return out;
}
}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"emo-predict: emotion of audio clips, of every face in images, and over time in videos"};
    app.name("emo-predict");
    std::string model_path, crop = "auto";
    std::vector<std::string> files;
    bool json = false, csv = false;
    int threads = 0;
    emo::VideoOptions video_options;
    emo::PredictorOptions options;  // models and where they run are filled in from the flags below
    std::string fusion_path;
    app.add_option("--model", model_path, "model file (default: the shipped model for each input's modality)");
    auto* json_flag = app.add_flag("--json", json, "one JSON object per input line, with every class score");
    app.add_flag("--csv", csv, "CSV with a header and every class score")->excludes(json_flag);
    app.add_option("--crop", crop,
                   "images: auto (small square images are face crops, others are searched), whole (the image is "
                   "one face), detect (always search)")
        ->check(CLI::IsMember({"auto", "whole", "detect"}));
    app.add_option("--threads", threads, "decoding and inference threads (0: all cores)")
        ->check(CLI::NonNegativeNumber);
    std::string device = "cpu";
    app.add_option("--device", device, "where the models run: cpu, cuda or cuda:N (default: cpu)")
        ->check(emo::app::kDeviceName);
    std::string precision;
    emo::app::add_precision_option(app, precision);
    emo::app::add_video_options(app, video_options, options);
    bool no_flip = false;
    app.add_flag("--no-flip", no_flip,
                 "faces: score each face once instead of averaging it with its mirror image (half the network's work; "
                 "docs/faces.md gives the accuracy it costs)");
    std::string normalize = "none", speakers_csv;
    app.add_option("--normalize", normalize,
                   "speech models trained with input.speaker_norm: none (each clip alone: its own mean stands in for "
                   "its speaker's), batch (every clip given is one speaker), speaker (clips grouped by --speakers)")
        ->check(CLI::IsMember({"none", "batch", "speaker"}));
    app.add_option("--speakers", speakers_csv,
                   "--normalize speaker: CSV with path and speaker columns (a manifest path,label,speaker works)");
    emo::app::StdinAudio stdin_audio;
    emo::StreamOptions stream_windows;
    app.add_option("--raw-format", stdin_audio.raw_format,
                   "- (standard input): raw samples instead of a WAV stream: u8, s16le, s24le, s32le or f32le")
        ->check(CLI::IsMember({"u8", "s16le", "s24le", "s32le", "f32le"}));
    app.add_option("--rate", stdin_audio.rate, "--raw-format: sample rate in Hz");
    app.add_option("--channels", stdin_audio.channels, "--raw-format: interleaved channels (averaged)");
    app.add_option("--window", stream_windows.window_seconds,
                   "- (standard input): window length in seconds (default: the speech model's segment)");
    app.add_option("--hop", stream_windows.hop_seconds, "- (standard input): seconds between window starts (1)");
    std::string mic;
    emo::app::StreamLimits limits;
    bool list_devices = false;
    app.add_option("--mic", mic, "score a microphone live (ALSA device; without a name: default), a line per window")
        ->expected(0, 1)
        ->default_str("default");
    app.add_option("--duration", limits.seconds,
                   "- or --mic: stop after this many seconds (default: the end, or Ctrl-C)")
        ->check(CLI::PositiveNumber);
    std::string camera;
    app.add_option("--camera", camera,
                   "score a camera live: a device number (0: /dev/video0, the default) or any path or URL FFmpeg "
                   "opens (rtsp://...); frames at --fps, a line per window")
        ->expected(0, 1)
        ->default_str("0");
    app.add_flag("--list-devices", list_devices, "list the capture devices --mic and --camera can name, and exit");
    app.add_option("--fusion-config", fusion_path, "videos: fusion config (default: the shipped configs/fusion.yaml)");
    app.add_option("files", files,
                   "audio files (any format libsndfile reads), images (any format OpenCV reads) and videos (any "
                   "container FFmpeg reads: mp4, mkv, avi, webm, ...); - reads audio from standard input as it "
                   "arrives (a WAV stream, e.g. ffmpeg ... -f wav -, or --raw-format) and prints a result per window");
    return emo::app::run(app, argc, argv, [&] {
        if (list_devices) {
            for (const auto& d : emo::audio::Microphone::capture_devices()) std::cout << "mic\t" << d << '\n';
            for (const auto& d : emo::vision::Camera::devices()) std::cout << "camera\t" << d << '\n';
            return 0;
        }
        const bool use_mic = app.get_option("--mic")->count() > 0;
        const bool use_camera = app.get_option("--camera")->count() > 0;
        if (use_camera && camera.empty()) camera = "0";
        if (use_camera && !files.empty()) throw emo::ConfigError("--camera: scores the camera live, without files");
        if (use_mic && mic.empty()) mic = "default";
        if (files.empty() && !use_mic && !use_camera)
            throw emo::ConfigError("files: give at least one input (or - or --mic)");
        if (use_mic && !files.empty()) throw emo::ConfigError("--mic: scores the microphone alone, without files");
        const auto format = json ? emo::app::Format::kJson : csv ? emo::app::Format::kCsv : emo::app::Format::kText;
        options.threads = threads;
        options.device = device;
        options.precision = precision.empty() ? "auto" : precision;
        options.crop = emo::app::crop_named(crop);
        options.flip_average = !no_flip;
        if (app.get_option("--detect-side")->count() > 0) options.detect_side = video_options.detect_side;
        // Live inputs run through the library's streams.
        const auto live_predictor = [&] {
            options.speech_model = model_for("speech", model_path);
            options.face_model = model_for("face", model_path);
            return emo::Predictor(options);
        };
        if (use_camera && use_mic) {
            const auto predictor = live_predictor();
            emo::app::stop_streams_on_interrupt();
            return emo::app::predict_live(mic, camera, predictor, stream_windows, limits,
                                          video_options.frames_per_second, emo::app::load_fusion(fusion_path), format,
                                          std::cout);
        }
        if (use_camera) {
            const auto predictor = live_predictor();
            return emo::app::predict_camera(camera, predictor, stream_windows, limits, video_options.frames_per_second,
                                            format, std::cout);
        }
        if (use_mic || std::find(files.begin(), files.end(), "-") != files.end()) {
            if (files.size() > 1) throw emo::ConfigError("-: standard input is read alone, without other files");
            if (!model_path.empty() && emo::models::read_metadata(model_path).modality != "speech")
                throw emo::ConfigError("--model: - (standard input) is audio or video; " + model_path +
                                       " is not a speech model");
            const auto predictor = live_predictor();
            if (use_mic) return emo::app::predict_microphone(mic, predictor, stream_windows, limits, format, std::cout);
            const emo::app::StdinVideo stdin_video{video_options.frames_per_second, emo::app::load_fusion(fusion_path)};
            return emo::app::predict_stream(0, stdin_audio, stdin_video, predictor, stream_windows, limits, format,
                                            std::cout);
        }
        if (!stdin_audio.raw_format.empty() || stdin_audio.rate > 0)
            throw emo::ConfigError("--raw-format/--rate: only for - (standard input)");
        if (limits.seconds > 0) throw emo::ConfigError("--duration: only for -, --mic or --camera");
        const Inputs in = sort_by_modality(files);
        if (format == emo::app::Format::kCsv && !in.videos.empty() && in.videos.size() != files.size()) {
            throw emo::ConfigError("--csv: videos have their own columns; give videos and other files separately");
        }
        video_options.validate();
        video_options.fusion.config = fusion_path;
        const bool faces = !in.images.empty() || !in.videos.empty();
        const bool speech = !in.clips.empty() || !in.videos.empty();
        if (faces) options.face_model = model_for("face", model_path);
        if (speech) options.speech_model = model_for("speech", model_path);
        const emo::Predictor predictor(options);
        std::vector<std::vector<std::string>> label_lists;
        if (faces) label_lists.push_back(predictor.face_labels());
        if (speech) label_lists.push_back(predictor.speech_labels());
        const auto columns = emo::app::label_union(label_lists);

        if (normalize == "speaker" && speakers_csv.empty())
            throw emo::ConfigError("--normalize speaker: needs --speakers CSV (path and speaker columns)");
        if (!speakers_csv.empty() && normalize != "speaker")
            throw emo::ConfigError("--speakers: only with --normalize speaker");
        if (speech && normalize != "none" && !predictor.speech_normalizes_by_speaker()) {
            spdlog::warn(
                "--normalize {}: {} normalises each clip by itself (not trained with input.speaker_norm); "
                "no effect",
                normalize, predictor.speech_model_path());
        }
        const auto speaker_map =
            speakers_csv.empty() ? emo::data::SpeakerMap{} : emo::data::read_speaker_map(speakers_csv);
        // Grouped clips are scored in one pass: a speaker's mean is over all of its clips.
        const std::size_t chunk = normalize == "none" ? kChunk : in.is_image.size() + 1;

        emo::app::Batch batch;
        if (!in.is_image.empty()) emo::app::print_header(columns, format, std::cout);
        std::size_t next_image = 0, next_clip = 0;
        for (std::size_t start = 0; start < in.is_image.size(); start += chunk) {
            const auto first = in.is_image.begin() + long(start);
            const auto last = in.is_image.begin() + long(std::min(in.is_image.size(), start + chunk));
            const auto n_images = std::size_t(std::count(first, last, true));
            const auto n_clips = std::size_t(last - first) - n_images;
            const std::vector<std::string> image_files(in.images.begin() + long(next_image),
                                                       in.images.begin() + long(next_image + n_images));
            const std::vector<std::string> clip_files(in.clips.begin() + long(next_clip),
                                                      in.clips.begin() + long(next_clip + n_clips));
            next_image += n_images, next_clip += n_clips;
            const auto images = n_images ? predictor.predict_image_files(image_files) : std::vector<emo::ImageResult>{};
            const auto clips =
                n_clips ? predictor.predict_audio_files(clip_files, speakers_of(clip_files, normalize, speaker_map))
                        : std::vector<emo::SpeechResult>{};
            std::size_t i = 0, c = 0;
            for (auto it = first; it != last; ++it) {
                if (*it) {
                    const auto& r = images[i++];
                    if (!r.error.empty()) batch.fail(r.error, emo::ExitCode::kBadInput);
                    else emo::app::print_image(r, columns, format, std::cout);
                } else {
                    const auto& r = clips[c++];
                    if (!r.error.empty()) batch.fail(r.error, emo::ExitCode::kBadInput);
                    else emo::app::print_speech(r, columns, format, std::cout);
                }
            }
            std::cout.flush();
        }
        if (!in.videos.empty()) {
            if (format == emo::app::Format::kCsv)
                emo::app::print_video_csv_header(predictor.video_labels(video_options.fusion), std::cout);
            for (const auto& v : in.videos) {
                batch.guard(v, [&] { emo::app::print_video(v, predictor, video_options, format, std::cout); });
            }
        }
        return batch.exit_code();
    });
}
