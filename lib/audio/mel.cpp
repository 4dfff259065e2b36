// Mel scales and filterbank, matching torchaudio.functional.melscale_fbanks (and librosa.filters.mel).
#include <algorithm>
#include <cmath>

#include "emo/audio.hpp"

namespace emo::audio {
namespace {
// Slaney's auditory toolbox: linear below 1 kHz, logarithmic above.
constexpr double kSlaneyFSp = 200.0 / 3.0;
constexpr double kSlaneyMinLogHz = 1000.0;
constexpr double kSlaneyMinLogMel = kSlaneyMinLogHz / kSlaneyFSp;
const double kSlaneyLogStep = std::log(6.4) / 27.0;
}  // namespace

double hz_to_mel(double hz, MelScale scale) {
    if (scale == MelScale::kHtk) return 2595.0 * std::log10(1.0 + hz / 700.0);
    if (hz < kSlaneyMinLogHz) return hz / kSlaneyFSp;
    return kSlaneyMinLogMel + std::log(hz / kSlaneyMinLogHz) / kSlaneyLogStep;
}

double mel_to_hz(double mel, MelScale scale) {
    if (scale == MelScale::kHtk) return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0);
    if (mel < kSlaneyMinLogMel) return mel * kSlaneyFSp;
    return kSlaneyMinLogHz * std::exp(kSlaneyLogStep * (mel - kSlaneyMinLogMel));
}

std::vector<float> mel_filterbank(const FeatureOptions& opts) {
    const int n_freqs = opts.n_fft / 2 + 1;
    const double fmax = opts.fmax > 0.0f ? opts.fmax : opts.sample_rate / 2.0;
    const double mel_min = hz_to_mel(opts.fmin, opts.mel_scale);
    const double mel_max = hz_to_mel(fmax, opts.mel_scale);
    std::vector<double> f_pts(std::size_t(opts.n_mels) + 2);
    for (std::size_t i = 0; i < f_pts.size(); ++i) {
        const double mel = mel_min + (mel_max - mel_min) * double(i) / double(opts.n_mels + 1);
        f_pts[i] = mel_to_hz(mel, opts.mel_scale);
    }
    std::vector<float> fb(std::size_t(n_freqs) * std::size_t(opts.n_mels), 0.0f);
    for (int k = 0; k < n_freqs; ++k) {
        const double freq = (opts.sample_rate / 2.0) * k / double(n_freqs - 1);
        for (int m = 0; m < opts.n_mels; ++m) {
            const double lower = (freq - f_pts[m]) / (f_pts[m + 1] - f_pts[m]);
            const double upper = (f_pts[m + 2] - freq) / (f_pts[m + 2] - f_pts[m + 1]);
            double w = std::max(0.0, std::min(lower, upper));
            if (opts.mel_norm == MelNorm::kSlaney) w *= 2.0 / (f_pts[m + 2] - f_pts[m]);
            fb[std::size_t(k) * opts.n_mels + m] = float(w);
        }
    }
    return fb;
}

}  // namespace emo::audio
