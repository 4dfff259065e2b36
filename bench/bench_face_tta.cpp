// Test-time augmentation of the face CNN: FER2013 PublicTest accuracy and crops per second for each set of views
// (the face alone, with its mirror, and with the face shifted by 1-3 pixels in four directions, with and without
// mirrors), so the accuracy a view adds can be weighed against the passes it costs.
// Usage: bench_face_tta MODEL FER2013_DIR [threads] [repeats]
#include <chrono>
#include <cstdio>
#include <string>

#include "emo/argmax.hpp"
#include "emo/core.hpp"
#include "emo/face_cnn.hpp"
#include "emo/face_data.hpp"
#include "emo/models.hpp"
#include "emo/precision.hpp"

int main(int argc, char** argv) {
    emo::core::keep_freed_memory();
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s MODEL FER2013_DIR [threads] [repeats]\n", argv[0]);
        return 2;
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const int threads = argc > 3 ? std::stoi(argv[3]) : 0;
    const int repeats = argc > 4 ? std::stoi(argv[4]) : 2;
    try {
        emo::models::set_threads(threads);
        emo::models::ModelMetadata meta;
        emo::config::FaceConfig config;
        auto net = emo::models::load_face_network(argv[1], meta, config);
        const auto placement = emo::models::resolved({"cpu", emo::Precision::kAuto});
        net->fold_for_inference(placement.precision);  // as FaceModel::load does
        const emo::vision::FaceDetector detector(config.input);
        std::vector<std::string> problems;
        const auto crops = emo::data::load_faces(std::string(argv[2]) + "/publictest", "", detector,
                                                 emo::vision::CropMode::kWhole, threads, problems);
        const auto faces = emo::models::face_tensor(crops.pixels.data(), crops.count(), config.input.size,
                                                    meta.feature_mean[0], meta.feature_std[0]);
        std::printf("%zu PublicTest crops, %d thread(s), %s\n", crops.count(), threads,
                    emo::precision_name(placement.precision));
        std::printf("views | passes a face | PublicTest accuracy | crops/s (best of %d)\n", repeats);
        for (const auto& [flip, shift] :
             {std::pair{false, 0}, {true, 0}, {false, 1}, {false, 2}, {true, 1}, {true, 2}, {true, 3}}) {
            std::vector<std::vector<float>> probs;
            double best = 1e30;
            for (int r = 0; r < repeats; ++r) {
                const auto t0 = std::chrono::steady_clock::now();
                probs = emo::models::predict_face_tensor(net, faces, flip, 64, shift);
                best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
            }
            std::size_t right = 0;
            for (std::size_t i = 0; i < probs.size(); ++i)
                right += meta.labels[emo::core::argmax(probs[i])] == crops.labels[i];
            std::printf("%s%s | %d | %.4f | %.0f\n", flip ? "mirror" : "face",
                        shift ? (" + shifts " + std::to_string(shift) + " px").c_str() : "",
                        (flip ? 2 : 1) * (shift ? 5 : 1), double(right) / double(probs.size()),
                        double(probs.size()) / best);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
