// RAVDESS file names: "03-01-05-02-01-01-12.flac" -> label and speaker.
#include "emo/data.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string name(reinterpret_cast<const char*>(data), size);
    emo::fuzz::expect_clean([&] { emo::data::parse_ravdess_name("Actor_01/" + name); });
    return 0;
}
