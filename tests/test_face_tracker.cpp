// Face tracks across sampled video frames: the same face keeps its number, a new one gets a new one.
#include "emo/face_tracker.hpp"
#include "helpers.hpp"

using emo::vision::FaceBox;

TEST_CASE("box overlap is intersection over union") {
    CHECK(emo::video::box_overlap({0, 0, 10, 10, 1, {}}, {0, 0, 10, 10, 1, {}}) == Approx(1.0));
    CHECK(emo::video::box_overlap({0, 0, 10, 10, 1, {}}, {5, 0, 10, 10, 1, {}}) == Approx(50.0 / 150.0));
    CHECK(emo::video::box_overlap({0, 0, 10, 10, 1, {}}, {20, 20, 10, 10, 1, {}}) == 0.0f);
}

TEST_CASE("two faces that move and swap their size order keep their track ids") {
    emo::video::FaceTracker tracker;
    // Largest first, as the detector gives them: left face larger at first, then the right one.
    CHECK(tracker.assign({{100, 100, 80, 80, 1, {}}, {400, 100, 60, 60, 1, {}}}, 0.0) == std::vector<int>{1, 2});
    CHECK(tracker.assign({{405, 102, 85, 85, 1, {}}, {110, 100, 80, 80, 1, {}}}, 0.5) == std::vector<int>{2, 1});
    // One frame without the left face, then it is back: same id within the gap.
    CHECK(tracker.assign({{415, 110, 90, 90, 1, {}}}, 1.0) == std::vector<int>{2});
    CHECK(tracker.assign({{120, 100, 80, 80, 1, {}}, {420, 110, 90, 90, 1, {}}}, 1.5) == std::vector<int>{1, 2});
    // A third face appears: a new id.
    CHECK(tracker.assign({{120, 100, 80, 80, 1, {}}, {420, 110, 90, 90, 1, {}}, {250, 300, 50, 50, 1, {}}}, 2.0) ==
          std::vector<int>{1, 2, 3});
    CHECK(tracker.tracks_started() == 3);
}

TEST_CASE("a face gone longer than the gap, or jumping far, starts a new track") {
    emo::video::FaceTracker tracker(0.3f, 2.0);
    CHECK(tracker.assign({{100, 100, 80, 80, 1, {}}}, 0.0) == std::vector<int>{1});
    CHECK(tracker.assign({{100, 100, 80, 80, 1, {}}}, 3.0) == std::vector<int>{2});
    CHECK(tracker.assign({{300, 100, 80, 80, 1, {}}}, 3.5) == std::vector<int>{3});
    // Two boxes on one track's place: only the better overlap continues it.
    CHECK(tracker.assign({{305, 100, 80, 80, 1, {}}, {300, 100, 80, 80, 1, {}}}, 4.0) == std::vector<int>{4, 3});
}
