#pragma once
// Video with sound: faces from sampled frames (OpenCV over FFmpeg), speech from the audio track
// (FFmpeg's libraries), both scored per segment, fused, and summarised. Streamed: memory does not
// grow with the video's length.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emo/fusion.hpp"
#include "emo/models.hpp"

namespace emo::video {

struct VideoOptions {
    float segment_seconds = 2.5f;    // timeline step; also the speech window (the model's segment)
    float frames_per_second = 2.0f;  // frames sampled for faces
    int detect_side = 480;           // frames are searched at most this large (and no larger than detector.max_side)
    float silence_db = -60.0f;       // a segment without 20 ms frames this loud (dBFS, audio::has_speech) has no speech
    void validate() const;           // throws ConfigError naming the flag
};

// Whether the file is a video by its content: a container with a video stream that is not a still
// image or an audio file's cover art. False for anything FFmpeg cannot open.
bool is_video_file(const std::string& path);

// The duration in seconds FFmpeg reads from the container (0 when unknown or unreadable).
double media_seconds(const std::string& path);

// The audio track decoded to mono float at `sample_rate`, read in pieces.
class AudioTrack {
public:
    // Throws InputError naming the file when it cannot be opened; a file without an audio stream
    // gives present() == false.
    AudioTrack(const std::string& path, int sample_rate);
    AudioTrack(AudioTrack&&) noexcept;
    AudioTrack& operator=(AudioTrack&&) noexcept;
    ~AudioTrack();
    bool present() const;
    // Appends up to n samples to `out`; returns how many (fewer only at the end of the track).
    std::size_t read(std::size_t n, std::vector<float>& out);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// One face through a segment's sampled frames.
struct TrackedFace {
    int track = 0;          // FaceTracker id: a face keeps its number from segment to segment
    int frames = 0;         // sampled frames of the segment it is in
    vision::FaceBox box;    // where it is in the last of them
    fusion::Scores scores;  // mean over those frames
};

struct Segment {
    double start = 0, end = 0;                   // seconds
    int frames = 0, frames_with_face = 0;        // sampled frames in the segment
    bool silent = false;                         // audio present but below silence_db
    std::vector<TrackedFace> faces;              // every face seen, by track id
    std::optional<fusion::Scores> face, speech;  // face: mean over frames with a face (each frame's largest)
    std::optional<fusion::Fused> fused;          // absent when neither modality is there
};

struct Summary {
    double duration = 0;
    int segments = 0, segments_with_face = 0, segments_with_speech = 0;
    bool has_video = false, has_audio = false;
    std::string found_by;                // the face detector that ran ("yunet", "haar", "dnn")
    int tracks = 0;                      // faces told apart over the whole video
    std::optional<fusion::Fused> fused;  // mean of the segments' fused scores
    std::vector<std::string> notes;      // "no audio track", "no face visible", ...
};

// Runs the timeline. `on_segment` gets each segment as it is finished; `progress` (optional) the
// seconds done and the duration (0 when unknown). Throws InputError naming the file.
Summary analyse(const std::string& path, const models::FaceModel& face, const models::SpeechModel& speech,
                const config::FusionConfig& fusion, const VideoOptions& options,
                const std::function<void(const Segment&)>& on_segment,
                const std::function<void(double, double)>& progress = {});

}  // namespace emo::video
