// Face throughput: crops classified per second (batched), 640x480 photos per second end to end
// (decode + Haar detection + crop + CNN), and training images per second (augmentation on tensors +
// forward/backward + AdamW, the config of the given model), with a given thread count.
// Usage: bench_face MODEL FER2013_DIR [threads] [repeats]
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>

#include "emo/core.hpp"
#include "emo/data.hpp"
#include "emo/models.hpp"
#include "emo/train.hpp"
#include "emo/face_data.hpp"
#include "emo/vision.hpp"

namespace {
double best_seconds(int repeats, const std::function<void()>& work) {
    work();  // warm-up
    double best = 1e30;
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        work();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
}

// 640x480 photos, each with three FER2013 faces upscaled to 150 px on a plain background.
std::vector<std::string> make_photos(const emo::data::Dataset& faces, int count, const std::string& dir) {
    std::filesystem::create_directories(dir);
    std::vector<std::string> out;
    for (int p = 0; p < count; ++p) {
        cv::Mat photo(480, 640, CV_8UC3, cv::Scalar(110, 120, 130));
        for (int k = 0; k < 3; ++k) {
            cv::Mat face = cv::imread(faces.samples[std::size_t(p * 3 + k)].path, cv::IMREAD_COLOR);
            cv::resize(face, face, cv::Size(150, 150), 0, 0, cv::INTER_CUBIC);
            face.copyTo(photo(cv::Rect(20 + 210 * k, 160, 150, 150)));
        }
        out.push_back(dir + "/photo" + std::to_string(p) + ".jpg");
        cv::imwrite(out.back(), photo);
    }
    return out;
}
}  // namespace

int main(int argc, char** argv) {
    emo::core::keep_freed_memory();  // as the programs do
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s MODEL FER2013_DIR [threads] [repeats]\n", argv[0]);
        return 2;
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // figures appear as they are measured
    const int threads = argc > 3 ? std::stoi(argv[3]) : 0;
    const int repeats = argc > 4 ? std::stoi(argv[4]) : 3;
    try {
        emo::models::set_threads(threads);
        const auto model = emo::models::FaceModel::load(argv[1]);
        const emo::vision::FaceDetector detector(model.config().input);
        std::vector<std::string> problems;
        const auto crops = emo::data::load_faces(std::string(argv[2]) + "/publictest", "", detector,
                                                 emo::vision::CropMode::kWhole, threads, problems);
        const double crop_s = best_seconds(repeats, [&] { model.predict(crops.pixels.data(), crops.count()); });
        std::printf("emo face CNN: %zu crops, %d thread(s), flip averaging %s: %.3f s (%.0f crops/s)\n", crops.count(),
                    threads, model.config().flip_average ? "on" : "off", crop_s, double(crops.count()) / crop_s);

        const auto ds = emo::data::read_image_folder(std::string(argv[2]) + "/publictest");
        const auto photos =
            make_photos(ds, 100, (std::filesystem::temp_directory_path() / "emo-bench-photos").string());
        auto single_pass = emo::models::FaceModel::load(argv[1]);  // emo-predict --detect-side 320 --no-flip
        single_pass.set_detector_max_side(320);
        single_pass.set_flip_average(false);
        for (const auto* m : std::initializer_list<const emo::models::FaceModel*>{&model, &single_pass}) {
            std::size_t found = 0;
            const double photo_s = best_seconds(repeats, [&] {
                found = 0;
                for (const auto& p :
                     emo::models::predict_image_files(*m, photos, emo::vision::CropMode::kAuto, threads))
                    found += p.faces.size();
            });
            std::printf(
                "emo photos end to end (%s): %zu photos 640x480 (%zu faces found), %d thread(s): %.3f s (%.1f "
                "photos/s)\n",
                m == &model ? "model's settings" : "320 px, no flip", photos.size(), found, threads, photo_s,
                double(photos.size()) / photo_s);
        }

        // Training: one epoch over 2,048 PublicTest faces (validation on 64), the model's own config.
        auto config = model.config();
        config.train.epochs = 1;
        config.train.average_last = 0;  // the shipped config averages its last epochs; one epoch has none
        config.train.threads = threads;
        emo::data::FaceImages train, val, rest, unused;
        emo::data::stratified_split(crops, 2048.0f / float(crops.count()), 1, rest, train);
        emo::data::stratified_split(rest, 64.0f / float(rest.count()), 1, unused, val);
        emo::train::RunOptions run;
        run.out_dir = (std::filesystem::temp_directory_path() / "emo-bench-train").string();
        const auto result = emo::train::train_face(config, train, val, run);
        const double train_s = result.history.front().seconds;
        std::printf(
            "emo face training: %zu images, batch %d, %d thread(s): %.1f s (%.0f images/s, incl. validation of %zu)\n",
            train.count(), config.train.batch_size, threads, train_s, double(train.count()) / train_s, val.count());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
