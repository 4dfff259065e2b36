#pragma once
// Training-time augmentation of face batches, on tensors (whole batch at once): flip, rotation,
// scale, shift, brightness/contrast, gamma, sharpness and random erasing. Uses torch's global generator (seeded).
#include <torch/torch.h>

#include "emo/config.hpp"

namespace emo::train {

// `faces`: [B, 1, S, S] pixels scaled to 0..1. Returns augmented faces, still in 0..1 (random
// erasing fills with the batch mean so normalisation maps it near 0).
torch::Tensor augment_faces(const torch::Tensor& faces, const config::FaceAugmentOptions& a);

}  // namespace emo::train
