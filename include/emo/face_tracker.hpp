#pragma once
// Which face is which across the sampled frames of a video: box overlap, frame to frame.
#include <vector>

#include "emo/vision.hpp"

namespace emo::video {

class FaceTracker {
public:
    // A box continues a track when it overlaps the track's last box by at least `min_overlap`
    // (intersection over union) and the track was seen within `max_gap_seconds`.
    explicit FaceTracker(float min_overlap = 0.3f, double max_gap_seconds = 2.0);
    // The track id (1, 2, ...) of each box of the frame at time `t`, in the boxes' order. Pairs are
    // matched greedily, best overlap first; a track takes at most one box per frame; a box that
    // continues no track starts a new one.
    std::vector<int> assign(const std::vector<vision::FaceBox>& boxes, double t);
    // How many tracks have been started so far.
    int tracks_started() const { return next_id_ - 1; }

private:
    struct Track {
        int id = 0;
        vision::FaceBox box;
        double last_seen = 0;
    };
    float min_overlap_;
    double max_gap_;
    int next_id_ = 1;
    std::vector<Track> tracks_;
};

// Intersection over union of two boxes, 0..1.
float box_overlap(const vision::FaceBox& a, const vision::FaceBox& b);

}  // namespace emo::video
