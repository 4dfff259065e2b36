// Labelled face datasets into memory: decoded once, preprocessed as the model expects (vision::find_faces),
// and what kind of dataset a path holds.
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "emo/core.hpp"
#include "emo/error.hpp"
#include "emo/line_reader.hpp"
#include "emo/face_data.hpp"

namespace emo::data {
namespace fs = std::filesystem;
namespace {

// A manifest (path,label[,speaker]) whose first file is an image lists faces; anything unreadable is left
// to the speech reader, which names the problem.
bool is_image_manifest(const std::string& path) {
    try {
        const auto manifest = read_manifest(path);
        return !manifest.samples.empty() && vision::has_image_extension(manifest.samples.front().path);
    } catch (const Error&) {
        return false;
    }
}

std::string find_split_folder(const std::string& dir, const std::string& split) {
    std::error_code ec;
    if (split.empty() || !fs::is_directory(dir, ec)) return "";
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.is_directory() && core::to_lower(entry.path().filename().string()) == core::to_lower(split)) {
            return entry.path().string();
        }
    }
    return "";
}

bool csv_has_usage(const std::string& path, const std::string& split) {
    std::ifstream in(path);
    std::string line;
    const std::string wanted = "," + core::to_lower(split);
    for (int line_no = 1; core::read_line(in, line, path, line_no); ++line_no) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (core::to_lower(line.substr(line.size() - std::min(line.size(), wanted.size()))) == wanted) return true;
    }
    return false;
}

// Decodes and preprocesses every sample on `threads` workers.
FaceImages decode_samples(const Dataset& ds, const vision::FaceDetector& detector, vision::CropMode mode, int threads,
                          std::vector<std::string>& problems) {
    const std::size_t n = ds.samples.size(), side = std::size_t(detector.options().size);
    std::vector<cv::Mat> faces(n);
    std::vector<std::string> errors(n);
    const unsigned workers = std::max(1u, threads > 0 ? unsigned(threads) : std::thread::hardware_concurrency());
    const auto detectors = vision::detectors_for(detector.options(), workers);
    std::vector<std::thread> pool;
    for (unsigned w = 0; w < workers; ++w) {
        pool.emplace_back([&, w] {
            for (std::size_t i = w; i < n; i += workers) {
                try {
                    const auto found = vision::find_faces(vision::read_gray(ds.samples[i].path), detectors[w], mode);
                    if (found.empty()) {
                        errors[i] = ds.samples[i].path + ": no face found";
                    } else {
                        faces[i] = found.front().pixels;
                    }
                } catch (const std::exception& e) {
                    errors[i] = e.what();
                }
            }
        });
    }
    for (auto& t : pool) t.join();
    FaceImages out;
    out.source = ds.source;
    out.size = int(side);
    for (std::size_t i = 0; i < n; ++i) {
        if (!errors[i].empty()) {
            problems.push_back(errors[i]);
            continue;
        }
        out.ids.push_back(ds.samples[i].path);
        out.labels.push_back(ds.samples[i].label);
        out.pixels.insert(out.pixels.end(), faces[i].datastart, faces[i].dataend);
    }
    return out;
}

// FER2013 CSV rows are 48x48 crops; bring them to the model's input size like any other crop.
FaceImages resize_faces(FaceImages in, int size) {
    if (in.size == size) return in;
    FaceImages out{in.source, size, in.ids, in.labels, {}};
    for (std::size_t i = 0; i < in.count(); ++i) {
        const cv::Mat face(in.size, in.size, CV_8UC1, const_cast<std::uint8_t*>(in.face(i)));
        cv::Mat resized;
        cv::resize(face, resized, cv::Size(size, size), 0, 0, size < in.size ? cv::INTER_AREA : cv::INTER_LINEAR);
        out.pixels.insert(out.pixels.end(), resized.datastart, resized.dataend);
    }
    return out;
}
}  // namespace

bool has_split(const std::string& path, const std::string& split) {
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) return is_fer2013_csv(path) && csv_has_usage(path, split);
    return !find_split_folder(path, split).empty();
}

FaceImages load_faces(const std::string& path, const std::string& split, const vision::FaceDetector& detector,
                      vision::CropMode mode, int threads, std::vector<std::string>& problems) {
    std::error_code ec;
    FaceImages faces;
    if (fs::is_regular_file(path, ec) && is_fer2013_csv(path)) {
        faces = resize_faces(read_fer2013_csv(path, split), detector.options().size);
    } else if (fs::is_regular_file(path, ec)) {
        faces = decode_samples(read_manifest(path), detector, mode, threads, problems);
    } else if (fs::is_directory(path, ec)) {
        const std::string folder = find_split_folder(path, split);
        if (!split.empty() && folder.empty()) throw InputError(path, "has no split folder '" + split + "'");
        faces = decode_samples(read_image_folder(folder.empty() ? path : folder), detector, mode, threads, problems);
    } else {
        throw InputError(path, "not found (expected a FER2013 CSV, a manifest CSV or a folder of class folders)");
    }
    if (faces.count() == 0) throw InputError(path, "no usable face in the data");
    return faces;
}

DatasetLayout dataset_layout(const std::string& path, const std::string& split) {
    DatasetLayout layout;
    if (is_fer2013_csv(path)) {
        layout.kind = DatasetLayout::Kind::kFer2013Csv;
        return layout;
    }
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) {
        if (is_image_manifest(path)) layout.kind = DatasetLayout::Kind::kFaceManifest;
        return layout;
    }
    if (!fs::is_directory(path, ec)) return layout;
    layout.in_split = !split.empty() && has_split(path, split);
    try {
        read_image_folder(layout.in_split ? path + "/" + split : path);
        layout.kind = DatasetLayout::Kind::kFaceFolders;
    } catch (const Error&) {
        layout.in_split = false;
    }
    return layout;
}

FaceImages load_feedback_faces(const Feedback& feedback, const vision::FaceDetector& detector,
                               std::vector<std::string>& problems) {
    FaceImages out;
    out.source = feedback.source;
    out.size = detector.options().size;
    for (const auto& row : feedback.rows) {
        const std::string& path = row.sample.path;
        try {
            const cv::Mat gray = vision::read_gray(path);
            cv::Mat face;
            if (row.box) {
                const auto& b = *row.box;
                face =
                    vision::normalise_face(gray, vision::FaceBox{b[0], b[1], b[2], b[3], 1.0f, {}}, detector.options());
            } else {
                const auto found = vision::find_faces(gray, detector, vision::CropMode::kAuto);
                if (found.size() != 1) {
                    problems.push_back(path + ": " + std::to_string(found.size()) +
                                       " faces found; give the face's box (x,y,width,height columns)");
                    continue;
                }
                face = found.front().pixels;
            }
            out.ids.push_back(path);
            out.labels.push_back(row.sample.label);
            out.pixels.insert(out.pixels.end(), face.datastart, face.dataend);
        } catch (const std::exception& e) {
            problems.push_back(e.what());
        }
    }
    if (out.count() == 0) throw InputError(feedback.source, "no usable face in the feedback");
    return out;
}

}  // namespace emo::data
