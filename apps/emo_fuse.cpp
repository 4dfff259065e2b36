// emo-fuse: weighted decision fusion of face and speech predictions.
#include "app.hpp"

int main(int argc, char** argv) {
    CLI::App app{"emo-fuse: combine face and speech predictions (weighted decision fusion)"};
    app.name("emo-fuse");
    std::string weights;
    std::vector<std::string> inputs;
    app.add_option("--weights", weights, "W1,W2: non-negative weights summing to 1 (face, speech)");
    app.add_option("inputs", inputs, "two prediction JSON files, a video, or --face IMAGE --speech AUDIO");
    return emo::app::run(app, argc, argv, [&]() -> int {
        throw emo::RuntimeError("emo-fuse: fusion is not available in this version (needs the face model; see the "
                                "project's open fusion issue)");
    });
}
