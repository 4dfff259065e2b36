// STFT -> mel -> dB -> (DCT) -> (deltas), as torchaudio MelSpectrogram/AmplitudeToDB/MFCC.
#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <mutex>

#include "emo/audio.hpp"
#include "emo/error.hpp"

namespace emo::audio {
namespace {

std::mutex& fftw_planner_mutex() {  // FFTW's planner is not thread-safe; execution is.
    static std::mutex m;
    return m;
}

// Periodic window of win_length, zero-padded to n_fft and centred (torch.stft semantics).
std::vector<float> make_window(const FeatureOptions& o) {
    std::vector<float> w(std::size_t(o.n_fft), 0.0f);
    const int offset = (o.n_fft - o.win_length) / 2;
    const double pi = 3.14159265358979323846;
    for (int i = 0; i < o.win_length; ++i) {
        const double phase = 2.0 * pi * i / o.win_length;
        double v = 1.0;
        if (o.window == Window::kHann) v = 0.5 - 0.5 * std::cos(phase);
        if (o.window == Window::kHamming) v = 0.54 - 0.46 * std::cos(phase);
        w[std::size_t(offset + i)] = float(v);
    }
    return w;
}

// Orthonormal DCT-II, [n_mfcc x n_mels] row-major (torchaudio create_dct(norm="ortho")^T).
std::vector<float> make_dct(int n_mfcc, int n_mels) {
    std::vector<float> dct(std::size_t(n_mfcc) * std::size_t(n_mels));
    const double pi = 3.14159265358979323846;
    for (int k = 0; k < n_mfcc; ++k) {
        const double scale = k == 0 ? std::sqrt(1.0 / n_mels) : std::sqrt(2.0 / n_mels);
        for (int n = 0; n < n_mels; ++n) {
            dct[std::size_t(k) * n_mels + n] = float(scale * std::cos(pi / n_mels * (n + 0.5) * k));
        }
    }
    return dct;
}

// Reflect padding without repeating the edge sample (numpy "reflect").
float reflect_at(const float* x, long n, long i) {
    if (n == 1) return x[0];
    const long period = 2 * (n - 1);
    i %= period;
    if (i < 0) i += period;
    return x[i < n ? i : period - i];
}

// Each mel filter is non-zero on a short run of FFT bins: store only that run.
struct SparseFilter {
    int first_bin = 0;
    std::vector<float> weights;
};

std::vector<SparseFilter> sparse_filters(const std::vector<float>& fb, int n_freqs, int n_mels) {
    std::vector<SparseFilter> filters(static_cast<std::size_t>(n_mels));
    for (int m = 0; m < n_mels; ++m) {
        int first = n_freqs, last = -1;
        for (int k = 0; k < n_freqs; ++k) {
            if (fb[std::size_t(k) * std::size_t(n_mels) + std::size_t(m)] != 0.0f) {
                first = std::min(first, k);
                last = k;
            }
        }
        auto& f = filters[std::size_t(m)];
        f.first_bin = last < 0 ? 0 : first;
        for (int k = f.first_bin; k <= last; ++k)
            f.weights.push_back(fb[std::size_t(k) * std::size_t(n_mels) + std::size_t(m)]);
    }
    return filters;
}
}  // namespace

struct FeatureExtractor::Impl {
    int n_freqs = 0;
    std::vector<float> window, dct;
    std::vector<SparseFilter> filters;
    float* frame = nullptr;             // n_fft real inputs
    fftwf_complex* spectrum = nullptr;  // n_fft/2+1 outputs
    fftwf_plan plan = nullptr;
    std::vector<float> power;  // n_freqs

    explicit Impl(const FeatureOptions& o) : n_freqs(o.n_fft / 2 + 1) {
        window = make_window(o);
        filters = sparse_filters(mel_filterbank(o), n_freqs, o.n_mels);
        if (o.kind == FeatureKind::kMfcc) dct = make_dct(o.n_mfcc, o.n_mels);
        power.resize(std::size_t(n_freqs));
        std::lock_guard<std::mutex> lock(fftw_planner_mutex());
        frame = fftwf_alloc_real(std::size_t(o.n_fft));
        spectrum = fftwf_alloc_complex(std::size_t(n_freqs));
        plan = fftwf_plan_dft_r2c_1d(o.n_fft, frame, spectrum, FFTW_ESTIMATE);
        if (!plan) throw RuntimeError("FFTW: cannot plan a " + std::to_string(o.n_fft) + "-point FFT");
    }
    ~Impl() {
        std::lock_guard<std::mutex> lock(fftw_planner_mutex());
        if (plan) fftwf_destroy_plan(plan);
        fftwf_free(frame);
        fftwf_free(spectrum);
    }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
};

FeatureExtractor::FeatureExtractor(const FeatureOptions& opts) : opts_(opts) {
    opts_.validate();
    impl_ = std::make_unique<Impl>(opts_);
}
FeatureExtractor::FeatureExtractor(FeatureExtractor&&) noexcept = default;
FeatureExtractor& FeatureExtractor::operator=(FeatureExtractor&&) noexcept = default;
FeatureExtractor::~FeatureExtractor() = default;

Features FeatureExtractor::compute(const float* samples, std::size_t n) {
    const FeatureOptions& o = opts_;
    Impl& im = *impl_;
    const long len = static_cast<long>(n);
    const long pad = o.center ? o.n_fft / 2 : 0;
    long num_frames = 0;
    if (len > 0 && len + 2 * pad >= o.n_fft) num_frames = 1 + (len + 2 * pad - o.n_fft) / o.hop_length;

    Features mel;
    mel.num_frames = int(num_frames);
    mel.dim = o.n_mels;
    mel.data.assign(std::size_t(num_frames) * std::size_t(o.n_mels), 0.0f);
    for (long t = 0; t < num_frames; ++t) {
        const long start = t * o.hop_length - pad;
        for (int i = 0; i < o.n_fft; ++i) {
            const long j = start + i;
            const float x = (j >= 0 && j < len) ? samples[j] : (o.center ? reflect_at(samples, len, j) : 0.0f);
            im.frame[i] = x * im.window[std::size_t(i)];
        }
        fftwf_execute(im.plan);
        for (int k = 0; k < im.n_freqs; ++k) {
            const double re = im.spectrum[k][0], imag = im.spectrum[k][1];
            const double mag2 = re * re + imag * imag;
            im.power[std::size_t(k)] = float(o.power == 2.0f ? mag2 : std::pow(mag2, o.power / 2.0));
        }
        float* row = mel.data.data() + std::size_t(t) * std::size_t(o.n_mels);
        for (int m = 0; m < o.n_mels; ++m) {
            const auto& filter = im.filters[std::size_t(m)];
            const float* p = im.power.data() + filter.first_bin;
            float acc = 0.0f;
            for (std::size_t i = 0; i < filter.weights.size(); ++i) acc += p[i] * filter.weights[i];
            row[m] = acc;
        }
    }

    if (o.to_db && !mel.data.empty()) {
        const float multiplier = o.power == 1.0f ? 20.0f : 10.0f;
        float peak = -1e30f;
        for (float& v : mel.data) {
            v = multiplier * std::log10(std::max(v, o.amin));
            peak = std::max(peak, v);
        }
        if (o.top_db > 0.0f) {
            const float floor = peak - o.top_db;
            for (float& v : mel.data) v = std::max(v, floor);
        }
    }

    Features out = mel;
    if (o.kind == FeatureKind::kMfcc) {
        out.dim = o.n_mfcc;
        out.data.assign(std::size_t(num_frames) * std::size_t(o.n_mfcc), 0.0f);
        for (long t = 0; t < num_frames; ++t) {
            const float* in = mel.frame(int(t));
            float* dst = out.data.data() + std::size_t(t) * std::size_t(o.n_mfcc);
            for (int k = 0; k < o.n_mfcc; ++k) {
                const float* basis = im.dct.data() + std::size_t(k) * std::size_t(o.n_mels);
                double acc = 0.0;
                for (int m = 0; m < o.n_mels; ++m) acc += double(basis[m]) * in[m];
                dst[k] = float(acc);
            }
        }
    }
    if (o.deltas > 0) out = append_deltas(out, o.deltas, o.delta_width);
    return out;
}

Features append_deltas(const Features& f, int order, int width) {
    if (order < 1 || order > 2) throw ConfigError("deltas: expected 1 or 2, got " + std::to_string(order));
    const int half = (width - 1) / 2;
    double denom = 0.0;
    for (int k = 1; k <= half; ++k) denom += 2.0 * k * k;

    // Deltas of a [T x D] block, replicate padding at the edges.
    auto delta_of = [&](const std::vector<float>& src, int dim) {
        std::vector<float> d(src.size(), 0.0f);
        for (int t = 0; t < f.num_frames; ++t) {
            for (int c = 0; c < dim; ++c) {
                double acc = 0.0;
                for (int k = 1; k <= half; ++k) {
                    const int next = std::min(t + k, f.num_frames - 1), prev = std::max(t - k, 0);
                    acc += k * (double(src[std::size_t(next) * dim + c]) - src[std::size_t(prev) * dim + c]);
                }
                d[std::size_t(t) * dim + c] = float(acc / denom);
            }
        }
        return d;
    };
    std::vector<std::vector<float>> blocks{f.data};
    blocks.push_back(delta_of(blocks.back(), f.dim));
    if (order == 2) blocks.push_back(delta_of(blocks.back(), f.dim));

    Features out;
    out.num_frames = f.num_frames;
    out.dim = f.dim * int(blocks.size());
    out.data.resize(std::size_t(out.num_frames) * std::size_t(out.dim));
    for (int t = 0; t < f.num_frames; ++t) {
        for (std::size_t b = 0; b < blocks.size(); ++b) {
            std::copy_n(blocks[b].data() + std::size_t(t) * f.dim, f.dim,
                        out.data.data() + std::size_t(t) * out.dim + b * std::size_t(f.dim));
        }
    }
    return out;
}

}  // namespace emo::audio
