#pragma once
// Audio in, features out: decoding (libsndfile), resampling (libsoxr), silence trimming,
// log-mel spectrograms and MFCCs (FFTW) with librosa/torchaudio semantics.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace emo::audio {

// Mono audio. Samples are floats in [-1, 1].
struct Audio {
    int sample_rate = 0;  // Hz
    std::vector<float> samples;
    double duration_s() const { return sample_rate ? double(samples.size()) / sample_rate : 0.0; }
};

// Decodes any format libsndfile reads (WAV with extra chunks, FLAC, OGG, AIFF, ...), chosen by
// content, not extension. Channels are averaged to mono. Throws InputError naming the path when
// the file is missing, not audio, empty or truncated.
Audio read_audio(const std::string& path);

// Band-limited resampling with libsoxr (high quality). Returns the input when rates are equal.
// Throws ConfigError for a non-positive rate.
std::vector<float> resample(const std::vector<float>& samples, int from_rate, int to_rate);

// read_audio + resample to `sample_rate`.
Audio load_audio(const std::string& path, int sample_rate);

// Leading/trailing silence removal like librosa.effects.trim: frames whose RMS is more than
// `top_db` below the loudest frame are silence. An all-silent clip is returned unchanged.
struct TrimOptions {
    float top_db = 40.0f;     // dB below the peak frame RMS; <= 0 disables trimming
    int frame_length = 1024;  // samples
    int hop_length = 256;     // samples
    void validate() const;    // throws ConfigError
};
std::vector<float> trim_silence(const std::vector<float>& samples, const TrimOptions& opts);

// Whether a clip holds speech, by energy: 20 ms frames whose RMS reaches `speech_db` (dBFS) count
// as voiced, and `min_speech_seconds` of voiced frames make speech. Digital silence, hiss and hum far
// below speech level, and clips shorter than that hold none.
struct VoiceActivityOptions {
    float speech_db = -60.0f;         // < 0; the softest RAVDESS clips peak near -55 dBFS
    float min_speech_seconds = 0.2f;  // 0: every clip holds speech
    void validate() const;            // throws ConfigError
};
bool has_speech(const std::vector<float>& samples, int sample_rate, const VoiceActivityOptions& opts);

enum class Window { kHann, kHamming, kRectangular };
enum class MelScale { kSlaney, kHtk };
enum class MelNorm { kNone, kSlaney };  // kSlaney: each filter has unit area (librosa norm=1)
enum class FeatureKind { kLogMel, kMfcc };

// Defaults equal torchaudio.transforms.MelSpectrogram(mel_scale="slaney", norm="slaney") followed
// by AmplitudeToDB(top_db=80), i.e. librosa.feature.melspectrogram + power_to_db.
struct FeatureOptions {
    FeatureKind kind = FeatureKind::kLogMel;
    int sample_rate = 16000;        // Hz; input must already be at this rate
    int n_fft = 512;                // FFT size, >= win_length
    int win_length = 400;           // samples (25 ms at 16 kHz); window is centred in n_fft
    int hop_length = 160;           // samples (10 ms at 16 kHz)
    Window window = Window::kHann;  // periodic, as torch.hann_window
    bool center = true;             // reflect-pad n_fft/2 on both sides (librosa/torch default)
    int n_mels = 64;
    float fmin = 0.0f;  // Hz
    float fmax = 0.0f;  // Hz; 0 means sample_rate / 2
    MelScale mel_scale = MelScale::kSlaney;
    MelNorm mel_norm = MelNorm::kSlaney;
    float power = 2.0f;  // 1: magnitude, 2: power spectrum
    bool to_db = true;   // 10*log10(max(x, amin)) (power) or 20*log10 (magnitude)
    float amin = 1e-10f;
    float top_db = 80.0f;  // clip to (max - top_db) over the whole clip; <= 0 disables
    int n_mfcc = 40;       // kMfcc only: orthonormal DCT-II of the dB mel spectrogram
    int deltas = 0;        // 0, 1 (append deltas) or 2 (deltas and delta-deltas)
    int delta_width = 5;   // odd >= 3; torchaudio.functional.compute_deltas, replicate edges

    void validate() const;  // throws ConfigError naming the field
    int base_dim() const { return kind == FeatureKind::kMfcc ? n_mfcc : n_mels; }
    int dim() const { return base_dim() * (1 + deltas); }
};

// Row-major [num_frames x dim].
struct Features {
    int num_frames = 0, dim = 0;
    std::vector<float> data;
    const float* frame(int t) const { return data.data() + std::size_t(t) * std::size_t(dim); }
};

// Mel filterbank as in torchaudio.functional.melscale_fbanks: [n_fft/2+1 x n_mels], row-major.
std::vector<float> mel_filterbank(const FeatureOptions& opts);
double hz_to_mel(double hz, MelScale scale);
double mel_to_hz(double mel, MelScale scale);

// Builds window, filterbank, DCT matrix and FFT plan once; reuse it for every clip.
// Move-only; not thread-safe (one per thread).
class FeatureExtractor {
public:
    explicit FeatureExtractor(const FeatureOptions& opts);  // validates
    FeatureExtractor(FeatureExtractor&&) noexcept;
    FeatureExtractor& operator=(FeatureExtractor&&) noexcept;
    ~FeatureExtractor();

    // Mono samples at opts.sample_rate. An empty input gives 0 frames, not an error.
    Features compute(const float* samples, std::size_t n);
    Features compute(const std::vector<float>& s) { return compute(s.data(), s.size()); }
    const FeatureOptions& options() const { return opts_; }

private:
    struct Impl;
    FeatureOptions opts_;
    std::unique_ptr<Impl> impl_;
};

// Appends regression deltas (torchaudio compute_deltas, replicate padding) of `order` 1 or 2.
Features append_deltas(const Features& f, int order, int width);

}  // namespace emo::audio
