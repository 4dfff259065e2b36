// Face dataset readers: FER2013 CSV, class-folder trees, stratified splits.
#include <opencv2/imgcodecs.hpp>

#include <filesystem>
#include <map>

#include "emo/data.hpp"
#include "emo/error.hpp"
#include "emo/face_data.hpp"
#include "emo/vision.hpp"
#include "helpers.hpp"

using emo::test::TempDir;
using emo::test::write_text;

namespace {
std::string pixels_of(int value) {
    std::string s;
    for (int i = 0; i < 48 * 48; ++i) s += (i ? " " : "") + std::to_string((value + i) % 256);
    return s;
}
}  // namespace

TEST_CASE("FER2013 CSV: labels by id, Usage selects the split") {
    TempDir dir;
    const auto csv = dir.file("fer.csv");
    write_text(csv, "emotion,pixels,Usage\n0," + pixels_of(0) + ",Training\n6," + pixels_of(7) + ",PublicTest\n2," +
                        pixels_of(9) + ",Training\r\n");
    REQUIRE(emo::data::is_fer2013_csv(csv));
    const auto train = emo::data::read_fer2013_csv(csv, "training");
    REQUIRE(train.count() == 2);
    CHECK(train.labels == std::vector<std::string>{"angry", "fearful"});
    CHECK(train.size == 48);
    CHECK(int(train.face(1)[0]) == 9);
    CHECK(int(train.face(1)[48 * 48 - 1]) == (9 + 48 * 48 - 1) % 256);
    CHECK(train.ids[1] == csv + ":4");
    const auto pub = emo::data::read_fer2013_csv(csv, "PublicTest");
    REQUIRE(pub.count() == 1);
    CHECK(pub.labels[0] == "neutral");
    CHECK(emo::data::read_fer2013_csv(csv, "").count() == 3);
    CHECK_THROWS_WITH(emo::data::read_fer2013_csv(csv, "PrivateTest"), Catch::Contains("no rows with Usage"));
    CHECK(emo::data::has_split(csv, "publictest"));
    CHECK_FALSE(emo::data::has_split(csv, "PrivateTest"));
    CHECK(emo::data::dataset_layout(csv, "PublicTest").kind == emo::data::DatasetLayout::Kind::kFer2013Csv);
    CHECK(emo::data::dataset_layout(csv, "").modality() == "face");
}

TEST_CASE(
    "dataset_layout: face folders (with or without a split folder), manifests of images, and everything else as "
    "speech") {
    TempDir dir;
    std::filesystem::create_directories(dir.file("faces/test/happy"));
    write_text(dir.file("faces/test/happy/a.png"), "not decoded: the layout reads names only");
    using Kind = emo::data::DatasetLayout::Kind;
    const auto split = emo::data::dataset_layout(dir.file("faces"), "test");
    CHECK(split.kind == Kind::kFaceFolders);
    CHECK(split.in_split);
    const auto whole = emo::data::dataset_layout(dir.file("faces/test"), "");
    CHECK(whole.kind == Kind::kFaceFolders);
    CHECK_FALSE(whole.in_split);
    std::filesystem::create_directories(dir.file("clips/Actor_01"));
    write_text(dir.file("clips/Actor_01/03-01-05-01-01-01-01.wav"), "");
    CHECK(emo::data::dataset_layout(dir.file("clips"), "").modality() == "speech");
    write_text(dir.file("manifest.csv"), "path,label\na.wav,happy\n");
    CHECK(emo::data::dataset_layout(dir.file("manifest.csv"), "").kind == Kind::kSpeech);
    write_text(dir.file("faces.csv"), "path,label\nfaces/test/happy/a.png,happy\n");
    CHECK(emo::data::dataset_layout(dir.file("faces.csv"), "").kind == Kind::kFaceManifest);
    CHECK(emo::data::dataset_layout(dir.file("faces.csv"), "").modality() == "face");
    CHECK(emo::data::dataset_layout(dir.file("missing"), "").kind == Kind::kSpeech);
}

TEST_CASE("FER2013 CSV: a bad row is reported with its line") {
    TempDir dir;
    const auto csv = dir.file("fer.csv");
    write_text(csv, "emotion,pixels,Usage\n3," + pixels_of(0) + ",Training\n3,1 2 3,Training\n");
    CHECK_THROWS_WITH(emo::data::read_fer2013_csv(csv, ""),
                      Catch::Contains("line 3: pixels: expected 2304 values (48x48), got 3"));
    write_text(csv, "emotion,pixels,Usage\n9," + pixels_of(0) + ",Training\n");
    CHECK_THROWS_WITH(emo::data::read_fer2013_csv(csv, ""), Catch::Contains("line 2: emotion: expected an id 0..6"));
    write_text(csv, "emotion,pixels,Usage\n1," + pixels_of(0) + " 300,Training\n");
    CHECK_THROWS_WITH(emo::data::read_fer2013_csv(csv, ""), Catch::Contains("expected integers 0..255"));
    write_text(csv, "label,image\n");
    CHECK_FALSE(emo::data::is_fer2013_csv(csv));
    CHECK_THROWS_AS(emo::data::read_fer2013_csv(csv, ""), emo::InputError);
}

TEST_CASE("class folders map onto canonical labels, an unknown folder is an error") {
    TempDir dir;
    for (const char* label : {"fear", "Happy", "surprise"}) {
        std::filesystem::create_directories(dir.path / label);
        cv::imwrite((dir.path / label / "a.png").string(), cv::Mat(48, 48, CV_8UC1, cv::Scalar(100)));
    }
    write_text(dir.file("fear/notes.txt"), "not an image\n");
    const auto ds = emo::data::read_image_folder(dir.path.string());
    REQUIRE(ds.samples.size() == 3);
    CHECK(ds.labels() == std::vector<std::string>{"happy", "fearful", "surprised"});
    // New label words (a model extended with --extend-labels) are labels; hidden folders are skipped.
    std::filesystem::create_directories(dir.path / "contempt");
    cv::imwrite((dir.path / "contempt" / "b.png").string(), cv::Mat(48, 48, CV_8UC1, cv::Scalar(90)));
    std::filesystem::create_directories(dir.path / ".thumbnails");
    cv::imwrite((dir.path / ".thumbnails" / "c.png").string(), cv::Mat(48, 48, CV_8UC1, cv::Scalar(80)));
    CHECK(emo::data::read_image_folder(dir.path.string()).labels() ==
          std::vector<std::string>{"happy", "fearful", "surprised", "contempt"});
    std::filesystem::create_directories(dir.path / "my faces");
    CHECK_THROWS_WITH(emo::data::read_image_folder(dir.path.string()),
                      Catch::Contains("folder name 'my faces' is not a label word"));
}

TEST_CASE("stratified split keeps each label's share") {
    emo::data::FaceImages all;
    all.size = 2;
    for (int i = 0; i < 200; ++i) {
        all.ids.push_back(std::to_string(i));
        all.labels.push_back(i < 150 ? "happy" : "sad");
        all.pixels.insert(all.pixels.end(), 4, std::uint8_t(i));
    }
    emo::data::FaceImages kept, held;
    emo::data::stratified_split(all, 0.2f, 7, kept, held);
    CHECK(held.count() == 40);
    CHECK(kept.count() == 160);
    CHECK(std::count(held.labels.begin(), held.labels.end(), "sad") == 10);
    for (std::size_t i = 0; i < held.count(); ++i) CHECK(int(held.face(i)[0]) == std::stoi(held.ids[i]));
    emo::data::stratified_split(kept, 0.5f, 7, kept, held);  // the input may be an output
    CHECK(kept.count() == 80);
    CHECK(held.count() == 80);
}

TEST_CASE("real FER2013 folders: counts per label as documented") {
    const auto data = emo::test::data_dir();
    if (data.empty()) return;
    const auto ds = emo::data::read_image_folder(data + "/fer2013/publictest");
    std::map<std::string, int> counts;
    for (const auto& s : ds.samples) ++counts[s.label];
    CHECK(ds.samples.size() == 3589);
    CHECK(counts["happy"] == 895);
    CHECK(counts["disgust"] == 56);
    CHECK(counts["fearful"] == 496);
    CHECK(counts["surprised"] == 415);
    CHECK(emo::data::has_split(data + "/fer2013", "PublicTest"));
    CHECK_FALSE(emo::data::has_split(data + "/fer2013", "privatetest"));
}
