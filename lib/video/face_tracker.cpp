#include "emo/face_tracker.hpp"

#include <algorithm>
#include <tuple>

namespace emo::video {

float box_overlap(const vision::FaceBox& a, const vision::FaceBox& b) {
    const int x0 = std::max(a.x, b.x), y0 = std::max(a.y, b.y);
    const int x1 = std::min(a.x + a.width, b.x + b.width), y1 = std::min(a.y + a.height, b.y + b.height);
    if (x1 <= x0 || y1 <= y0) return 0.0f;
    const double inter = double(x1 - x0) * (y1 - y0);
    const double uni = double(a.width) * a.height + double(b.width) * b.height - inter;
    return uni > 0 ? float(inter / uni) : 0.0f;
}

FaceTracker::FaceTracker(float min_overlap, double max_gap_seconds)
    : min_overlap_(min_overlap), max_gap_(max_gap_seconds) {}

std::vector<int> FaceTracker::assign(const std::vector<vision::FaceBox>& boxes, double t) {
    tracks_.erase(
        std::remove_if(tracks_.begin(), tracks_.end(), [&](const Track& k) { return t - k.last_seen > max_gap_; }),
        tracks_.end());
    std::vector<std::tuple<float, std::size_t, std::size_t>> pairs;  // overlap, box, track
    for (std::size_t b = 0; b < boxes.size(); ++b) {
        for (std::size_t k = 0; k < tracks_.size(); ++k) {
            const float overlap = box_overlap(boxes[b], tracks_[k].box);
            if (overlap >= min_overlap_) pairs.emplace_back(overlap, b, k);
        }
    }
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
    std::vector<int> ids(boxes.size(), 0);
    std::vector<bool> track_taken(tracks_.size(), false);
    for (const auto& [overlap, b, k] : pairs) {
        if (ids[b] != 0 || track_taken[k]) continue;
        ids[b] = tracks_[k].id;
        track_taken[k] = true;
        tracks_[k].box = boxes[b];
        tracks_[k].last_seen = t;
    }
    for (std::size_t b = 0; b < boxes.size(); ++b) {
        if (ids[b] != 0) continue;
        ids[b] = next_id_++;
        tracks_.push_back({ids[b], boxes[b], t});
    }
    return ids;
}

}  // namespace emo::video
