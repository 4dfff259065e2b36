// CSV inputs: speech manifests, feedback CSVs (edited emo-predict --csv), fusion pairs, FER2013.
#include "emo/data.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = emo::fuzz::as_file(data, size, ".csv");
    emo::fuzz::expect_clean([&] { emo::data::read_manifest(path); });
    emo::fuzz::expect_clean([&] { emo::data::read_feedback(path); });
    emo::fuzz::expect_clean([&] { emo::data::read_pairs(path); });
    emo::fuzz::expect_clean([&] { emo::data::read_fer2013_csv(path, ""); });
    emo::fuzz::expect_clean([&] { emo::data::read_fer2013_csv(path, "PublicTest"); });
    return 0;
}
