// Batch prediction on several threads gives what one thread gives, input by input, in order,
// including unreadable inputs and clips without speech. scripts/sanitize.sh runs these under
// ThreadSanitizer.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "emo/models.hpp"
#include "helpers.hpp"

namespace {
const std::string kSource = EMO_SOURCE_DIR;

void check_same(const std::vector<emo::models::ClipPrediction>& a, const std::vector<emo::models::ClipPrediction>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO(a[i].file);
        CHECK(a[i].file == b[i].file);
        CHECK(a[i].error == b[i].error);
        CHECK(a[i].no_speech == b[i].no_speech);
        CHECK(a[i].label == b[i].label);
        REQUIRE(a[i].scores.size() == b[i].scores.size());
        for (std::size_t k = 0; k < a[i].scores.size(); ++k)
            CHECK(a[i].scores[k] == Approx(b[i].scores[k]).margin(1e-6));
    }
}
}  // namespace

TEST_CASE("speech batches: several threads give what one thread gives", "[threads]") {
    const auto data = emo::test::data_dir();
    if (data.empty()) return;
    emo::test::TempDir dir;
    std::vector<std::string> files;
    for (int emotion = 1; emotion <= 8; ++emotion) {
        files.push_back(data + "/ravdess/Actor_19/03-01-0" + std::to_string(emotion) + "-0" +
                        (emotion == 1 ? "1" : "2") + "-01-01-19.flac");
    }
    const auto silence = dir.file("silence.wav");
    emo::test::write_audio(silence, std::vector<float>(32000, 0.0f), 16000, 1);
    const auto broken = dir.file("broken.wav");
    emo::test::write_text(broken, "not audio");
    files.insert(files.begin() + 3, silence);
    files.insert(files.begin() + 6, broken);

    const auto model = emo::models::SpeechModel::load(kSource + "/models/speech.pt");
    const auto& vad = model.config().input.voice_activity;
    const auto one = emo::models::predict_speech_files(model, files, 1, &vad);
    const auto four = emo::models::predict_speech_files(model, files, 4, &vad);
    check_same(one, four);
    CHECK(one[3].no_speech);
    CHECK(one[6].error.find("broken.wav") != std::string::npos);
    CHECK_FALSE(one[0].label.empty());
}

TEST_CASE("image batches: several threads give what one thread gives", "[threads]") {
    const auto data = emo::test::data_dir();
    if (data.empty()) return;
    emo::test::TempDir dir;
    std::vector<std::string> files;
    int n = 0;
    for (const char* label : {"happy", "sad", "angry", "surprise"}) {
        for (const auto& entry : std::filesystem::directory_iterator(data + "/fer2013/publictest/" + label)) {
            // Each face as a crop, and enlarged onto a larger background to be searched for.
            const cv::Mat face = cv::imread(entry.path().string(), cv::IMREAD_GRAYSCALE);
            cv::Mat photo(360, 480, CV_8UC1, cv::Scalar(120));
            cv::resize(face, photo(cv::Rect(150, 80, 192, 192)), cv::Size(192, 192));
            const auto photo_path = dir.file("photo" + std::to_string(n++) + ".png");
            cv::imwrite(photo_path, photo);
            files.push_back(entry.path().string());
            files.push_back(photo_path);
            if (n % 3 == 0) break;
        }
    }
    const auto model = emo::models::FaceModel::load(kSource + "/models/face.pt");
    const auto one = emo::models::predict_image_files(model, files, emo::vision::CropMode::kAuto, 1);
    const auto four = emo::models::predict_image_files(model, files, emo::vision::CropMode::kAuto, 4);
    REQUIRE(one.size() == four.size());
    int faces = 0;
    for (std::size_t i = 0; i < one.size(); ++i) {
        INFO(one[i].file);
        CHECK(one[i].file == four[i].file);
        REQUIRE(one[i].faces.size() == four[i].faces.size());
        for (std::size_t f = 0; f < one[i].faces.size(); ++f, ++faces) {
            CHECK(one[i].faces[f].box.x == four[i].faces[f].box.x);
            CHECK(one[i].faces[f].box.width == four[i].faces[f].box.width);
            CHECK(one[i].faces[f].label == four[i].faces[f].label);
            CHECK(one[i].faces[f].confidence == Approx(four[i].faces[f].confidence).margin(1e-6));
        }
    }
    CHECK(faces >= 12);  // every crop, and some of the enlarged faces
}
