// Image decoding to 8-bit grayscale, whatever the file's depth, channels or extension.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "emo/core.hpp"
#include "emo/error.hpp"
#include "emo/vision.hpp"

namespace emo::vision {
namespace {
cv::Mat to_8bit(const cv::Mat& image) {
    switch (image.depth()) {
        case CV_8U: return image;
        case CV_16U: {
            cv::Mat out;
            image.convertTo(out, CV_8U, 1.0 / 257.0);
            return out;
        }
        default: {  // float or signed images: stretch their own range onto 0..255
            cv::Mat out;
            cv::normalize(image, out, 0, 255, cv::NORM_MINMAX, CV_8U);
            return out;
        }
    }
}

bool is_jpeg(const std::string& path) {
    char magic[3] = {};
    std::ifstream(path, std::ios::binary).read(magic, 3);
    return magic[0] == '\xFF' && magic[1] == '\xD8' && magic[2] == '\xFF';
}

// A JPEG's luminance alone, as libjpeg decodes it without the colour planes (about half the work of
// colour and a conversion); EXIF orientation ignored like every other path. Empty when libjpeg
// cannot give grey (e.g. CMYK): the caller then decodes the usual way.
cv::Mat read_jpeg_luminance(const std::string& path) {
    try {
        return cv::imread(path, cv::IMREAD_GRAYSCALE | cv::IMREAD_IGNORE_ORIENTATION);
    } catch (const cv::Exception&) {
        return {};
    }
}
}  // namespace

cv::Mat read_gray(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) throw InputError(path, "image file not found");
    if (std::filesystem::file_size(path, ec) == 0) throw InputError(path, "empty file (0 bytes), expected an image");
    if (is_jpeg(path)) {
        cv::Mat gray = read_jpeg_luminance(path);
        if (!gray.empty() && gray.depth() == CV_8U) return gray.isContinuous() ? gray : gray.clone();
    }
    cv::Mat image;
    try {
        image = cv::imread(path, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& e) {
        throw InputError(path, "cannot decode image: " + e.msg);
    }
    if (image.empty()) throw InputError(path, "not an image OpenCV can decode (corrupt, truncated or another format)");
    image = to_8bit(image);
    cv::Mat gray;
    switch (image.channels()) {
        case 1: gray = image; break;
        case 3: cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY); break;
        case 4: cv::cvtColor(image, gray, cv::COLOR_BGRA2GRAY); break;  // alpha ignored
        default: throw InputError(path, "unsupported image with " + std::to_string(image.channels()) + " channels");
    }
    return gray.isContinuous() ? gray : gray.clone();
}

bool has_image_extension(const std::string& path) {
    static const std::set<std::string> kExtensions{".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp",
                                                   ".pgm", ".ppm", ".pnm",  ".jp2", ".exr", ".hdr",  ".pbm"};
    return kExtensions.count(core::to_lower(std::filesystem::path(path).extension().string())) > 0;
}

bool is_image_file(const std::string& path) {
    std::error_code ec;
    // OpenCV warns on stderr about a file it cannot open; a missing file is judged by its name alone,
    // and reading it later reports it as missing.
    if (!std::filesystem::is_regular_file(path, ec)) return has_image_extension(path);
    try {
        if (cv::haveImageReader(path)) return true;
    } catch (const cv::Exception&) {
    }
    return has_image_extension(path);
}

}  // namespace emo::vision
