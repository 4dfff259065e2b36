// Continuous learning on real data: an interrupted run resumes to the uninterrupted result, and a
// model fine-tunes on feedback, growing a label it did not know, with its lineage recorded.
#include <filesystem>

#include "emo/error.hpp"
#include "emo/models.hpp"
#include "emo/speech_cnn.hpp"
#include "emo/train.hpp"
#include "helpers.hpp"
#include "training_helpers.hpp"

using Catch::Matchers::Contains;

using emo::test::Interrupted;
using emo::test::ravdess_clips;
using emo::test::speech_scores;
using emo::test::tiny_speech_config;

TEST_CASE("an interrupted run resumed from its checkpoint ends as the uninterrupted run", "[train][resume]") {
    const auto dir = emo::test::data_dir();
    if (dir.empty()) return;
    emo::test::TempDir tmp;
    const auto ds = ravdess_clips(dir, {"calm", "angry"}, 5);
    const auto config = tiny_speech_config(tmp.file("cache"), 4);

    emo::train::RunOptions run;
    run.out_dir = tmp.file("whole");
    const auto whole = emo::train::train_speech(config, ds, run);

    run.out_dir = tmp.file("interrupted");
    run.on_epoch = [](const emo::train::EpochRecord& e) {
        if (e.epoch == 3) throw Interrupted();  // dies in epoch 3's bookkeeping: checkpoint of epoch 2 stays
    };
    CHECK_THROWS_AS(emo::train::train_speech(config, ds, run), Interrupted);
    CHECK(std::filesystem::exists(tmp.file("interrupted/checkpoint.pt")));
    std::vector<int> epochs_run;
    run.on_epoch = [&](const emo::train::EpochRecord& e) { epochs_run.push_back(e.epoch); };
    run.resume = true;
    const auto resumed = emo::train::train_speech(config, ds, run);
    CHECK(epochs_run == std::vector<int>{3, 4});  // epochs 1-2 came from the checkpoint

    REQUIRE(resumed.history.size() == whole.history.size());
    for (std::size_t e = 0; e < whole.history.size(); ++e) {
        CHECK(resumed.history[e].train_loss == whole.history[e].train_loss);
        CHECK(resumed.history[e].val_loss == whole.history[e].val_loss);
    }
    CHECK(resumed.best_epoch == whole.best_epoch);
    CHECK(resumed.best_validation.confusion == whole.best_validation.confusion);
    const auto validation = emo::data::split_by_speaker(ds.samples, {"05"}).validation;
    CHECK(speech_scores(resumed.model_path, validation) == speech_scores(whole.model_path, validation));

    // A finished run resumed again changes nothing.
    epochs_run.clear();
    const auto again = emo::train::train_speech(config, ds, run);
    CHECK(again.history.size() == whole.history.size());
    CHECK(epochs_run.empty());

    // A truncated checkpoint is refused, not loaded.
    const auto ckpt = tmp.file("interrupted/checkpoint.pt");
    std::filesystem::resize_file(ckpt, std::filesystem::file_size(ckpt) / 2);
    CHECK_THROWS_WITH(emo::train::train_speech(config, ds, run), Contains("checkpoint.pt") && Contains("truncated"));
}

TEST_CASE("fine-tuning on feedback grows a new label, keeps a frozen trunk and records its lineage",
          "[train][finetune]") {
    const auto dir = emo::test::data_dir();
    if (dir.empty()) return;
    emo::test::TempDir tmp;
    const auto config = tiny_speech_config(tmp.file("cache"), 3);
    emo::train::RunOptions run;
    run.out_dir = tmp.file("parent");
    const auto parent = emo::train::train_speech(config, ravdess_clips(dir, {"calm", "angry"}, 5), run);

    // Feedback: actor 06's happy clips, relabelled with a label the model has never seen.
    std::string csv = "file,label\n";
    std::vector<emo::data::Sample> feedback;
    for (const auto& s : ravdess_clips(dir, {"happy"}, 6).samples)
        if (s.speaker == "06") {
            csv += s.path + ",Contempt\n";
            feedback.push_back(s);
        }
    emo::test::write_text(tmp.file("feedback.csv"), csv);
    emo::train::RunOptions tune;
    tune.out_dir = tmp.file("tuned");
    tune.keep_last = true;
    tune.init.model_path = parent.model_path;
    tune.init.freeze_features = true;
    auto tune_config = config;
    tune_config.train.epochs = 6;
    const auto rows = emo::data::read_feedback(tmp.file("feedback.csv")).samples();
    REQUIRE(rows.size() == 8);
    CHECK(rows[0].label == "contempt");
    emo::data::Split split{rows, rows};
    CHECK_THROWS_WITH(emo::train::train_speech(tune_config, "feedback", split, tune),
                      Contains("extending the labels adds it"));

    tune.init.extend_labels = true;
    const auto tuned = emo::train::train_speech(tune_config, "feedback", split, tune);
    const auto model = emo::models::SpeechModel::load(tuned.model_path);
    CHECK(model.metadata().labels == std::vector<std::string>{"calm", "angry", "contempt"});
    CHECK(tuned.best_validation.accuracy >= 0.75);  // the new label is learnt from 8 examples
    const auto& stage = model.metadata().lineage.back();
    CHECK(stage.at("labels_added") == nlohmann::json::array({"contempt"}));
    CHECK(stage.at("metrics_before").at("accuracy") == 0.0);
    CHECK(stage.at("freeze_features") == true);

    // The frozen trunk is the parent's, weight for weight; the classifier's old rows moved.
    emo::models::ModelMetadata m1, m2;
    emo::config::SpeechConfig c1, c2;
    auto before = emo::models::load_speech_network(parent.model_path, m1, c1);
    auto after = emo::models::load_speech_network(tuned.model_path, m2, c2);
    const auto p1 = before->features()->parameters(), p2 = after->features()->parameters();
    REQUIRE(p1.size() == p2.size());
    for (std::size_t i = 0; i < p1.size(); ++i) CHECK(torch::equal(p1[i], p2[i]));
    const auto b1 = before->features()->buffers(), b2 = after->features()->buffers();
    for (std::size_t i = 0; i < b1.size(); ++i) CHECK(torch::equal(b1[i], b2[i]));
}

TEST_CASE("feedback CSVs: emo-predict columns, boxes, new labels and bad rows", "[data][feedback]") {
    emo::test::TempDir tmp;
    emo::test::write_text(tmp.file("a.csv"),
                          "file,modality,face,x,y,width,height,label,confidence\n"
                          "photo.jpg,face,1,10,20,30,40,Surprise,0.5\n"
                          "empty.jpg,face,,,,,,,\n"
                          "clip.wav,speech,,,,,,contempt,0.9\n");
    const auto fb = emo::data::read_feedback(tmp.file("a.csv"));
    REQUIRE(fb.rows.size() == 2);
    CHECK(fb.unlabelled == 1);
    CHECK(fb.rows[0].sample.label == "surprised");
    CHECK(*fb.rows[0].box == std::array<int, 4>{10, 20, 30, 40});
    CHECK(fb.rows[1].sample.label == "contempt");
    CHECK_FALSE(fb.rows[1].box);

    emo::test::write_text(tmp.file("b.csv"), "path,label\nx.wav,not a word!\n");
    CHECK_THROWS_WITH(emo::data::read_feedback(tmp.file("b.csv")), Contains("b.csv") && Contains("line 2"));
    emo::test::write_text(tmp.file("c.csv"), "name,emotion\nx.wav,happy\n");
    CHECK_THROWS_WITH(emo::data::read_feedback(tmp.file("c.csv")), Contains("path (or file) and label"));
    emo::test::write_text(tmp.file("d.csv"), "file,label,x,y,width,height\nx.png,happy,1,2,wide,4\n");
    CHECK_THROWS_WITH(emo::data::read_feedback(tmp.file("d.csv")), Contains("width: expected an integer"));
}
