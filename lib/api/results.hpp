#pragma once
// The library's internal prediction records as the public result types of emo.hpp.
#include "emo/emo.hpp"
#include "emo/models.hpp"

namespace emo::api {

Box box_of(const vision::FaceBox& box);
SpeechResult speech_result(const models::ClipPrediction& p, const std::vector<std::string>& labels);
ImageResult image_result(const models::ImagePrediction& p, const std::vector<std::string>& labels);

}  // namespace emo::api
