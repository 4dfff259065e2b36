#include <algorithm>
#include <stdexcept>

#include "emo/argmax.hpp"
#include "emo/core.hpp"
#include "emo/emo.hpp"

namespace emo {

std::string version() { return kVersion; }

std::size_t Scores::best() const {
    if (values.empty()) throw std::logic_error("emo::Scores::best: no scores (a clip without speech?)");
    return core::argmax(values);
}

const std::string& Scores::label() const { return labels.at(best()); }

float Scores::confidence() const { return values[best()]; }

float Scores::of(const std::string& label) const {
    const auto it = std::find(labels.begin(), labels.end(), label);
    if (it == labels.end()) throw std::out_of_range("emo::Scores::of: no label '" + label + "'");
    return values.at(std::size_t(it - labels.begin()));
}

const FaceResult* ImageResult::largest_face() const {
    const FaceResult* largest = nullptr;
    for (const auto& f : faces)
        if (!largest || f.box.width * f.box.height > largest->box.width * largest->box.height) largest = &f;
    return largest;
}

}  // namespace emo
