// Model and checkpoint files: truncated, bit-flipped, of the other modality, with hostile sizes.
#include <random>

#include "../lib/train/checkpoint.hpp"
#include "emo/models.hpp"
#include "emo/speech_cnn.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = emo::fuzz::as_file(data, size, ".pt");
    emo::fuzz::expect_clean([&] { emo::models::read_metadata(path); });
    emo::fuzz::expect_clean([&] { emo::models::SpeechModel::load(path); });
    emo::fuzz::expect_clean([&] { emo::models::FaceModel::load(path); });
    emo::fuzz::expect_clean([&] {
        static emo::models::SpeechCnn net(emo::config::SpeechCnnOptions{}, 64, 8);  // the shipped model's shape
        static torch::optim::AdamW optimizer(net->parameters());
        std::mt19937 rng(1);
        emo::train::load_checkpoint(path, "speech", *net, optimizer, rng);
    });
    return 0;
}
