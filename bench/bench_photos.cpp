// Faces in photos: how many placed faces each detector finds, how well the face model then names
// them (aligned on YuNet's landmarks or not, against the same faces as whole FER2013 crops), and
// 640x480 photos per second end to end through emo-predict's path (decode + detection + crop + CNN), with
// the model's settings and with the faster ones (smaller search copy, no flip averaging).
// The photos are made here: PublicTest faces at 64-200 px, turned by up to +-25 degrees, 1-4 per
// photo, on textured backgrounds, with their labels and places known.
// Usage: bench_photos MODEL FER2013_DIR YUNET_MODEL [photos] [threads]

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include "emo/core.hpp"
#include "emo/data.hpp"
#include "emo/models.hpp"
#include "emo/vision.hpp"
#include "pasted_photos.hpp"

namespace {
using bench::Photo;

int argmax(const std::vector<float>& v) { return int(std::max_element(v.begin(), v.end()) - v.begin()); }

// Placed faces by their side in the photo: 64-99, 100-149 and 150-200 px.
constexpr int kSizeBuckets = 3;
int size_bucket(int side) { return side < 100 ? 0 : side < 150 ? 1 : 2; }
struct BySize {
    int placed[kSizeBuckets] = {}, found[kSizeBuckets] = {}, correct[kSizeBuckets] = {};
    void print(const char* what) const {
        std::printf("  %s by face size:", what);
        const char* names[kSizeBuckets] = {"64-99 px", "100-149 px", "150-200 px"};
        for (int b = 0; b < kSizeBuckets; ++b)
            std::printf("  %s %.1f %% of %d", names[b], 100.0 * correct[b] / std::max(found[b], 1), found[b]);
        std::printf("\n");
    }
};

// Finds, matches (box overlap >= 0.3) and classifies every placed face with the given options.
void report(const char* name, const emo::models::FaceModel& model, const std::vector<Photo>& photos,
            emo::vision::FaceInputOptions opts) {
    const emo::vision::FaceDetector detector(opts);
    int placed = 0, found = 0, spurious = 0, correct = 0;
    BySize by_size;
    for (const auto& photo : photos) {
        const auto faces =
            emo::vision::find_faces(emo::vision::read_gray(photo.path), detector, emo::vision::CropMode::kDetect);
        std::vector<bool> used(faces.size(), false);
        for (const auto& truth : photo.faces) {
            ++placed;
            const int best = bench::match(truth, faces, used);
            const int bucket = size_bucket(truth.box.width);
            ++by_size.placed[bucket];
            if (best < 0) continue;
            ++found;
            ++by_size.found[bucket];
            const bool right = argmax(model.predict(faces[std::size_t(best)].pixels.data, 1).at(0)) == truth.label;
            correct += right;
            by_size.correct[bucket] += right;
        }
        for (bool u : used) spurious += !u;
    }
    std::printf("%-34s found %d/%d (%.1f %%), %d spurious; accuracy on found faces %.1f %%, on all placed %.1f %%\n",
                (std::string(name) + " [" + detector.name() + "]").c_str(), found, placed, 100.0 * found / placed,
                spurious, 100.0 * correct / std::max(found, 1), 100.0 * correct / placed);
    by_size.print("found faces");
}
}  // namespace

int main(int argc, char** argv) {
    emo::core::keep_freed_memory();
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s MODEL FER2013_DIR YUNET_MODEL [photos] [threads]\n", argv[0]);
        return 2;
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const int count = argc > 4 ? std::stoi(argv[4]) : 300;
    const int threads = argc > 5 ? std::stoi(argv[5]) : 0;
    try {
        emo::models::set_threads(threads);
        const auto model = emo::models::FaceModel::load(argv[1]);
        const auto ds = emo::data::read_image_folder(std::string(argv[2]) + "/publictest");
        const auto photos = bench::make_photos(ds, model.metadata().labels, count,
                                               (std::filesystem::temp_directory_path() / "emo-bench-wild").string());
        // The same faces as whole crops: what the model does without any detection.
        int placed = 0, correct = 0;
        BySize crops;
        const emo::vision::FaceDetector whole_detector(model.config().input);
        for (const auto& photo : photos) {
            for (const auto& f : photo.faces) {
                const auto crop = emo::vision::find_faces(emo::vision::read_gray(f.source), whole_detector,
                                                          emo::vision::CropMode::kWhole);
                const bool right = argmax(model.predict(crop.at(0).pixels.data, 1).at(0)) == f.label;
                correct += right;
                ++placed;
                const int bucket = size_bucket(f.box.width);
                ++crops.found[bucket];
                crops.correct[bucket] += right;
            }
        }
        std::printf("%zu photos, %d faces; the same faces as FER2013 crops: accuracy %.1f %%\n", photos.size(), placed,
                    100.0 * correct / placed);
        crops.print("the same crops");
        auto opts = model.config().input;
        opts.detector.kind = emo::vision::DetectorKind::kHaar;
        report("Haar, box + margin", model, photos, opts);
        opts.detector.kind = emo::vision::DetectorKind::kYunet;
        opts.detector.model = argv[3];
        opts.align = false;
        report("YuNet, box + margin", model, photos, opts);
        opts.align = true;
        for (const int side : {640, 480, 320}) {
            opts.detector.max_side = side;
            report(("YuNet, aligned, " + std::to_string(side) + " px").c_str(), model, photos, opts);
        }

        auto single_pass = emo::models::FaceModel::load(argv[1]);  // emo-predict --no-flip
        single_pass.set_flip_average(false);
        for (const int side : {480, 320}) {
            opts.detector.max_side = side;
            report(("YuNet, aligned, " + std::to_string(side) + " px, no flip").c_str(), single_pass, photos, opts);
        }

        std::vector<std::string> files;
        for (const auto& p : photos) files.push_back(p.path);
        const auto end_to_end = [&](const emo::models::FaceModel& m, const std::string& setting) {
            const auto t0 = std::chrono::steady_clock::now();
            const auto out = emo::models::predict_image_files(m, files, emo::vision::CropMode::kAuto, threads);
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            std::printf("end to end (%s, %s): %zu photos, %d thread(s): %.2f s = %.1f photos/s\n",
                        out.front().found_by.c_str(), setting.c_str(), files.size(), threads, s,
                        double(files.size()) / s);
        };
        for (const bool yunet : {false, true}) {
            // The model's own config (detector kind auto): what the search path finds decides.
            ::setenv("EMO_YUNET_MODEL", yunet ? argv[3] : "", 1);
            ::setenv("EMO_MODELS_DIR", "/nonexistent", 1);
            ::setenv("XDG_DATA_HOME", "/nonexistent", 1);
            end_to_end(model, "model's settings");
        }
        for (const int side : {480, 320}) {  // emo-predict --detect-side N --no-flip
            single_pass.set_detector_max_side(side);
            end_to_end(single_pass, std::to_string(side) + " px, no flip");
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
