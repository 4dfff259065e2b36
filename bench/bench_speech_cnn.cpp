// Speech CNN inference alone: windows per second through the network of a model file, batches of
// 64 windows, as trained and with the trunk folded for inference (batch norm inside the convolutions,
// channels-last weights), so a change to the inference path can be measured without decoding.
// Usage: bench_speech_cnn MODEL [threads] [batches]
#include <chrono>
#include <cstdio>
#include <functional>

#include "emo/models.hpp"
#include "emo/speech_cnn.hpp"

namespace {
double seconds_for(int batches, const std::function<void()>& step) {
    step();  // warm-up
    const auto t0 = std::chrono::steady_clock::now();
    for (int b = 0; b < batches; ++b) step();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s MODEL [threads] [batches]\n", argv[0]);
        return 2;
    }
    const int threads = argc > 2 ? std::atoi(argv[2]) : 0;
    const int batches = argc > 3 ? std::atoi(argv[3]) : 20;
    emo::models::set_threads(threads);
    emo::models::ModelMetadata meta;
    emo::config::SpeechConfig config;
    auto net = emo::models::load_speech_network(argv[1], meta, config);
    net->eval();
    torch::InferenceMode guard;
    const auto input = torch::randn({64, 1, config.input.features.dim(), config.input.segment_frames()});
    const double plain = seconds_for(batches, [&] { net->forward(input); });
    std::printf("default layout: %d windows in %.3f s = %.0f windows/s\n", 64 * batches, plain, 64 * batches / plain);
    const auto expected = net->forward(input);
    net->fold_for_inference(emo::models::resolved({}).precision);
    const double folded = seconds_for(batches, [&] { net->forward(input); });
    std::printf("folded trunk:   %d windows in %.3f s = %.0f windows/s (largest logit change %.2g)\n", 64 * batches,
                folded, 64 * batches / folded, (net->forward(input) - expected).abs().max().item<double>());
    return 0;
}
