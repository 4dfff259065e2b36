#pragma once
// Training-time augmentation on feature matrices (torch-free): gain, noise and axis warping on dB log-mel
// features before normalisation, SpecAugment masks and random crops after it.
#include <random>

#include "emo/audio.hpp"
#include "emo/config.hpp"

namespace emo::train {

// Random gain and additive noise, applied in the mel-power domain of dB log-mel features.
// No effect on MFCC features (their dB-domain relation is not additive per band).
void augment_level(audio::Features& f, const config::SpeechInputOptions& input, const config::AugmentOptions& a,
                   std::mt19937& rng);

// Speed-perturbation stand-in on dB log-mel features: resamples the frames by a rate drawn in
// 1 +- a.time_stretch (tempo) and stretches each frame's mel axis by a factor drawn in
// 1 +- a.freq_warp (pitch and formant height, as a different vocal tract would), by linear
// interpolation. The mel axis is left alone for MFCC features (cepstra do not warp that way).
void warp_axes(audio::Features& f, const config::SpeechInputOptions& input, const config::AugmentOptions& a,
               std::mt19937& rng);

// Cuts a [dim x seg] window (column-major by frame, i.e. out[d * seg + t]) from normalised
// features, zero-padded; random start when a.random_crop, else centred.
void crop_window(const audio::Features& f, int seg, bool random_start, std::mt19937& rng, float* out);

// SpecAugment: zeroes random time and frequency stripes of a [dim x seg] window.
void spec_augment(float* window, int dim, int seg, const config::AugmentOptions& a, std::mt19937& rng);

}  // namespace emo::train
