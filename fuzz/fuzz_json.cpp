// JSON read back from files: emo-predict --json lines (emo-fuse) and evaluation results
// (emo-eval --compare).
#include "emo/eval.hpp"
#include "emo/fusion.hpp"
#include "emo/prediction_json.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = emo::fuzz::as_file(data, size, ".json");
    emo::fuzz::expect_clean([&] { emo::fusion::read_prediction_json(path); });
    emo::fuzz::expect_clean([&] { emo::eval::read_result(path); });
    return 0;
}
