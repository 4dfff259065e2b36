// Image decoding (OpenCV, any format) and face preprocessing: crop test, Haar search, normalisation.
#include "emo/vision.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = emo::fuzz::as_file(data, size, ".image");
    emo::fuzz::expect_clean([&] {
        const cv::Mat gray = emo::vision::read_gray(path);
        static const emo::vision::FaceDetector detector{emo::vision::FaceInputOptions{}};
        // Small images are searched; large ones only cropped whole (the search costs time, not coverage).
        const auto mode = gray.total() <= 256 * 256 ? emo::vision::CropMode::kAuto : emo::vision::CropMode::kWhole;
        emo::vision::find_faces(gray, detector, mode);
    });
    return 0;
}
