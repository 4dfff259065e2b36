// Inputs that fuzzing (scripts/fuzz.sh) or review found to escape as something other than a clear
// emo::Error, and hostile sizes that must not turn into huge allocations.
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
// Where the bytes of the zip record whose name ends with `name` start in a LibTorch model file (its
// local header: name length at +26, extra length at +28, name at +30). The shipped model changes when
// it is retrained, so findings are placed by record, not by absolute offset.
std::size_t record_data(const std::string& zip, const std::string& name) {
    const auto u16 = [&](std::size_t at) { return std::size_t(uint8_t(zip[at])) | std::size_t(uint8_t(zip[at + 1])) << 8; };
    for (std::size_t at = zip.find("PK\x03\x04"); at != std::string::npos; at = zip.find("PK\x03\x04", at + 4)) {
        if (at + 30 > zip.size()) break;
        const std::size_t name_length = u16(at + 26), extra_length = u16(at + 28);
        const std::string record = zip.substr(at + 30, name_length);
        if (record.size() >= name.size() && record.compare(record.size() - name.size(), name.size(), name) == 0)
            return at + 30 + name_length + extra_length;
    }
    FAIL("no record " << name << " in the model file");
    return 0;
}
}  // namespace

TEST_CASE("fuzz_model: one flipped byte that makes LibTorch throw std::out_of_range", "[fuzz]") {
    // The finding: in the shipped speech model of the time, the 'e' of "weight : Tensor" in the code record
    // ___torch_mangle_9.py changed to 'i'.
    emo::test::TempDir dir;
    std::string bytes = emo::test::read_text(std::string(EMO_SOURCE_DIR) + "/models/speech.pt");
    const std::size_t at = bytes.find("weight : Tensor", record_data(bytes, "code/__torch__/___torch_mangle_9.py")) + 1;
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
    const std::string original = emo::test::read_text(std::string(EMO_SOURCE_DIR) + "/models/speech.pt");
    // Two weight records, the pickled module, a deflated TorchScript code record.
    const std::vector<std::size_t> places{record_data(original, "/data/0") + 36, record_data(original, "/data/18") + 103104,
                                          record_data(original, "/data.pkl") + 6621,
                                          record_data(original, "code/__torch__/___torch_mangle_0.py") + 104};
    REQUIRE(original.size() > places.back());
    for (const std::size_t at : places) {
        std::string bytes = original;
        bytes[at] = char(bytes[at] ^ 0x10);
        const auto path = dir.file("damaged.pt");
        emo::test::write_text(path, bytes);
        INFO("byte " << at);
        CHECK_THROWS_WITH(emo::models::SpeechModel::load(path), Contains("damaged.pt") && Contains("corrupt LibTorch archive"));
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
