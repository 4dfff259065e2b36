// Inputs that fuzzing (scripts/fuzz.sh) or review found to escape as something other than a clear
// emo::Error, and hostile sizes that must not turn into huge allocations.
#include <caffe2/serialize/inline_container.h>

#include <fstream>

#include "emo/config.hpp"
#include "emo/data.hpp"
#include "emo/error.hpp"
#include "emo/models.hpp"
#include "helpers.hpp"

using Catch::Matchers::Contains;

TEST_CASE("fuzz_config: --set on a config whose top level is not a map", "[fuzz]") {
    CHECK_THROWS_AS(emo::config::with_overrides("- train\n- epochs\n", {"train.epochs=3"}, "list.yaml"),
                    emo::ConfigError);
    CHECK_THROWS_WITH(emo::config::with_overrides("just text", {"train.epochs=3"}, "text.yaml"),
                      Contains("text.yaml: expected a map of settings"));
}

namespace {
// Where a record's bytes start in the shipped speech model. The model changes when it is retrained, so
// findings are placed by record, not by absolute offset.
std::size_t record_data(const std::string& model, const std::string& record) {
    return caffe2::serialize::PyTorchStreamReader(model).getRecordOffset(record);
}
const std::string kShippedSpeech = std::string(EMO_SOURCE_DIR) + "/models/speech.pt";
}  // namespace

TEST_CASE("fuzz_model: one flipped byte that makes LibTorch throw std::out_of_range", "[fuzz]") {
    // The finding: in the shipped speech model of the time, the 'e' of "weight : Tensor" in the code record
    // ___torch_mangle_9.py changed to 'i'.
    emo::test::TempDir dir;
    std::string bytes = emo::test::read_text(kShippedSpeech);
    const std::size_t at =
        bytes.find("weight : Tensor", record_data(kShippedSpeech, "code/__torch__/___torch_mangle_9.py")) + 1;
    REQUIRE(bytes.substr(at - 1, 6) == "weight");
    bytes[at] = 'i';
    const auto path = dir.file("flipped.pt");
    emo::test::write_text(path, bytes);
    CHECK_THROWS_AS(emo::models::SpeechModel::load(path), emo::InputError);
    CHECK_THROWS_AS(emo::models::read_metadata(path), emo::InputError);
}

TEST_CASE("fuzz_model: damaged records are caught by their CRC before LibTorch parses them", "[fuzz]") {
    // LibTorch checks no CRC; its TorchScript importer crashed on a damaged code record.
    emo::test::TempDir dir;
    const std::string original = emo::test::read_text(kShippedSpeech);
    // Two weight records, the pickled module, a deflated TorchScript code record.
    const std::vector<std::size_t> places{record_data(kShippedSpeech, "data/0") + 36,
                                          record_data(kShippedSpeech, "data/18") + 103104,
                                          record_data(kShippedSpeech, "data.pkl") + 6621,
                                          record_data(kShippedSpeech, "code/__torch__/___torch_mangle_0.py") + 104};
    REQUIRE(original.size() > places.back());
    for (const std::size_t at : places) {
        std::string bytes = original;
        bytes[at] = char(bytes[at] ^ 0x10);
        const auto path = dir.file("damaged.pt");
        emo::test::write_text(path, bytes);
        INFO("byte " << at);
        CHECK_THROWS_WITH(emo::models::SpeechModel::load(path),
                          Contains("damaged.pt") && Contains("corrupt LibTorch archive"));
    }
    emo::test::write_text(dir.file("cut.pt"), original.substr(0, original.size() / 2));
    CHECK_THROWS_AS(emo::models::read_metadata(dir.file("cut.pt")), emo::InputError);
}

TEST_CASE("a CSV line of more than 4 MiB is refused before it is held in memory", "[fuzz]") {
    emo::test::TempDir dir;
    const auto csv = dir.file("huge.csv");
    {
        std::ofstream out(csv, std::ios::binary);
        out << "path,label\na.wav,";
        const std::string chunk(1 << 20, 'x');
        for (int i = 0; i < 6; ++i) out << chunk;
        out << "\n";
    }
    CHECK_THROWS_WITH(emo::data::read_manifest(csv), Contains("huge.csv: line 2: longer than 4 MiB"));
    CHECK_THROWS_WITH(emo::data::read_feedback(csv), Contains("line 2: longer than 4 MiB"));
}

TEST_CASE("model metadata of the wrong shape is refused naming the file, and metrics kept as text still read",
          "[models]") {
    nlohmann::json j = emo::models::ModelMetadata{};
    j["labels"] = {"calm", "angry"};
    const auto m = emo::models::metadata_from_json(j, "m.pt");
    CHECK(m.lineage.is_array());
    // Files written before metrics became an object kept them as JSON text under "metrics_json".
    auto legacy = j;
    legacy.erase("metrics");
    legacy["metrics_json"] = R"({"accuracy":0.5,"epoch":3})";
    CHECK(emo::models::metadata_from_json(legacy, "old.pt").metrics.at("epoch") == 3);
    for (const auto& [key, value] : std::vector<std::pair<std::string, nlohmann::json>>{
             {"lineage", {{"stage", 1}}}, {"training_data", 7}, {"metrics", "text"}, {"metrics_json", 5}}) {
        INFO(key);
        auto bad = key == "metrics_json" ? legacy : j;
        bad[key] = value;
        CHECK_THROWS_WITH(emo::models::metadata_from_json(bad, "bad.pt"),
                          Catch::Contains("bad.pt") && Catch::Contains("corrupt model metadata"));
    }
}
