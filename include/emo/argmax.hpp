#pragma once
// The index of the largest value, the first of equals: how every prediction's label is chosen from its scores.
#include <algorithm>
#include <cstddef>
#include <vector>

namespace emo::core {

inline std::size_t argmax(const std::vector<float>& values) {
    return std::size_t(std::max_element(values.begin(), values.end()) - values.begin());
}

}  // namespace emo::core
