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
        const bool image = emo::vision::is_image_file(f);
        if (!image && emo::video::is_video_file(f)) {
            in.videos.push_back(f);
            continue;
        }
        // A long recording is streamed as a timeline, not decoded whole into memory.
        if (!image && emo::video::media_seconds(f) > kLongRecordingSeconds) {
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
}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"emo-predict: emotion of audio clips, of every face in images, and over time in videos"};
    app.name("emo-predict");
    std::string model_path, crop = "auto";
    std::vector<std::string> files;
    bool json = false, csv = false;
    int threads = 0;
    emo::video::VideoOptions video_options;
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
    emo::app::add_video_options(app, video_options);
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
        const auto mode = emo::app::crop_mode(crop);
        emo::models::set_threads(threads);
        const auto where = emo::app::placement(device, precision);
        // Live inputs run through the library's streams.
        const auto live_predictor = [&] {
            emo::PredictorOptions options;
            options.speech_model = model_for("speech", model_path);
            options.face_model = model_for("face", model_path);
            options.threads = threads;
            options.device = device;
            options.precision = precision.empty() ? "auto" : precision;
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
        std::optional<emo::models::FaceModel> face;
        std::optional<emo::models::SpeechModel> speech;
        if (!in.videos.empty()) {
            face = emo::models::FaceModel::load(model_for("face", model_path), where);
            speech = emo::models::SpeechModel::load(model_for("speech", model_path), where);
        }
        if (!in.images.empty() && !face) face = emo::models::FaceModel::load(model_for("face", model_path), where);
        if (!in.clips.empty() && !speech)
            speech = emo::models::SpeechModel::load(model_for("speech", model_path), where);
        if (face && app.get_option("--detect-side")->count() > 0)
            face->set_detector_max_side(video_options.detect_side);
        if (face && no_flip) face->set_flip_average(false);
        std::vector<std::vector<std::string>> label_lists;
        if (face) label_lists.push_back(face->metadata().labels);
        if (speech) label_lists.push_back(speech->metadata().labels);
        const auto columns = emo::app::label_union(label_lists);

        auto voice_activity = speech ? speech->config().input.voice_activity : emo::audio::VoiceActivityOptions{};
        if (app.get_option("--silence-db")->count() > 0) voice_activity.speech_db = video_options.silence_db;
        else video_options.silence_db = voice_activity.speech_db;

        const auto grouping = emo::models::parse_speaker_grouping(normalize, "--normalize");
        if (grouping == emo::models::SpeakerGrouping::kSpeaker && speakers_csv.empty())
            throw emo::ConfigError("--normalize speaker: needs --speakers CSV (path and speaker columns)");
        if (!speakers_csv.empty() && grouping != emo::models::SpeakerGrouping::kSpeaker)
            throw emo::ConfigError("--speakers: only with --normalize speaker");
        if (speech && grouping != emo::models::SpeakerGrouping::kNone && !speech->config().input.speaker_norm) {
            spdlog::warn(
                "--normalize {}: {} normalises each clip by itself (not trained with input.speaker_norm); "
                "no effect",
                normalize, speech->path());
        }
        const auto speaker_map =
            speakers_csv.empty() ? emo::data::SpeakerMap{} : emo::data::read_speaker_map(speakers_csv);
        const auto groups_of = [&](const std::vector<std::string>& clip_files) {
            if (grouping == emo::models::SpeakerGrouping::kNone) return std::vector<int>{};
            std::vector<std::string> names;
            for (const auto& f : clip_files)
                names.push_back(grouping == emo::models::SpeakerGrouping::kSpeaker ? speaker_map.speaker(f) : "");
            return emo::models::speaker_groups(names, grouping);
        };
        // Grouped clips are scored in one pass: a speaker's mean is over all of its clips.
        const std::size_t chunk = grouping == emo::models::SpeakerGrouping::kNone ? kChunk : in.is_image.size() + 1;

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
            const auto images = n_images ? emo::models::predict_image_files(*face, image_files, mode, threads)
                                         : std::vector<emo::models::ImagePrediction>{};
            const auto clips = n_clips ? emo::models::predict_speech_files(*speech, clip_files, threads,
                                                                           &voice_activity, groups_of(clip_files))
                                       : std::vector<emo::models::ClipPrediction>{};
            std::size_t i = 0, c = 0;
            for (auto it = first; it != last; ++it) {
                if (*it) {
                    const auto& p = images[i++];
                    if (!p.error.empty()) batch.fail(p.error, emo::ExitCode::kBadInput);
                    else emo::app::print_image(p, face->metadata().labels, columns, format, std::cout);
                } else {
                    const auto& p = clips[c++];
                    if (!p.error.empty()) batch.fail(p.error, emo::ExitCode::kBadInput);
                    else emo::app::print_speech(p, speech->metadata().labels, columns, format, std::cout);
                }
            }
            std::cout.flush();
        }
        if (!in.videos.empty()) {
            const auto fusion = emo::app::load_fusion(fusion_path);
            if (format == emo::app::Format::kCsv) {
                emo::app::print_video_csv_header(emo::app::video_labels(*face, *speech, fusion), std::cout);
            }
            for (const auto& v : in.videos) {
                batch.guard(
                    v, [&] { emo::app::print_video(v, *face, *speech, fusion, video_options, format, std::cout); });
            }
        }
        return batch.exit_code();
    });
}
