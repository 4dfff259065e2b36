// train_model MODALITY CONFIG DATA OUT_DIR [EPOCHS]: trains a model as emo-train does and prints each
// epoch and the model it chose. E.g. train_model speech configs/speech.yaml ../shared/data/ravdess runs/mine 5
#include <emo/emo.hpp>

#include <cstdio>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    if (argc < 5) {
        std::cerr << "usage: train_model MODALITY CONFIG DATA OUT_DIR [EPOCHS]\n";
        return 2;
    }
    emo::TrainOptions options;
    options.modality = argv[1];
    options.config = argv[2];
    options.data = {argv[3]};
    options.out_dir = argv[4];
    try {
        if (argc > 5) options.epochs = std::stoi(argv[5]);
        const auto summary = emo::train_model(options, [](const emo::EpochSummary& e) {
            std::printf("epoch %d\tloss %.4f\ttrain %.3f\tvalidation %.3f\t(%.1f s)\n", e.epoch, e.train_loss,
                        e.train_accuracy, e.val_accuracy, e.seconds);
            std::fflush(stdout);
        });
        std::printf("%s\t%s\tvalidation accuracy %.3f\n", summary.model_path.c_str(), summary.chosen.c_str(),
                    summary.val_accuracy);
    } catch (const std::exception& e) {
        std::cerr << "train_model: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
