#pragma once
// Training-time augmentation on feature matrices (torch-free): gain and noise on dB log-mel
// features before normalisation, SpecAugment masks and random crops after it.
#include <random>

#include "emo/audio.hpp"
#include "emo/config.hpp"

namespace emo::train {

// Random gain and additive noise, applied in the mel-power domain of dB log-mel features.
// No effect on MFCC features (their dB-domain relation is not additive per band).
void augment_level(audio::Features& f, const config::SpeechInputOptions& input, const config::AugmentOptions& a,
                   std::mt19937& rng);

// Cuts a [dim x seg] window (column-major by frame, i.e. out[d * seg + t]) from normalised
// features, zero-padded; random start when a.random_crop, else centred.
void crop_window(const audio::Features& f, int seg, bool random_start, std::mt19937& rng, float* out);

// SpecAugment: zeroes random time and frequency stripes of a [dim x seg] window.
void spec_augment(float* window, int dim, int seg, const config::AugmentOptions& a, std::mt19937& rng);

}  // namespace emo::train
