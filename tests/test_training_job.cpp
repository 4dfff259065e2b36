// Training jobs as the library runs them (emo/training_job.hpp): cross-validation and its folds
// shared among processes; the distributed job's description from torchrun's environment.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "emo/error.hpp"
#include "emo/models.hpp"
#include "emo/training_job.hpp"
#include "helpers.hpp"

using Catch::Matchers::Contains;

namespace {

// Calm and angry clips of RAVDESS actors 01-04 as a manifest, and a small config: 2 epochs.
emo::train::TrainRequest two_fold_request(const std::string& data_dir, const emo::test::TempDir& tmp) {
    std::ofstream manifest(tmp.file("clips.csv"));
    manifest << "path,label,speaker\n";
    for (const auto& s : emo::data::read_ravdess(data_dir + "/ravdess").samples)
        if ((s.label == "calm" || s.label == "angry") && std::stoi(s.speaker) <= 4)
            manifest << s.path << ',' << s.label << ',' << s.speaker << '\n';
    std::ofstream(tmp.file("small.yaml")) << "modality: speech\n"
                                             "model: {channels: [8, 16], dropout: 0.2}\n"
                                             "input: {segment_seconds: 2.0}\n"
                                             "train: {epochs: 2, batch_size: 16, patience: 0, seed: 3, threads: 1}\n"
                                             "split: {validation_speakers: ['04']}\n"
                                             "calibration: {fit_temperature: true}\n";
    emo::train::TrainRequest r;
    r.modality = "speech";
    r.config = tmp.file("small.yaml");
    r.data = {tmp.file("clips.csv")};
    r.folds = 2;
    return r;
}

emo::train::RunOptions run_in(const std::string& dir) {
    emo::train::RunOptions run;
    run.out_dir = dir;
    return run;
}

using Variables = std::vector<std::pair<std::string, std::string>>;

struct Environment {  // sets variables for one test and unsets them after
    explicit Environment(Variables vars) : vars_(std::move(vars)) {
        for (const auto& [name, value] : vars_) ::setenv(name.c_str(), value.c_str(), 1);
    }
    ~Environment() {
        for (const auto& [name, value] : vars_) ::unsetenv(name.c_str());
    }
    Variables vars_;
};

}  // namespace

TEST_CASE("cross-validation through the library: speaker folds, pooled figures, a run per fold", "[train][slow]") {
    const auto dir = emo::test::data_dir();
    if (dir.empty()) return;
    emo::test::TempDir tmp;
    const auto request = two_fold_request(dir, tmp);
    auto run = run_in(tmp.file("cv"));
    std::vector<std::string> warnings;
    run.on_warning = [&](const std::string& w) { warnings.push_back(w); };
    const auto cv = emo::train::cross_validate(request, run);

    REQUIRE(cv.folds.size() == 2);
    // The config asks for a temperature; a fold would fit it on its own test clips, so none is fitted.
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains("calibration.fit_temperature is not used in cross-validation"));
    CHECK(emo::models::SpeechModel::load(tmp.file("cv/fold-1/model.pt")).metadata().temperature == 1.0f);
    CHECK(cv.pooled.n == 64);  // 4 actors x 16 clips, each scored once
    CHECK(cv.folds[0].held_out == "speakers 01,03");
    CHECK(cv.folds[1].held_out == "speakers 02,04");
    for (const char* f : {"run.json", "cv.txt", "cv.json", "fold-1/model.pt", "fold-2/model.pt"})
        CHECK(std::filesystem::exists(tmp.file("cv/") + f));
}

TEST_CASE("a worker of --folds --nproc trains its folds only, and the summary reads them back", "[train][slow]") {
    const auto dir = emo::test::data_dir();
    if (dir.empty()) return;
    emo::test::TempDir tmp;
    const auto request = two_fold_request(dir, tmp);
    const auto run = run_in(tmp.file("cv"));
    emo::train::train_fold_share(request, run, {1, 2});
    CHECK_FALSE(std::filesystem::exists(tmp.file("cv/fold-1")));
    CHECK(std::filesystem::exists(tmp.file("cv/fold-2/checkpoint.pt")));
    CHECK_FALSE(std::filesystem::exists(tmp.file("cv/cv.txt")));

    emo::train::train_fold_share(request, run, {0, 2});
    auto resumed = run;
    resumed.resume = true;
    const auto cv = emo::train::cross_validate(request, resumed);
    CHECK(cv.folds.size() == 2);
    CHECK(cv.pooled.n == 64);
}

TEST_CASE("a distributed job is described by torchrun's environment", "[train]") {
    SECTION("unset: one process") {
        const auto d = emo::train::distributed_from_environment();
        CHECK(d.world_size == 1);
        CHECK(d.rank == 0);
    }
    SECTION("every variable") {
        Environment env(Variables{{"WORLD_SIZE", "4"},
                                  {"RANK", "3"},
                                  {"LOCAL_WORLD_SIZE", "2"},
                                  {"MASTER_ADDR", "10.0.0.1"},
                                  {"MASTER_PORT", "29511"},
                                  {"EMO_DIST_TIMEOUT", "30"}});
        const auto d = emo::train::distributed_from_environment();
        CHECK(d.world_size == 4);
        CHECK(d.rank == 3);
        CHECK(d.local_world_size == 2);
        CHECK(d.master_addr == "10.0.0.1");
        CHECK(d.master_port == 29511);
        CHECK(d.timeout_seconds == 30);
    }
    SECTION("a rank outside the job, or malformed numbers, name the variable") {
        {
            Environment env(Variables{{"WORLD_SIZE", "2"}, {"RANK", "2"}});
            CHECK_THROWS_WITH(emo::train::distributed_from_environment(), Contains("RANK"));
        }
        {
            Environment env(Variables{{"WORLD_SIZE", "2"}});
            CHECK_THROWS_WITH(emo::train::distributed_from_environment(), Contains("RANK: required"));
        }
        {
            Environment env(Variables{{"WORLD_SIZE", "two"}});
            CHECK_THROWS_AS(emo::train::distributed_from_environment(), emo::ConfigError);
        }
        {
            Environment env(Variables{{"WORLD_SIZE", "2"}, {"RANK", "0"}, {"MASTER_PORT", "70000"}});
            CHECK_THROWS_WITH(emo::train::distributed_from_environment(), Contains("MASTER_PORT"));
        }
    }
}

TEST_CASE("fine-tuning: a tenth of the model's learning rate unless --set or --lr names one", "[train]") {
    emo::train::TrainRequest r;
    r.init = std::string(EMO_SOURCE_DIR) + "/models/face.pt";
    const auto own = emo::config::parse_face_config(emo::models::read_metadata(r.init).config_yaml, r.init);
    const emo::train::RunOptions run;
    const auto learning_rate = [&] { return double(emo::train::face_config_of(r, run).train.learning_rate); };
    CHECK(learning_rate() == Approx(own.train.learning_rate / 10));
    r.overrides = {"train.learning_rate=0.002"};
    CHECK(learning_rate() == Approx(0.002));  // was overwritten by the tenth
    r.learning_rate = 0.0005f;                // --lr wins over both
    CHECK(learning_rate() == Approx(0.0005));
}
