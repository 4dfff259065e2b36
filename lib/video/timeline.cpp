// The video timeline: segments of fixed length, faces from frames sampled in each, speech from the
// audio under it, fused; the video is read once, front to back.
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <thread>

#include "bounded_queue.hpp"
#include "emo/argmax.hpp"
#include "emo/error.hpp"
#include "emo/face_tracker.hpp"
#include "emo/video.hpp"
#include "emo/vision.hpp"

namespace emo::video {
namespace {
using detail::BoundedQueue;

void add_to(std::vector<float>& sum, const std::vector<float>& values) {
    if (sum.empty()) sum.assign(values.size(), 0.0f);
    for (std::size_t i = 0; i < values.size(); ++i) sum[i] += values[i];
}

std::vector<float> mean_of(std::vector<float> sum, int count) {
    for (auto& v : sum) v /= float(count);
    return sum;
}

Segment segment_at(double start, const VideoOptions& options) {
    Segment s;
    s.start = start;
    s.end = start + options.segment_seconds;
    return s;
}

// What the audio under one segment gave.
struct SpeechPart {
    std::size_t samples = 0;  // fewer than a segment's only at the end of the track
    bool silent = false;
    std::optional<fusion::Scores> speech;
};

// Reads the audio track segment by segment and scores each with the speech model.
class SpeechScorer {
public:
    SpeechScorer(const models::SpeechModel& speech, const VideoOptions& options)
        : speech_(speech), options_(options), featurizer_(speech.config().input) {}

    SpeechPart next(AudioTrack& audio, std::size_t samples_per_segment) {
        SpeechPart part;
        std::vector<float> samples;
        part.samples = audio.read(samples_per_segment, samples);
        const auto rate = std::size_t(speech_.config().input.features.sample_rate);
        if (samples.size() < rate / 2) return part;  // under half a second: too little to judge
        audio::VoiceActivityOptions voice_activity = speech_.config().input.voice_activity;
        voice_activity.speech_db = options_.silence_db;
        if (!audio::has_speech(samples, int(rate), voice_activity)) {
            part.silent = true;
            return part;
        }
        auto features = featurizer_.featurize_samples(samples);
        if (features.num_frames == 0) {
            part.silent = true;
            return part;
        }
        part.speech = fusion::Scores{speech_.metadata().labels, speech_.predict({std::move(features)}).at(0)};
        return part;
    }

private:
    const models::SpeechModel& speech_;
    const VideoOptions& options_;
    models::SpeechFeaturizer featurizer_;
};

// A frame sampled for faces, at `t` seconds.
struct SampledFrame {
    double t = 0;
    cv::Mat image;
};

// Decoding, speech and faces overlap: the frames are decoded and sampled on one thread, the audio
// read and scored on another, and the faces searched on the caller's; bounded queues between them
// keep memory flat. The first error of a thread is rethrown on the caller's.
class Pipeline {
public:
    Pipeline(cv::VideoCapture& capture, bool has_video, double fps, AudioTrack& audio, SpeechScorer& speech,
             std::size_t samples_per_segment, float frames_per_second)
        : frames_(4), speech_parts_(16) {
        decoder_ = std::thread([this, video = &capture, has_video, fps, frames_per_second] {
            guarded(frames_, [&] {
                double next_sample = 0.0;
                for (long index = 0; has_video && video->grab(); ++index) {
                    const double t = double(index) / fps;
                    last_frame_ = t;
                    if (t + 1e-9 < next_sample) continue;  // skipped frames are never converted
                    next_sample += 1.0 / frames_per_second;
                    SampledFrame frame{t, {}};
                    if (video->retrieve(frame.image) && !frame.image.empty() && !frames_.push(std::move(frame))) return;
                }
            });
        });
        speech_thread_ = std::thread([this, track = &audio, scorer = &speech, samples_per_segment] {
            guarded(speech_parts_, [&] {
                for (;;) {
                    SpeechPart part = scorer->next(*track, samples_per_segment);
                    if (part.samples == 0 || !speech_parts_.push(std::move(part))) return;
                }
            });
        });
    }
    ~Pipeline() {
        frames_.close();
        speech_parts_.close();
        decoder_.join();
        speech_thread_.join();
    }

    // The next sampled frame; nothing after the last.
    std::optional<SampledFrame> next_frame() { return checked(frames_.pop()); }
    // The next segment's audio; empty (no samples) after the end of the track.
    SpeechPart next_speech() { return checked(speech_parts_.pop()).value_or(SpeechPart{}); }
    // The time of the last decoded frame (-1: none); valid once next_frame() has returned nothing.
    double last_frame() const { return last_frame_; }

private:
    template <typename Queue, typename Work>
    void guarded(Queue& queue, Work work) {
        try {
            work();
        } catch (...) {
            std::lock_guard lock(error_mutex_);
            if (!error_) error_ = std::current_exception();
        }
        queue.close();
    }
    template <typename T>
    T checked(T item) {
        if (!item) {
            std::lock_guard lock(error_mutex_);
            if (error_) std::rethrow_exception(error_);
        }
        return item;
    }

    BoundedQueue<SampledFrame> frames_;
    BoundedQueue<SpeechPart> speech_parts_;
    double last_frame_ = -1.0;  // written by the decoder before it closes frames_
    std::mutex error_mutex_;
    std::exception_ptr error_;
    std::thread decoder_, speech_thread_;
};

// The model's face options with frames searched at most `detect_side` large: speed matters more in
// a video, where faces are seen in many frames, than in a single photo.
vision::FaceInputOptions frame_search(vision::FaceInputOptions options, int detect_side) {
    options.detector.max_side = std::min(options.detector.max_side, detect_side);
    return options;
}

// Scores a segment's sampled frames with the face model.
class SegmentScorer {
public:
    SegmentScorer(const models::FaceModel& face, int detect_side)
        : face_(face), detector_(frame_search(face.config().input, detect_side)) {}

    const std::string& detector_name() const { return detector_.name(); }
    int tracks_seen() const { return tracker_.tracks_started(); }

    // Searches a sampled frame at time `t`; its faces are scored with the segment's others in score_faces.
    void add_frame(const cv::Mat& frame, double t, Segment& seg) {
        cv::Mat gray;
        if (frame.channels() == 1) gray = frame;
        else cv::cvtColor(frame, gray, frame.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
        ++seg.frames;
        const auto faces = vision::find_faces(gray, detector_, vision::CropMode::kDetect);  // largest first
        if (faces.empty()) return;
        ++seg.frames_with_face;
        std::vector<vision::FaceBox> boxes;
        for (const auto& f : faces) boxes.push_back(f.box);
        const auto tracks = tracker_.assign(boxes, t);
        for (std::size_t i = 0; i < faces.size(); ++i) {
            pending_.push_back({tracks[i], i == 0, faces[i].box});
            pixels_.insert(pixels_.end(), faces[i].pixels.datastart, faces[i].pixels.dataend);
        }
    }

    // Scores the segment's faces in one batch: per track, and each frame's largest for fusion.
    void score_faces(Segment& seg) {
        if (pending_.empty()) return;
        const auto scores = face_.predict(pixels_.data(), pending_.size());
        const auto& labels = face_.metadata().labels;
        std::vector<float> largest_sum;
        std::map<int, std::pair<std::vector<float>, TrackedFace>> tracks;
        for (std::size_t i = 0; i < pending_.size(); ++i) {
            if (pending_[i].largest) add_to(largest_sum, scores[i]);
            auto& [sum, face] = tracks[pending_[i].track];
            add_to(sum, scores[i]);
            face.track = pending_[i].track;
            face.box = pending_[i].box;
            ++face.frames;
        }
        seg.face = fusion::Scores{labels, mean_of(largest_sum, seg.frames_with_face)};
        for (auto& [id, entry] : tracks) {
            entry.second.scores = fusion::Scores{labels, mean_of(entry.first, entry.second.frames)};
            seg.faces.push_back(std::move(entry.second));
        }
        pending_.clear();
        pixels_.clear();
    }

private:
    const models::FaceModel& face_;
    vision::FaceDetector detector_;
    FaceTracker tracker_;
    struct PendingFace {
        int track = 0;
        bool largest = false;  // the largest face of its frame
        vision::FaceBox box;
    };
    std::vector<PendingFace> pending_;
    std::vector<std::uint8_t> pixels_;  // their crops, one after another
};
}  // namespace

void VideoOptions::validate() const {
    if (!(segment_seconds >= 0.5f && segment_seconds <= 60.0f))
        throw ConfigError("segment_seconds: expected 0.5..60 seconds");
    if (!(frames_per_second > 0.0f && frames_per_second <= 60.0f))
        throw ConfigError("frames_per_second: expected 0 < fps <= 60");
    if (!(silence_db < 0.0f)) throw ConfigError("silence_db: expected a negative dBFS level");
    if (!(detect_side >= 64 && detect_side <= 8192)) throw ConfigError("detect_side: expected 64..8192 pixels");
}

Summary analyse(const std::string& path, const models::FaceModel& face, const models::SpeechModel& speech,
                const config::FusionConfig& fusion_config, const VideoOptions& options,
                const std::function<void(const Segment&)>& on_segment,
                const std::function<void(double, double)>& progress) {
    options.validate();
    cv::VideoCapture capture(path, cv::CAP_FFMPEG);
    AudioTrack audio(path, speech.config().input.features.sample_rate);
    Summary summary;
    summary.has_video = capture.isOpened() && is_video_file(path);
    summary.has_audio = audio.present();
    if (!summary.has_video && !summary.has_audio)
        throw InputError(path, "neither a video nor an audio stream FFmpeg can decode");
    double fps = summary.has_video ? capture.get(cv::CAP_PROP_FPS) : 0.0;
    if (!(fps > 0.0 && fps < 1000.0)) fps = 25.0;
    const double expected_duration = media_seconds(path);

    const auto labels = fusion::fused_labels(fusion_config, {face.metadata().labels, speech.metadata().labels});
    const double rate = speech.config().input.features.sample_rate;
    const auto samples_per_segment = std::size_t(std::lround(options.segment_seconds * rate));
    SegmentScorer scorer(face, options.detect_side);
    SpeechScorer speech_scorer(speech, options);
    summary.found_by = scorer.detector_name();
    std::vector<float> fused_sum;
    Segment seg = segment_at(0.0, options);
    Pipeline pipeline(capture, summary.has_video, fps, audio, speech_scorer, samples_per_segment,
                      options.frames_per_second);
    for (;;) {
        auto frame = pipeline.next_frame();
        const double t = frame ? frame->t : std::numeric_limits<double>::infinity();
        while (t >= seg.end) {  // finish the segment
            SpeechPart part = pipeline.next_speech();
            const double heard = double(part.samples) / rate;
            if (!frame && part.samples == 0 && seg.frames == 0) {
                summary.duration = seg.start;
                break;
            }
            if (!frame)
                seg.end = std::min(seg.end, seg.start + std::max(heard, pipeline.last_frame() + 1.0 / fps - seg.start));
            scorer.score_faces(seg);
            seg.silent = part.silent;
            seg.speech = std::move(part.speech);
            if (seg.face || seg.speech) {
                seg.fused = fusion::fuse(seg.face, seg.speech, fusion_config, labels);
                add_to(fused_sum, seg.fused->values);
            }
            summary.segments += 1;
            summary.segments_with_face += seg.face ? 1 : 0;
            summary.segments_with_speech += seg.speech ? 1 : 0;
            summary.duration = seg.end;
            on_segment(seg);
            if (progress) progress(seg.end, expected_duration);
            const double next_start = seg.end;
            seg = segment_at(next_start, options);
        }
        if (!frame) break;
        scorer.add_frame(frame->image, t, seg);
    }
    summary.tracks = scorer.tracks_seen();
    if (!fused_sum.empty()) {
        fusion::Fused mean;
        mean.labels = labels;
        mean.values = fused_sum;  // normalised below: the mean over segments
        float total = 0.0f;
        for (float v : mean.values) total += v;
        for (auto& v : mean.values) v /= total;
        mean.best = int(core::argmax(mean.values));
        mean.face_weight = fusion_config.face_weight;
        mean.speech_weight = fusion_config.speech_weight;
        summary.fused = mean;
    }
    if (!summary.has_audio) summary.notes.push_back("no audio track: faces only");
    else if (summary.segments_with_speech == 0) summary.notes.push_back("no speech above the silence threshold");
    if (!summary.has_video) summary.notes.push_back("no video stream: speech only");
    else if (summary.segments_with_face == 0) summary.notes.push_back("no face visible in any sampled frame");
    return summary;
}

}  // namespace emo::video
