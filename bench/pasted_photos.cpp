#include "pasted_photos.hpp"

#include "emo/face_tracker.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>
#include <random>

namespace bench {
namespace {
cv::Mat textured_background(std::mt19937& rng) {
    cv::Mat noise(480, 640, CV_8UC3);
    cv::randu(noise, cv::Scalar::all(40), cv::Scalar::all(220));
    cv::GaussianBlur(noise, noise, cv::Size(0, 0), std::uniform_real_distribution<double>(3, 12)(rng));
    return noise;
}

}  // namespace

cv::Matx23d then(const cv::Matx23d& first, const cv::Matx23d& second) {
    const auto homogeneous = [](const cv::Matx23d& m) {
        return cv::Matx33d(m(0, 0), m(0, 1), m(0, 2), m(1, 0), m(1, 1), m(1, 2), 0, 0, 1);
    };
    const cv::Matx33d both = homogeneous(second) * homogeneous(first);
    return {both(0, 0), both(0, 1), both(0, 2), both(1, 0), both(1, 1), both(1, 2)};
}

cv::Matx23d PlacedFace::crop_to_photo(int crop_side) const {
    // cv::resize maps pixel centres: x_box = (x_crop + 0.5) k - 0.5.
    const double k = double(box.width) / crop_side;
    const cv::Matx23d resize(k, 0, 0.5 * k - 0.5, 0, k, 0.5 * k - 0.5);
    const cv::Point2f centre(float(box.width) / 2.0f, float(box.height) / 2.0f);
    const cv::Matx23d turn = cv::getRotationMatrix2D(centre, degrees, 1.0);
    const cv::Matx23d place(1, 0, box.x, 0, 1, box.y);
    return then(then(resize, turn), place);
}

std::vector<Photo> make_photos(const emo::data::Dataset& faces, const std::vector<std::string>& labels, int count,
                               const std::string& dir, Paste paste, double sharpen) {
    std::filesystem::create_directories(dir);
    std::mt19937 rng(7);
    std::vector<Photo> photos;
    std::size_t next = 0;
    for (int p = 0; p < count; ++p) {
        Photo photo;
        photo.path = dir + "/photo" + std::to_string(p) + ".jpg";
        cv::Mat image = textured_background(rng);
        const int n = std::uniform_int_distribution<int>(1, 4)(rng);
        std::vector<cv::Rect> taken;
        for (int k = 0; k < n * 20 && int(photo.faces.size()) < n; ++k) {
            const int side = std::uniform_int_distribution<int>(64, 200)(rng);
            const cv::Rect at(std::uniform_int_distribution<int>(0, 640 - side)(rng),
                              std::uniform_int_distribution<int>(0, 480 - side)(rng), side, side);
            bool free = true;
            for (const auto& t : taken) free = free && (t & at).area() == 0;
            if (!free) continue;
            const auto& sample = faces.samples[(next++ * 7919) % faces.samples.size()];
            cv::Mat face = cv::imread(sample.path, cv::IMREAD_COLOR);
            const double source_pixel = double(side) / face.cols;
            cv::resize(face, face, at.size(), 0, 0, cv::INTER_CUBIC);
            if (sharpen > 0) {
                cv::Mat blurred;
                cv::GaussianBlur(face, blurred, cv::Size(0, 0), source_pixel);
                cv::addWeighted(face, 1.0 + sharpen, blurred, -sharpen, 0.0, face);
            }
            const cv::Point2f centre(float(side) / 2.0f, float(side) / 2.0f);
            const double degrees = std::uniform_real_distribution<double>(-25, 25)(rng);
            cv::warpAffine(face, face, cv::getRotationMatrix2D(centre, degrees, 1.0), face.size(), cv::INTER_LINEAR,
                           cv::BORDER_REPLICATE);
            cv::Mat mask(face.size(), CV_8UC1, cv::Scalar(0));
            if (paste == Paste::kRound) {
                cv::circle(mask, centre, side / 2, cv::Scalar(255), cv::FILLED);
            } else {
                mask.setTo(cv::Scalar(255));
            }
            face.copyTo(image(at), mask);
            taken.push_back(at);
            const int label = int(std::find(labels.begin(), labels.end(), sample.label) - labels.begin());
            photo.faces.push_back({sample.path, label, {at.x, at.y, at.width, at.height, 1.0f, {}}, degrees});
        }
        cv::imwrite(photo.path, image);
        photos.push_back(std::move(photo));
    }
    return photos;
}
int match(const PlacedFace& placed, const std::vector<emo::vision::Face>& found, std::vector<bool>& used) {
    int best = -1;
    float best_overlap = 0.3f;
    for (std::size_t i = 0; i < found.size(); ++i) {
        const float o = emo::video::box_overlap(placed.box, found[i].box);
        if (!used[i] && o >= best_overlap) best_overlap = o, best = int(i);
    }
    if (best >= 0) used[std::size_t(best)] = true;
    return best;
}
}  // namespace bench
