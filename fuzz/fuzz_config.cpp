// YAML configs of every kind, with --set overrides: the first line of the input holds assignments
// separated by ';' (as emo-train --set gives them), the rest is the YAML text.
#include <vector>

#include "emo/config.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    const std::string first = input.substr(0, newline);
    const std::string yaml = newline == std::string::npos ? input : input.substr(newline + 1);
    std::vector<std::string> sets;
    for (std::size_t start = 0; start < first.size();) {
        const auto end = std::min(first.find(';', start), first.size());
        if (end > start) sets.push_back(first.substr(start, end - start));
        start = end + 1;
    }
    emo::fuzz::expect_clean([&] { emo::config::parse_speech_config(yaml, "fuzz.yaml"); });
    emo::fuzz::expect_clean([&] { emo::config::parse_face_config(yaml, "fuzz.yaml"); });
    emo::fuzz::expect_clean([&] { emo::config::parse_fusion_config(yaml, "fuzz.yaml"); });
    emo::fuzz::expect_clean(
        [&] { emo::config::parse_speech_config(emo::config::with_overrides(yaml, sets, "fuzz.yaml"), "fuzz.yaml"); });
    return 0;
}
