// How much the face model loses when PublicTest faces look the way studio and press photos differ from FER2013's
// web crops (issue 33): darker or lighter mid-tones (gamma), more or less contrast, sharper or softer edges. Each
// change is applied alone to every 48 px crop; the model's settings otherwise (flip averaging). A model trained with
// augment.gamma / augment.sharpness should lose less on the rows those model.
// Usage: bench_face_photometric MODEL FER2013_DIR [threads]
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstdio>
#include <functional>
#include <string>

#include "emo/argmax.hpp"
#include "emo/core.hpp"
#include "emo/face_data.hpp"
#include "emo/models.hpp"

namespace {
using Change = std::function<cv::Mat(const cv::Mat&)>;

Change tone_curve(double e) {
    return [e](const cv::Mat& face) {
        cv::Mat lut(1, 256, CV_8U);
        for (int v = 0; v < 256; ++v)
            lut.at<std::uint8_t>(v) = cv::saturate_cast<std::uint8_t>(255.0 * std::pow(v / 255.0, e));
        cv::Mat out;
        cv::LUT(face, lut, out);
        return out;
    };
}
Change contrast(double factor) {
    return [factor](const cv::Mat& face) {
        cv::Mat out;
        face.convertTo(out, CV_8U, factor, (1.0 - factor) * cv::mean(face)[0]);
        return out;
    };
}
// amount > 0: unsharp mask (Gaussian sigma 1); amount < 0: blur by that Gaussian.
Change sharpen(double amount) {
    return [amount](const cv::Mat& face) {
        cv::Mat blurred, out;
        cv::GaussianBlur(face, blurred, cv::Size(0, 0), 1.0);
        if (amount < 0) return blurred;
        cv::addWeighted(face, 1.0 + amount, blurred, -amount, 0.0, out);
        return out;
    };
}
}  // namespace

int main(int argc, char** argv) {
    emo::core::keep_freed_memory();
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s MODEL FER2013_DIR [threads]\n", argv[0]);
        return 2;
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const int threads = argc > 3 ? std::stoi(argv[3]) : 0;
    try {
        emo::models::set_threads(threads);
        const auto model = emo::models::FaceModel::load(argv[1]);
        const emo::vision::FaceDetector detector(model.config().input);
        std::vector<std::string> problems;
        const auto crops = emo::data::load_faces(std::string(argv[2]) + "/publictest", "", detector,
                                                 emo::vision::CropMode::kWhole, threads, problems);
        const int side = model.config().input.size;
        const std::size_t bytes = std::size_t(side * side);
        std::printf("%s: %zu PublicTest crops\nchange | PublicTest accuracy | largest label share\n", argv[1],
                    crops.count());
        for (const auto& [name, change] :
             std::vector<std::pair<std::string, Change>>{{"none", [](const cv::Mat& f) { return f.clone(); }},
                                                         {"gamma 0.6 (lighter mid-tones)", tone_curve(0.6)},
                                                         {"gamma 1.6 (darker mid-tones)", tone_curve(1.6)},
                                                         {"contrast x1.5", contrast(1.5)},
                                                         {"contrast x0.6", contrast(0.6)},
                                                         {"sharpened (unsharp mask, amount 1)", sharpen(1.0)},
                                                         {"sharpened (amount 2)", sharpen(2.0)},
                                                         {"softened (Gaussian blur, sigma 1)", sharpen(-1.0)}}) {
            std::vector<std::uint8_t> pixels(crops.pixels.size());
            for (std::size_t i = 0; i < crops.count(); ++i) {
                const cv::Mat face(side, side, CV_8U, const_cast<std::uint8_t*>(crops.pixels.data() + i * bytes));
                const cv::Mat changed = change(face);
                std::copy(changed.datastart, changed.dataend, pixels.begin() + long(i * bytes));
            }
            const auto probs = model.predict(pixels.data(), crops.count());
            std::size_t right = 0;
            std::vector<std::size_t> per_label(model.metadata().labels.size(), 0);
            for (std::size_t i = 0; i < probs.size(); ++i) {
                const auto best = emo::core::argmax(probs[i]);
                right += model.metadata().labels[best] == crops.labels[i];
                ++per_label[best];
            }
            std::printf("%s | %.4f | %.1f %%\n", name.c_str(), double(right) / double(probs.size()),
                        100.0 * double(*std::max_element(per_label.begin(), per_label.end())) / double(probs.size()));
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
