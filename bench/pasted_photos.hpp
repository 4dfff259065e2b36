// Photos made from PublicTest faces: 64-200 px, turned by up to +-25 degrees, 1-4 per 640x480
// photo, on textured backgrounds, with their labels and exact placement known. Shared by the
// benches that measure faces in photos (bench_photos, bench_crop_geometry).
#pragma once
#include <opencv2/core.hpp>

#include <string>
#include <vector>

#include "emo/data.hpp"
#include "emo/vision.hpp"

namespace bench {
struct PlacedFace {
    std::string source;  // the FER2013 crop
    int label = 0;       // index into the model's labels
    emo::vision::FaceBox box;
    double degrees = 0;  // turned counter-clockwise about the box's centre
    // Source crop pixels -> photo pixels: the resize to the box and the turn.
    cv::Matx23d crop_to_photo(int crop_side) const;
};
struct Photo {
    std::string path;
    std::vector<PlacedFace> faces;
};

// How a face meets the backdrop: inside the circle its box bounds (the corners show the backdrop,
// as a cut-out face on another picture would), or its whole turned square (edge pixels repeated
// into the corners the turn uncovers).
enum class Paste { kRound, kSquare };

// Writes `count` photos to `dir` (seeded: the same photos every run). `sharpen` > 0: each enlarged face gets an
// unsharp mask of that amount at the scale of one source pixel, as a sharp studio photo of the face would look.
std::vector<Photo> make_photos(const emo::data::Dataset& faces, const std::vector<std::string>& labels, int count,
                               const std::string& dir, Paste paste = Paste::kRound, double sharpen = 0);
// The affine map that applies `first`, then `second`.
cv::Matx23d then(const cv::Matx23d& first, const cv::Matx23d& second);
// The found face that overlaps `placed` most (box overlap at least 0.3) among those not yet `used`,
// marked used; -1 when none.
int match(const PlacedFace& placed, const std::vector<emo::vision::Face>& found, std::vector<bool>& used);
}  // namespace bench
