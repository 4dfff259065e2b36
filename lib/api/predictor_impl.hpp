#pragma once
// Predictor's state: the options, and each model loaded once, on first use, with the options' inference
// settings applied. Shared by predictor.cpp (files, buffers, pixels) and predictor_video.cpp (timelines).
#include <memory>
#include <mutex>
#include <string>

#include "emo/emo.hpp"
#include "emo/models.hpp"
#include "emo/vision.hpp"
#include "object_pool.hpp"

namespace emo {

struct Predictor::Impl {
    PredictorOptions options;
    models::Placement placement;
    std::string speech_path, face_path;
    std::once_flag speech_once, face_once;
    std::unique_ptr<models::SpeechModel> speech;
    std::unique_ptr<models::FaceModel> face;
    audio::VoiceActivityOptions speech_activity;  // the speech model's, with options.silence_db applied
    std::unique_ptr<api::ObjectPool<models::SpeechFeaturizer>> featurizers;
    std::unique_ptr<api::ObjectPool<vision::FaceDetector>> detectors;

    const models::SpeechModel& speech_model();
    const models::FaceModel& face_model();
    // What tells a clip with speech from one without; nullptr when options.detect_speech is off.
    const audio::VoiceActivityOptions* voice_activity();
    ImageResult predict_gray(const cv::Mat& gray, std::string source);
};

}  // namespace emo
