#pragma once
// Multi-corpus training: which labels each clip's corpus has (the loss ignores the others) and how
// the clips of an epoch are drawn so that corpora and classes are balanced as the config says.
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "emo/config.hpp"
#include "emo/data.hpp"

namespace emo::train {

// Per clip, one byte per entry of `labels`: 1 when the clip's corpus has that label (in
// `corpus_labels`, corpus name -> labels; a clip of no named corpus may be any label). Row-major,
// clips.size() x labels.size(). Empty when every corpus has every label, so the loss needs no mask
// (and trains exactly as without corpora).
std::vector<std::uint8_t> corpus_label_masks(const std::vector<data::Sample>& clips,
                                             const std::map<std::string, std::vector<std::string>>& corpus_labels,
                                             const std::vector<std::string>& labels);

// Per clip, its relative chance of being drawn under cfg.sampling and the corpora's weights in
// cfg.data (by name; a corpus not listed weighs 1). Empty when sampling is plain: every clip once per
// epoch, shuffled.
std::vector<double> draw_weights(const std::vector<data::Sample>& clips, const config::SpeechConfig& cfg);

// Expected number of clips of each label (index into `labels`) in an epoch of `draws` clips drawn
// with `weights` (empty: each clip once). For class weights that undo what sampling leaves unbalanced.
std::vector<double> expected_label_counts(const std::vector<int>& clip_labels, const std::vector<double>& weights,
                                          int num_labels);

// The clips of the next epoch: `order` shuffled in place when `weights` is empty, else refilled with
// order.size() clips drawn with replacement.
void next_epoch(std::vector<std::int64_t>& order, const std::vector<double>& weights, std::mt19937& rng);

}  // namespace emo::train
