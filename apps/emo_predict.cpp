// emo-predict: emotion of audio clips (images and video come with the face and fusion work).
#include <iostream>

#include "app.hpp"
#include "output.hpp"

int main(int argc, char** argv) {
    CLI::App app{"emo-predict: emotion of audio clips"};
    app.name("emo-predict");
    std::string model_path;
    std::vector<std::string> files;
    bool json = false, csv = false;
    int threads = 0;
    app.add_option("--model", model_path, "model file (default: the shipped speech model)");
    auto* json_flag = app.add_flag("--json", json, "one JSON object per input line, with every class score");
    app.add_flag("--csv", csv, "CSV with a header and every class score")->excludes(json_flag);
    app.add_option("--threads", threads, "decoding and inference threads (0: all cores)")->check(CLI::NonNegativeNumber);
    app.add_option("files", files, "audio files (any format libsndfile reads)")->required();
    return emo::app::run(app, argc, argv, [&] {
        const auto format = json ? emo::app::Format::kJson : csv ? emo::app::Format::kCsv : emo::app::Format::kText;
        emo::models::set_threads(threads);
        const auto model = emo::models::SpeechModel::load(model_path.empty() ? emo::app::default_model("speech") : model_path);
        const auto& labels = model.metadata().labels;
        emo::app::Batch batch;
        emo::app::print_speech_header(labels, format, std::cout);
        for (const auto& p : emo::models::predict_speech_files(model, files, threads)) {
            if (p.error.empty()) {
                emo::app::print_speech(p, labels, format, std::cout);
            } else {
                batch.fail(p.error, emo::ExitCode::kBadInput);
            }
        }
        return batch.exit_code();
    });
}
