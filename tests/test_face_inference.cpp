// Inference settings of a loaded face model: flip and shift averaging, and the size photos are searched at.
#include <opencv2/core.hpp>

#include "emo/error.hpp"
#include "emo/face_cnn.hpp"
#include "emo/models.hpp"
#include "helpers.hpp"

namespace {
const std::string kFaceModel = std::string(EMO_SOURCE_DIR) + "/models/face.pt";

std::vector<float> scores(const emo::models::FaceModel& model, const cv::Mat& face) {
    return model.predict(face.data, 1).at(0);
}
}  // namespace

TEST_CASE("without flip averaging a face takes one pass, with it the mean of its and its mirror's", "[face]") {
    const auto averaged = emo::models::FaceModel::load(kFaceModel);
    auto single = emo::models::FaceModel::load(kFaceModel);
    REQUIRE(averaged.config().flip_average);
    single.set_flip_average(false);
    CHECK_FALSE(single.config().flip_average);

    cv::Mat face(48, 48, CV_8UC1), mirror;
    cv::RNG rng(3);
    rng.fill(face, cv::RNG::UNIFORM, 0, 256);
    face.colRange(0, 16) /= 3;  // a darker left side: the mirror image is another input
    cv::flip(face, mirror, 1);
    const auto one = scores(single, face), other = scores(single, mirror), both = scores(averaged, face);
    REQUIRE(one.size() == both.size());
    double largest_change = 0.0;
    for (std::size_t k = 0; k < one.size(); ++k) {
        CHECK(both[k] == Approx(0.5f * (one[k] + other[k])).margin(1e-5));
        largest_change = std::max(largest_change, double(std::abs(one[k] - both[k])));
    }
    CHECK(largest_change > 1e-3);
}

TEST_CASE("the size photos are searched at can be changed within 64..8192 pixels", "[face]") {
    auto model = emo::models::FaceModel::load(kFaceModel);
    const int shipped = model.config().input.detector.max_side;
    CHECK_THROWS_WITH(model.set_detector_max_side(10),
                      Catch::Contains("detector.max_side") && Catch::Contains("64..8192") && Catch::Contains("10"));
    CHECK(model.config().input.detector.max_side == shipped);
    model.set_detector_max_side(320);
    CHECK(model.config().input.detector.max_side == 320);
}

TEST_CASE("shift averaging is the mean over the face moved each way, edges repeated", "[face]") {
    emo::models::ModelMetadata meta;
    emo::config::FaceConfig config;
    auto net = emo::models::load_face_network(kFaceModel, meta, config);
    cv::Mat face(48, 48, CV_8UC1);
    cv::RNG rng(5);
    rng.fill(face, cv::RNG::UNIFORM, 0, 256);
    const auto tensor_of = [&](const cv::Mat& m) {
        const cv::Mat copy = m.clone();
        return emo::models::face_tensor(copy.data, 1, 48, meta.feature_mean[0], meta.feature_std[0]).clone();
    };
    const int s = 2;
    cv::Mat padded;
    cv::copyMakeBorder(face, padded, s, s, s, s, cv::BORDER_REPLICATE);
    std::vector<float> mean;
    for (const auto& [dy, dx] : {std::pair{0, 0}, {0, -s}, {0, s}, {-s, 0}, {s, 0}}) {
        const auto view =
            emo::models::predict_face_tensor(net, tensor_of(padded(cv::Rect(s + dx, s + dy, 48, 48))), false, 8).at(0);
        if (mean.empty()) mean.assign(view.size(), 0.0f);
        for (std::size_t k = 0; k < view.size(); ++k) mean[k] += view[k] / 5.0f;
    }
    const auto shifted = emo::models::predict_face_tensor(net, tensor_of(face), false, 8, s).at(0);
    const auto plain = emo::models::predict_face_tensor(net, tensor_of(face), false, 8).at(0);
    REQUIRE(shifted.size() == mean.size());
    double largest_change = 0.0;
    for (std::size_t k = 0; k < mean.size(); ++k) {
        CHECK(shifted[k] == Approx(mean[k]).margin(1e-5));
        largest_change = std::max(largest_change, double(std::abs(shifted[k] - plain[k])));
    }
    CHECK(largest_change > 1e-4);  // the views are other inputs
}
