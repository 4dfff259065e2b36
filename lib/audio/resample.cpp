#include <soxr.h>

#include <cmath>

#include "emo/audio.hpp"
#include "emo/error.hpp"

namespace emo::audio {

std::vector<float> resample(const std::vector<float>& samples, int from_rate, int to_rate) {
    if (from_rate <= 0 || to_rate <= 0) {
        throw ConfigError("resample: expected positive sample rates, got " + std::to_string(from_rate) + " -> " +
                          std::to_string(to_rate));
    }
    if (from_rate == to_rate || samples.empty()) return samples;
    const double ratio = double(to_rate) / double(from_rate);
    std::vector<float> out(static_cast<std::size_t>(std::ceil(double(samples.size()) * ratio)) + 16);
    std::size_t done = 0;
    const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
    const soxr_error_t err = soxr_oneshot(from_rate, to_rate, 1, samples.data(), samples.size(), nullptr, out.data(),
                                          out.size(), &done, &io, &quality, nullptr);
    if (err) throw RuntimeError(std::string("resample: libsoxr failed: ") + err);
    out.resize(done);
    return out;
}

}  // namespace emo::audio
