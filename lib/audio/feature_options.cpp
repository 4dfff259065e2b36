#include <string>

#include "emo/audio.hpp"
#include "emo/error.hpp"

namespace emo::audio {
namespace {
void require(bool ok, const std::string& field, const std::string& expected, const std::string& got) {
    if (!ok) throw ConfigError("features." + field + ": expected " + expected + ", got " + got);
}
}  // namespace

void FeatureOptions::validate() const {
    require(sample_rate >= 1000, "sample_rate", ">= 1000 Hz", std::to_string(sample_rate));
    require(n_fft >= 16, "n_fft", ">= 16", std::to_string(n_fft));
    require(win_length >= 1 && win_length <= n_fft, "win_length", "1..n_fft (" + std::to_string(n_fft) + ")",
            std::to_string(win_length));
    require(hop_length >= 1, "hop_length", ">= 1", std::to_string(hop_length));
    require(n_mels >= 1 && n_mels <= n_fft / 2 + 1, "n_mels", "1..n_fft/2+1", std::to_string(n_mels));
    const float nyquist = float(sample_rate) / 2.0f;
    const float top = fmax > 0.0f ? fmax : nyquist;
    require(fmin >= 0.0f && fmin < top, "fmin", ">= 0 and < fmax", std::to_string(fmin));
    require(top <= nyquist, "fmax", "<= sample_rate/2 (" + std::to_string(nyquist) + ")", std::to_string(fmax));
    require(power > 0.0f, "power", "> 0", std::to_string(power));
    require(amin > 0.0f, "amin", "> 0", std::to_string(amin));
    if (kind == FeatureKind::kMfcc) {
        require(n_mfcc >= 1 && n_mfcc <= n_mels, "n_mfcc", "1..n_mels", std::to_string(n_mfcc));
        require(to_db, "to_db", "true for MFCC", "false");
    }
    require(deltas >= 0 && deltas <= 2, "deltas", "0, 1 or 2", std::to_string(deltas));
    require(delta_width >= 3 && delta_width % 2 == 1, "delta_width", "odd >= 3", std::to_string(delta_width));
}

}  // namespace emo::audio
