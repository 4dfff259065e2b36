// Image decoding, face detection and preprocessing.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "emo/data.hpp"
#include "emo/error.hpp"
#include "emo/face_data.hpp"
#include "emo/vision.hpp"
#include "helpers.hpp"

using emo::test::TempDir;
using emo::test::write_text;

namespace {
// A 640x480 "photo": FER2013 faces from `files`, upscaled to 150 px with a plain border, side by side.
cv::Mat group_photo(const std::vector<std::string>& files) {
    cv::Mat photo(480, 640, CV_8UC1, cv::Scalar(120));
    int x = 20;
    for (const auto& f : files) {
        cv::Mat face = cv::imread(f, cv::IMREAD_GRAYSCALE);
        REQUIRE_FALSE(face.empty());
        cv::resize(face, face, cv::Size(150, 150), 0, 0, cv::INTER_CUBIC);
        face.copyTo(photo(cv::Rect(x, 160, 150, 150)));
        x += 210;
    }
    return photo;
}

// The Haar path, whatever YuNet model the machine has (test_yunet.cpp covers YuNet).
emo::vision::FaceInputOptions haar_options() {
    emo::vision::FaceInputOptions opts;
    opts.detector.kind = emo::vision::DetectorKind::kHaar;
    return opts;
}

std::vector<std::string> detectable_faces(const std::string& data) {
    const std::string dir = data + "/fer2013/publictest/happy/";
    // Chosen because the default Haar cascade finds them at this size (about 60 % of FER2013 crops
    // are found: the crops are tighter than the faces the cascade was trained on).
    return {dir + "PublicTest_10130075.png", dir + "PublicTest_10181609.png", dir + "PublicTest_10245799.png"};
}
}  // namespace

TEST_CASE("images of any depth and channel count decode to 8-bit grayscale") {
    TempDir dir;
    cv::Mat gray16(10, 12, CV_16UC1, cv::Scalar(257 * 200));
    REQUIRE(cv::imwrite(dir.file("deep.png"), gray16));
    cv::Mat bgra(10, 12, CV_8UC4, cv::Scalar(50, 50, 50, 10));
    REQUIRE(cv::imwrite(dir.file("alpha.png"), bgra));
    cv::Mat bgr(10, 12, CV_8UC3, cv::Scalar(0, 0, 255));
    REQUIRE(cv::imwrite(dir.file("red.bmp"), bgr));
    std::filesystem::copy_file(dir.file("red.bmp"), dir.file("lying.jpg"));

    const auto deep = emo::vision::read_gray(dir.file("deep.png"));
    CHECK(deep.type() == CV_8UC1);
    CHECK(int(deep.at<std::uint8_t>(3, 3)) == 200);
    CHECK(int(emo::vision::read_gray(dir.file("alpha.png")).at<std::uint8_t>(0, 0)) == 50);
    const auto red = emo::vision::read_gray(dir.file("lying.jpg"));  // BMP content, .jpg name
    CHECK(red.cols == 12);
    CHECK(int(red.at<std::uint8_t>(0, 0)) == 76);  // 0.299 * 255
    CHECK(emo::vision::is_image_file(dir.file("lying.jpg")));
}

TEST_CASE("a colour JPEG decodes to its luminance, within a level of colour decoding and conversion") {
    TempDir dir;
    cv::Mat colour(120, 160, CV_8UC3);
    cv::RNG rng(5);
    rng.fill(colour, cv::RNG::UNIFORM, 0, 256);
    cv::GaussianBlur(colour, colour, cv::Size(0, 0), 3);  // photo-like: JPEG keeps smooth colour well
    REQUIRE(cv::imwrite(dir.file("photo.jpg"), colour));
    cv::Mat expected;
    cv::cvtColor(cv::imread(dir.file("photo.jpg"), cv::IMREAD_COLOR), expected, cv::COLOR_BGR2GRAY);
    const auto gray = emo::vision::read_gray(dir.file("photo.jpg"));
    REQUIRE(gray.type() == CV_8UC1);
    REQUIRE(gray.size() == expected.size());
    cv::Mat difference;
    cv::absdiff(gray, expected, difference);
    double largest = 0.0;
    cv::minMaxLoc(difference, nullptr, &largest);
    CHECK(largest <= 3.0);
    CHECK(cv::mean(difference)[0] < 1.0);
}

TEST_CASE("missing, empty and non-image files are refused with their name") {
    TempDir dir;
    write_text(dir.file("empty.png"), "");
    write_text(dir.file("text.png"), "hello, not an image\n");
    CHECK_THROWS_WITH(emo::vision::read_gray(dir.file("nope.png")), Catch::Contains("nope.png: image file not found"));
    CHECK_THROWS_WITH(emo::vision::read_gray(dir.file("empty.png")), Catch::Contains("empty.png: empty file"));
    CHECK_THROWS_WITH(emo::vision::read_gray(dir.file("text.png")), Catch::Contains("text.png: not an image"));
    CHECK(emo::vision::is_image_file(dir.file("text.png")));  // by its name: reported as a bad image
    write_text(dir.file("text.wav"), "hello\n");
    CHECK_FALSE(emo::vision::is_image_file(dir.file("text.wav")));
}

TEST_CASE("a face crop is used whole, unchanged, as in training") {
    const emo::vision::FaceDetector detector(haar_options());
    cv::Mat crop(48, 48, CV_8UC1);
    cv::randu(crop, 0, 256);
    const auto faces = emo::vision::find_faces(crop, detector, emo::vision::CropMode::kAuto);
    REQUIRE(faces.size() == 1);
    CHECK(faces[0].box.width == 48);
    CHECK(cv::norm(faces[0].pixels, crop, cv::NORM_INF) == 0);
    CHECK(emo::vision::looks_like_face_crop(crop, detector.options()));
    CHECK_FALSE(emo::vision::looks_like_face_crop(cv::Mat(480, 640, CV_8UC1), detector.options()));
}

TEST_CASE("a photo without a face gives no face, not an error") {
    const emo::vision::FaceDetector detector(haar_options());
    cv::Mat photo(480, 640, CV_8UC1);
    for (int y = 0; y < photo.rows; ++y)
        for (int x = 0; x < photo.cols; ++x) photo.at<std::uint8_t>(y, x) = std::uint8_t((x / 3 + y / 5) % 256);
    CHECK(detector.detect(photo).empty());
    CHECK(emo::vision::find_faces(photo, detector, emo::vision::CropMode::kAuto).empty());
    CHECK(emo::vision::find_faces(photo, detector, emo::vision::CropMode::kWhole).size() == 1);
}

TEST_CASE("every face of a group photo is found where it is, also in a very large copy") {
    const auto data = emo::test::data_dir();
    if (data.empty()) return;
    const emo::vision::FaceDetector detector(haar_options());
    const cv::Mat photo = group_photo(detectable_faces(data));
    auto boxes = detector.detect(photo);
    REQUIRE(boxes.size() == 3);
    std::sort(boxes.begin(), boxes.end(), [](const auto& a, const auto& b) { return a.x < b.x; });
    for (int i = 0; i < 3; ++i) {
        const int centre_x = boxes[std::size_t(i)].x + boxes[std::size_t(i)].width / 2;
        const int centre_y = boxes[std::size_t(i)].y + boxes[std::size_t(i)].height / 2;
        CHECK(std::abs(centre_x - (20 + 210 * i + 75)) < 30);
        CHECK(std::abs(centre_y - 235) < 30);
    }
    // 8x larger than detector.max_side: detected on a downscaled copy, boxes in original pixels.
    cv::Mat big;
    cv::resize(photo, big, cv::Size(), 8, 8, cv::INTER_LINEAR);
    const auto big_boxes = detector.detect(big);
    REQUIRE(big_boxes.size() == 3);
    for (const auto& b : big_boxes) CHECK(b.width > 8 * 100);
    const auto faces = emo::vision::find_faces(photo, detector, emo::vision::CropMode::kAuto);
    REQUIRE(faces.size() == 3);
    CHECK(faces[0].pixels.size() == cv::Size(48, 48));
}

TEST_CASE("training and prediction preprocess a face image identically") {
    const auto data = emo::test::data_dir();
    if (data.empty()) return;
    // load_faces (training/eval path) against find_faces on the decoded file (prediction path).
    TempDir dir;
    std::filesystem::create_directories(dir.path / "happy");
    const auto files = detectable_faces(data);
    cv::imwrite(dir.file("happy/photo.png"), group_photo({files[0]}));
    std::filesystem::copy_file(files[1], dir.path / "happy" / "crop.png");
    const emo::vision::FaceDetector detector(haar_options());
    std::vector<std::string> problems;
    const auto loaded =
        emo::data::load_faces(dir.path.string(), "", detector, emo::vision::CropMode::kAuto, 1, problems);
    REQUIRE(problems.empty());
    REQUIRE(loaded.count() == 2);
    for (std::size_t i = 0; i < loaded.count(); ++i) {
        const auto faces =
            emo::vision::find_faces(emo::vision::read_gray(loaded.ids[i]), detector, emo::vision::CropMode::kAuto);
        REQUIRE(faces.size() == 1);
        CHECK(std::equal(loaded.face(i), loaded.face(i) + 48 * 48, faces[0].pixels.data));
    }
}
