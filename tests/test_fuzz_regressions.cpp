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

TEST_CASE("fuzz_model: one flipped byte that makes LibTorch throw std::out_of_range", "[fuzz]") {
    // The finding: byte 443,788 of the shipped speech model changed from 'e' to 'i'.
    emo::test::TempDir dir;
    std::string bytes = emo::test::read_text(std::string(EMO_SOURCE_DIR) + "/models/speech.pt");
    REQUIRE(bytes.size() > 443788);
    REQUIRE(bytes[443788] == 'e');
    bytes[443788] = 'i';
    const auto path = dir.file("flipped.pt");
    emo::test::write_text(path, bytes);
    CHECK_THROWS_AS(emo::models::SpeechModel::load(path), emo::InputError);
    CHECK_THROWS_AS(emo::models::read_metadata(path), emo::InputError);
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
