#pragma once
// Shared test helpers: where the real data is, temporary files, fixture matrices.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <iostream>
#include <string>
#include <vector>

namespace emo::test {

// A test input that is not there: fails the test under CI=true, else prints the line CTest counts
// as skipped ("skipping: data folder", tests/CMakeLists.txt) and gives an empty path.
inline std::string missing(const std::string& path, const char* env_name) {
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true") FAIL(path << " missing under CI (set " << env_name << ")");
    std::cout << "skipping: data folder " << path << " not found (set " << env_name << ")\n";
    WARN("skipping: " << path << " not found (set " << env_name << ")");
    return {};
}

// ../shared/data (or $EMO_DATA_DIR). Empty when absent: callers skip with a message, except under
// CI=true, where a missing data folder fails the test. CTest counts a test that printed
// "skipping: data folder" as skipped (tests/CMakeLists.txt).
inline std::string data_dir() {
    const char* env = std::getenv("EMO_DATA_DIR");
    const std::string dir = env && *env ? env : EMO_DEFAULT_DATA_DIR;
    if (std::filesystem::is_directory(dir + "/ravdess")) return dir;
    return missing(dir, "EMO_DATA_DIR");
}

// YuNet's model file from ../shared/models (or $EMO_YUNET_MODEL). Empty when absent: skipped like
// data_dir(), failed under CI=true.
inline std::string yunet_model() {
    const char* env = std::getenv("EMO_YUNET_MODEL");
    const std::string file =
        env && *env ? env : std::string(EMO_DEFAULT_DATA_DIR) + "/../models/yunet/face_detection_yunet_2022mar.onnx";
    if (std::filesystem::is_regular_file(file)) return file;
    return missing(file, "EMO_YUNET_MODEL");
}

struct Matrix {
    int rows = 0, cols = 0;
    std::vector<float> data;
};
inline Matrix read_matrix(const std::string& name) {
    std::ifstream in(std::string(EMO_FIXTURE_DIR) + "/" + name);
    REQUIRE(in);
    Matrix m;
    in >> m.rows >> m.cols;
    m.data.resize(std::size_t(m.rows) * std::size_t(m.cols));
    for (auto& v : m.data) in >> v;
    REQUIRE(in);
    return m;
}

// A fresh temporary directory, removed when the object goes.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path = std::filesystem::temp_directory_path() /
               ("emo-test-" + std::to_string(std::rand()) + "-" + std::to_string(::getpid()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

inline void write_text(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}
inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Writes mono or interleaved float samples as 16-bit PCM WAV (or FLAC by `format`).
void write_audio(const std::string& path, const std::vector<float>& interleaved, int sample_rate, int channels,
                 int format = 0);

}  // namespace emo::test
