#include "augment.hpp"

#include <algorithm>
#include <cmath>

namespace emo::train {
namespace {
int uniform_int(std::mt19937& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
float uniform(std::mt19937& rng, float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(rng); }

// Fractional position x among n values: the two neighbours and the weight of the second. Positions
// past the end take the last value.
struct Neighbours {
    int first, second;
    float weight;
};
Neighbours neighbours_at(double x, int n) {
    const int i = std::min(int(x), n - 1);
    return {i, std::min(i + 1, n - 1), float(x - double(i))};
}
float blend(float a, float b, float weight) { return a * (1.0f - weight) + b * weight; }

void stretch_time(audio::Features& f, double rate) {
    const int frames = std::max(1, int(std::lround(f.num_frames / rate)));
    std::vector<float> out(std::size_t(frames) * std::size_t(f.dim));
    for (int t = 0; t < frames; ++t) {
        const auto at = neighbours_at(t * rate, f.num_frames);
        const float *a = f.frame(at.first), *b = f.frame(at.second);
        float* row = out.data() + std::size_t(t) * std::size_t(f.dim);
        for (int d = 0; d < f.dim; ++d) row[d] = blend(a[d], b[d], at.weight);
    }
    f.data = std::move(out);
    f.num_frames = frames;
}

// Band d takes the value of band d * scale; each block of `bands` (static, then deltas) alike.
void warp_bands(audio::Features& f, int bands, double scale) {
    std::vector<float> block(static_cast<std::size_t>(bands));
    for (int t = 0; t < f.num_frames; ++t) {
        for (int first = 0; first + bands <= f.dim; first += bands) {
            float* row = f.data.data() + std::size_t(t) * f.dim + first;
            std::copy_n(row, bands, block.begin());
            for (int d = 0; d < bands; ++d) {
                const auto at = neighbours_at(d * scale, bands);
                row[d] = blend(block[std::size_t(at.first)], block[std::size_t(at.second)], at.weight);
            }
        }
    }
}

// The static bands of dB log-mel features as mel power, [frames x bands].
struct MelPower {
    int frames, bands;
    std::vector<double> values;
    MelPower(const audio::Features& f, int base, float db_per_decade)
        : frames(f.num_frames), bands(base), values(std::size_t(frames) * std::size_t(base)) {
        for (int t = 0; t < frames; ++t)
            for (int d = 0; d < bands; ++d)
                at(t, d) = std::pow(10.0, f.data[std::size_t(t) * f.dim + d] / db_per_decade);
    }
    double& at(int t, int d) { return values[std::size_t(t) * std::size_t(bands) + std::size_t(d)]; }
};

// A room's late reverberation on the power envelope: each band gains an exponentially decaying
// tail of its own past (60 dB down after RT60), holding 0-12 dB less energy than the direct sound.
void add_reverb(MelPower& p, const audio::FeatureOptions& fo, const config::AugmentOptions& a, std::mt19937& rng) {
    const double rt60 = uniform(rng, 0.2f, a.reverb_rt60_max);
    const double wet = std::pow(10.0, -uniform(rng, 0.0f, 12.0f) / 10.0);
    const double decay = std::pow(10.0, -6.0 * (double(fo.hop_length) / fo.sample_rate) / rt60);
    for (int d = 0; d < p.bands; ++d) {
        double tail = 0.0, previous = 0.0;
        for (int t = 0; t < p.frames; ++t) {
            tail = decay * tail + (1.0 - decay) * previous;
            previous = p.at(t, d);
            p.at(t, d) += wet * tail;
        }
    }
}

// A narrow channel (telephone, cheap microphone): bands centred above a cutoff drawn in
// 3-7 kHz, or below one drawn in 0-300 Hz, fall to the clip's floor.
void limit_band(MelPower& p, const audio::FeatureOptions& fo, std::mt19937& rng) {
    const double high = std::exp(uniform(rng, std::log(3000.0f), std::log(7000.0f)));
    const double low = uniform(rng, 0.0f, 300.0f);
    const double fmax = fo.fmax > 0 ? fo.fmax : fo.sample_rate / 2.0;
    const double mel_lo = audio::hz_to_mel(fo.fmin, fo.mel_scale), mel_hi = audio::hz_to_mel(fmax, fo.mel_scale);
    const double floor = *std::min_element(p.values.begin(), p.values.end());
    for (int d = 0; d < p.bands; ++d) {
        const double centre = audio::mel_to_hz(mel_lo + (mel_hi - mel_lo) * (d + 1) / (p.bands + 1), fo.mel_scale);
        if (centre <= high && centre >= low) continue;
        for (int t = 0; t < p.frames; ++t) p.at(t, d) = floor;
    }
}

// Mean band power of the clip sets the noise level for the drawn SNR; white noise is about
// flat across area-normalised mel bands. Per-cell jitter mimics the noise's own variance.
void add_noise(MelPower& p, const config::AugmentOptions& a, std::mt19937& rng) {
    double mean_power = 0.0;
    for (double v : p.values) mean_power += v;
    mean_power /= double(p.values.size());
    const double snr_db = uniform(rng, a.noise_snr_min_db, a.noise_snr_max_db);
    const double noise = mean_power / std::pow(10.0, snr_db / 10.0);
    for (double& v : p.values) v += noise * uniform(rng, 0.5f, 1.5f);
}
}  // namespace

void augment_level(audio::Features& f, const config::SpeechInputOptions& input, const config::AugmentOptions& a,
                   std::mt19937& rng) {
    const auto& fo = input.features;
    if (fo.kind != audio::FeatureKind::kLogMel || !fo.to_db || f.data.empty()) return;
    const float db_per_decade = fo.power == 1.0f ? 20.0f : 10.0f;
    const float gain = a.gain_db > 0 ? uniform(rng, -a.gain_db, a.gain_db) * (db_per_decade / 20.0f) : 0.0f;
    const bool reverb = a.reverb_probability > 0 && uniform(rng, 0.0f, 1.0f) < a.reverb_probability;
    const bool band_limit = a.band_limit_probability > 0 && uniform(rng, 0.0f, 1.0f) < a.band_limit_probability;
    const bool noisy = uniform(rng, 0.0f, 1.0f) < a.noise_probability;
    const int base = fo.n_mels;  // deltas (if any) follow the static bands; leave them alone
    if (!noisy && !reverb && !band_limit) {
        for (int t = 0; t < f.num_frames; ++t)
            for (int d = 0; d < base; ++d) f.data[std::size_t(t) * f.dim + d] += gain;
        return;
    }
    MelPower power(f, base, db_per_decade);
    if (reverb) add_reverb(power, fo, a, rng);
    if (band_limit) limit_band(power, fo, rng);
    if (noisy) add_noise(power, a, rng);
    for (int t = 0; t < f.num_frames; ++t)
        for (int d = 0; d < base; ++d) {
            const double p = std::max(power.at(t, d), double(fo.amin));
            f.data[std::size_t(t) * f.dim + d] = float(db_per_decade * std::log10(p)) + gain;
        }
}

void warp_axes(audio::Features& f, const config::SpeechInputOptions& input, const config::AugmentOptions& a,
               std::mt19937& rng) {
    if (f.data.empty()) return;
    if (a.time_stretch > 0) stretch_time(f, uniform(rng, 1.0f - a.time_stretch, 1.0f + a.time_stretch));
    if (a.freq_warp > 0 && input.features.kind == audio::FeatureKind::kLogMel)
        warp_bands(f, input.features.n_mels, uniform(rng, 1.0f - a.freq_warp, 1.0f + a.freq_warp));
}

void crop_window(const audio::Features& f, int seg, bool random_start, std::mt19937& rng, float* out) {
    std::fill(out, out + std::size_t(f.dim) * std::size_t(seg), 0.0f);
    int src = 0, dst = 0;
    const int slack = std::abs(f.num_frames - seg);
    const int offset = random_start ? uniform_int(rng, 0, slack) : slack / 2;
    if (f.num_frames > seg) src = offset;
    else dst = offset;
    const int frames = std::min(seg, f.num_frames);
    for (int t = 0; t < frames; ++t) {
        const float* row = f.frame(src + t);
        for (int d = 0; d < f.dim; ++d) out[std::size_t(d) * seg + std::size_t(dst + t)] = row[d];
    }
}

void spec_augment(float* window, int dim, int seg, const config::AugmentOptions& a, std::mt19937& rng) {
    for (int m = 0; m < a.time_masks && a.time_mask_frames > 0; ++m) {
        const int width = uniform_int(rng, 0, std::min(a.time_mask_frames, seg));
        const int start = uniform_int(rng, 0, seg - width);
        for (int d = 0; d < dim; ++d) std::fill_n(window + std::size_t(d) * seg + start, width, 0.0f);
    }
    for (int m = 0; m < a.freq_masks && a.freq_mask_bins > 0; ++m) {
        const int width = uniform_int(rng, 0, std::min(a.freq_mask_bins, dim));
        const int start = uniform_int(rng, 0, dim - width);
        std::fill_n(window + std::size_t(start) * seg, std::size_t(width) * seg, 0.0f);
    }
}

}  // namespace emo::train
