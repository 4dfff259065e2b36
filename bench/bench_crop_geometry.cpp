// Where a face found in a photo loses against the same face as a FER2013 crop (issue 33). The photos
// are bench_photos's (PublicTest faces pasted at 64-200 px, turned up to +-25 degrees), so each found
// face's true placement is known, and the crop that alignment cut can be compared with the original:
//   crop         the FER2013 crop itself;
//   placement    the photo cut back through the true placement (the paste's resampling and the
//                backdrop in the corners, no detection);
//   geometry     the original crop moved by what the paste and the alignment did together (the
//                alignment's rotation, scale and shift, no resampling of the photo);
//   crop's own landmarks  the crop aligned on landmarks found on the crop itself (below);
//   aligned      what emo does: YuNet's landmarks, the similarity transform onto kAlignedLandmarks;
//   recentred    aligned, after undoing the mean of the alignment's error (a template moved by it).
// Last, all PublicTest crops whole against aligned themselves (YuNet on the crop enlarged to 160 px, as
// the template was made): what aligning costs a model trained on whole crops, with no photo involved.
// The alignment's error per face (crop pixels -> aligned crop pixels) is reported as scale, rotation
// and shift: their mean is what a better template removes, their spread what training must cover.
// `square` pastes each face's whole turned square instead of the circle inside it (bench_photos's); SHARPEN > 0
// sharpens each enlarged face (an unsharp mask of that amount), as a sharp studio photo would show it.
// Usage: bench_crop_geometry MODEL FER2013_DIR YUNET_MODEL [photos] [threads] [round|square] [SHARPEN]
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include "align.hpp"
#include "emo/argmax.hpp"
#include "emo/core.hpp"
#include "emo/models.hpp"
#include "emo/vision.hpp"
#include "pasted_photos.hpp"

namespace {
constexpr int kSide = 48;

// A similarity transform of the crop as scale, rotation (degrees) and the shift of the crop's centre (pixels).
struct Error {
    double log_scale = 0, degrees = 0, dx = 0, dy = 0;
};
Error error_of(const cv::Matx23d& m) {
    const double c = (kSide - 1) / 2.0;
    return {std::log(std::hypot(m(0, 0), m(1, 0))), std::atan2(m(1, 0), m(0, 0)) * 180.0 / M_PI,
            m(0, 0) * c + m(0, 1) * c + m(0, 2) - c, m(1, 0) * c + m(1, 1) * c + m(1, 2) - c};
}
cv::Matx23d transform_of(const Error& e) {
    const double s = std::exp(e.log_scale), r = e.degrees * M_PI / 180.0, c = (kSide - 1) / 2.0;
    const double a = s * std::cos(r), b = s * std::sin(r);
    return {a, -b, c + e.dx - (a * c - b * c), b, a, c + e.dy - (b * c + a * c)};
}

struct Tally {
    int right = 0, total = 0;
    void add(bool r) { right += r, ++total; }
    double percent() const { return 100.0 * right / std::max(total, 1); }
};

// The crop aligned on YuNet's landmarks found on it enlarged to 160 px (how the template was made);
// empty when no face is found.
cv::Mat self_aligned(const cv::Mat& crop, const emo::vision::FaceDetector& detector) {
    cv::Mat enlarged;
    cv::resize(crop, enlarged, cv::Size(160, 160), 0, 0, cv::INTER_CUBIC);
    const auto faces = emo::vision::find_faces(enlarged, detector, emo::vision::CropMode::kDetect);
    if (faces.empty() || faces.front().box.landmarks.size() != 5) return {};
    return faces.front().pixels;
}

struct Found {
    cv::Mat crop, photo;
    const bench::PlacedFace* truth;
    emo::vision::Face face;
    cv::Matx23d photo_to_aligned;
    cv::Matx23d crop_to_aligned;  // what the paste and the alignment did together
};
}  // namespace

int main(int argc, char** argv) {
    emo::core::keep_freed_memory();
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s MODEL FER2013_DIR YUNET_MODEL [photos] [threads] [round|square] [SHARPEN]\n",
                     argv[0]);
        return 2;
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const int count = argc > 4 ? std::stoi(argv[4]) : 300;
    const bool square = argc > 6 && std::string(argv[6]) == "square";
    const double sharpen = argc > 7 ? std::stod(argv[7]) : 0.0;
    try {
        emo::models::set_threads(argc > 5 ? std::stoi(argv[5]) : 0);
        const auto model = emo::models::FaceModel::load(argv[1]);
        const auto photos = bench::make_photos(emo::data::read_image_folder(std::string(argv[2]) + "/publictest"),
                                               model.metadata().labels, count,
                                               (std::filesystem::temp_directory_path() / "emo-bench-geometry").string(),
                                               square ? bench::Paste::kSquare : bench::Paste::kRound, sharpen);
        auto opts = model.config().input;
        opts.detector.kind = emo::vision::DetectorKind::kYunet;
        opts.detector.model = argv[3];
        const emo::vision::FaceDetector detector(opts);

        std::vector<Found> found;
        int placed = 0;
        for (const auto& photo : photos) {
            const cv::Mat gray = emo::vision::read_gray(photo.path);
            auto faces = emo::vision::find_faces(gray, detector, emo::vision::CropMode::kDetect);
            std::vector<bool> used(faces.size(), false);
            for (const auto& truth : photo.faces) {
                ++placed;
                const int best = bench::match(truth, faces, used);
                if (best < 0 || faces[std::size_t(best)].box.landmarks.size() != 5) continue;
                const auto& face = faces[std::size_t(best)];
                const auto to_aligned = emo::vision::detail::alignment_transform(face.box.landmarks, kSide);
                found.push_back({emo::vision::read_gray(truth.source), gray, &truth, face, to_aligned,
                                 bench::then(truth.crop_to_photo(kSide), to_aligned)});
            }
        }

        // The alignment's error: original crop -> photo -> aligned crop.
        std::vector<Error> errors;
        Error mean;
        for (const auto& f : found) {
            const auto e = error_of(f.crop_to_aligned);
            errors.push_back(e);
            mean.log_scale += e.log_scale / double(found.size());
            mean.degrees += e.degrees / double(found.size());
            mean.dx += e.dx / double(found.size());
            mean.dy += e.dy / double(found.size());
        }
        Error spread;
        for (const auto& e : errors) {
            spread.log_scale += std::pow(e.log_scale - mean.log_scale, 2) / double(found.size());
            spread.degrees += std::pow(e.degrees - mean.degrees, 2) / double(found.size());
            spread.dx += std::pow(e.dx - mean.dx, 2) / double(found.size());
            spread.dy += std::pow(e.dy - mean.dy, 2) / double(found.size());
        }
        std::printf("%zu photos (%s faces, sharpened %g), %d placed, %zu found with landmarks (YuNet, %d px search)\n",
                    photos.size(), square ? "square" : "round", sharpen, placed, found.size(), opts.detector.max_side);
        std::printf(
            "alignment error, crop -> aligned crop: scale %.3f (sd %.3f), rotation %+.2f deg (sd %.2f), "
            "centre shift %+.2f, %+.2f px of %d (sd %.2f, %.2f)\n",
            std::exp(mean.log_scale), std::sqrt(spread.log_scale), mean.degrees, std::sqrt(spread.degrees), mean.dx,
            mean.dy, kSide, std::sqrt(spread.dx), std::sqrt(spread.dy));
        // How much of the paste's turn the alignment's rotation still carries: the least-squares slope.
        double turn_sum = 0, turn_squares = 0, both = 0;
        for (std::size_t i = 0; i < found.size(); ++i) {
            const double t = found[i].truth->degrees, e = errors[i].degrees - mean.degrees;
            turn_sum += t, turn_squares += t * t, both += t * e;
        }
        const double turn_mean = turn_sum / double(found.size());
        std::printf("rotation error against the paste's turn: slope %+.3f (0: the turn is undone)\n",
                    both / (turn_squares - double(found.size()) * turn_mean * turn_mean));
        cv::Matx23d undo_mean;
        cv::invertAffineTransform(transform_of(mean), undo_mean);
        std::printf("template with the mean error undone:");
        for (const auto& p : emo::vision::kAlignedLandmarks) {
            const double x = p[0] * kSide, y = p[1] * kSide;
            std::printf(" (%.4f, %.4f)", (undo_mean(0, 0) * x + undo_mean(0, 1) * y + undo_mean(0, 2)) / kSide,
                        (undo_mean(1, 0) * x + undo_mean(1, 1) * y + undo_mean(1, 2)) / kSide);
        }
        std::printf("\n");

        Tally crop, placement, geometry, aligned, recentred, crop_landmarks;
        // By how much the alignment zoomed: out (< 0.9: more of the backdrop shows), about 1, in (> 1.1).
        Tally geometry_by_zoom[3], aligned_by_zoom[3];
        const auto right = [&](const cv::Mat& pixels, int label) {
            return emo::core::argmax(model.predict(pixels.data, 1).at(0)) == std::size_t(label);
        };
        namespace detail = emo::vision::detail;
        for (std::size_t i = 0; i < found.size(); ++i) {
            const auto& f = found[i];
            const int label = f.truth->label;
            cv::Matx23d photo_to_crop;
            cv::invertAffineTransform(f.truth->crop_to_photo(kSide), photo_to_crop);
            crop.add(right(f.crop, label));
            placement.add(right(detail::warp_face(f.photo, photo_to_crop, kSide), label));
            const bool geometry_right = right(detail::warp_face(f.crop, f.crop_to_aligned, kSide), label);
            const bool aligned_right = right(f.face.pixels, label);
            if (const cv::Mat a = self_aligned(f.crop, detector); !a.empty()) crop_landmarks.add(right(a, label));
            geometry.add(geometry_right);
            aligned.add(aligned_right);
            recentred.add(right(detail::warp_face(f.photo, bench::then(f.photo_to_aligned, undo_mean), kSide), label));
            const double zoom = std::exp(errors[i].log_scale);
            const int z = zoom < 0.9 ? 0 : zoom <= 1.1 ? 1 : 2;
            geometry_by_zoom[z].add(geometry_right);
            aligned_by_zoom[z].add(aligned_right);
        }
        for (const auto& [name, t] : {std::pair<const char*, Tally>{"crop", crop},
                                      {"placement", placement},
                                      {"geometry", geometry},
                                      {"crop's own landmarks", crop_landmarks},
                                      {"aligned", aligned},
                                      {"recentred", recentred}})
            std::printf("  %-22s %.1f %% of %d\n", name, t.percent(), t.total);
        const char* zooms[3] = {"zoomed out (< 0.9)", "about the same", "zoomed in (> 1.1)"};
        for (int z = 0; z < 3; ++z)
            std::printf("  %-20s geometry %.1f %%, aligned %.1f %% of %d\n", zooms[z], geometry_by_zoom[z].percent(),
                        aligned_by_zoom[z].percent(), aligned_by_zoom[z].total);

        Tally whole, aligned_on_crop;
        for (const auto& sample : emo::data::read_image_folder(std::string(argv[2]) + "/publictest").samples) {
            const int label =
                int(std::find(model.metadata().labels.begin(), model.metadata().labels.end(), sample.label) -
                    model.metadata().labels.begin());
            const cv::Mat pixels = emo::vision::read_gray(sample.path);
            const cv::Mat aligned_pixels = self_aligned(pixels, detector);
            if (aligned_pixels.empty()) continue;
            whole.add(right(pixels, label));
            aligned_on_crop.add(right(aligned_pixels, label));
        }
        std::printf("PublicTest crops with a face found at 160 px: whole %.1f %%, aligned %.1f %% of %d\n",
                    whole.percent(), aligned_on_crop.percent(), whole.total);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
