// predict_file FILE...: prints "path<TAB>label<TAB>confidence" for each audio file and for each face in
// each image ("no speech" / "no face" when there is nothing to score). Exit 1 when a file could not be read.
#include <emo/emo.hpp>

#include <cstdio>
#include <iostream>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: predict_file FILE...\n";
        return 2;
    }
    const emo::Predictor predictor;  // the shipped models, each loaded on first use
    int status = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string path = argv[i];
        try {
            if (emo::is_image_file(path)) {
                const auto image = predictor.predict_image(path);
                if (image.faces.empty()) std::cout << path << "\tno face\t0\n";
                for (const auto& face : image.faces) {
                    std::printf("%s\t%s\t%.4f\n", path.c_str(), face.scores.label().c_str(), face.scores.confidence());
                }
            } else {
                const auto clip = predictor.predict_audio(path);
                if (clip.no_speech) std::cout << path << "\tno speech\t0\n";
                else std::printf("%s\t%s\t%.4f\n", path.c_str(), clip.scores.label().c_str(), clip.scores.confidence());
            }
            std::fflush(stdout);
        } catch (const emo::Error& e) {
            std::cerr << "predict_file: " << e.what() << "\n";
            status = 1;
        }
    }
    return status;
}
