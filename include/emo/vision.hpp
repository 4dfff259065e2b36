#pragma once
// Images in, faces out: decoding any image OpenCV reads to 8-bit grayscale, face detection (Haar
// cascade by default, OpenCV's DNN detector when configured), and normalisation of a face to the
// model's input. Training and prediction both go through find_faces(), so they preprocess alike.
#include <opencv2/core.hpp>

#include <memory>
#include <string>
#include <vector>

#include "emo/data.hpp"

namespace emo::vision {

enum class Detector { kHaar, kDnn };
// kAuto: small, roughly square images (FER2013-style crops) are used whole, others are searched.
enum class CropMode { kAuto, kWhole, kDetect };

struct FaceInputOptions {
    int size = 48;                     // model input: size x size grayscale pixels
    Detector detector = Detector::kHaar;
    std::string haar_cascade;          // empty: Debian opencv-data's haarcascade_frontalface_default.xml
    std::string dnn_model, dnn_config; // e.g. res10_300x300_ssd_iter_140000.caffemodel + deploy.prototxt
    float dnn_threshold = 0.6f;        // minimum detection confidence, 0..1
    float scale_factor = 1.1f;         // Haar image pyramid step, > 1
    int min_neighbors = 5;             // Haar: overlapping detections needed to accept a face
    float min_face_fraction = 0.05f;   // smallest face side, as a fraction of the image's shorter side
    float margin = 0.1f;               // box enlarged by this fraction of its side on every edge
    int max_detect_side = 1280;        // larger images are downscaled for detection (bounded memory)
    int whole_max_side = 128;          // kAuto: images no larger than this (and near-square) are crops
    void validate() const;             // throws ConfigError naming the key
};

struct FaceBox {
    int x = 0, y = 0, width = 0, height = 0;  // pixels of the original image
    float score = 1.0f;                        // detector confidence (1 for Haar and whole images)
};

struct Face {
    FaceBox box;
    cv::Mat pixels;  // CV_8UC1, size x size
};

// Decodes any image OpenCV reads (gray, colour, alpha, 16-bit) to 8-bit grayscale. The format is
// found from the content, not the extension. Throws InputError naming the file when it is missing,
// empty or not a readable image.
cv::Mat read_gray(const std::string& path);
// Whether the file is to be treated as an image: OpenCV recognises its content, or its name has an
// image extension (so a corrupt .png is reported as a bad image, not as bad audio). No full decode.
bool is_image_file(const std::string& path);

class FaceDetector {
public:
    // Loads the cascade or network. Throws ConfigError naming the model file when it cannot be loaded.
    explicit FaceDetector(const FaceInputOptions& opts);
    FaceDetector(FaceDetector&&) noexcept;
    FaceDetector& operator=(FaceDetector&&) noexcept;
    ~FaceDetector();
    // Every face in an 8-bit grayscale image, largest first; empty when there is none. Not
    // thread-safe: one detector per thread (detectors_for).
    std::vector<FaceBox> detect(const cv::Mat& gray) const;
    const FaceInputOptions& options() const { return opts_; }

private:
    struct Impl;
    FaceInputOptions opts_;
    std::unique_ptr<Impl> impl_;
};

// One detector per worker thread: a detector (its cascade or network) must not be shared between
// threads, which made results depend on the thread count. Built here, so a missing model file
// throws ConfigError on the calling thread.
std::vector<FaceDetector> detectors_for(const FaceInputOptions& opts, unsigned workers);

// Whether `gray` looks like an already-cropped face (kAuto rule above).
bool looks_like_face_crop(const cv::Mat& gray, const FaceInputOptions& opts);
// The model input for one face: the box enlarged by the margin, clipped to the image, resized
// (area interpolation when shrinking) to size x size.
cv::Mat normalise_face(const cv::Mat& gray, const FaceBox& box, const FaceInputOptions& opts);
// Faces of an image as the model sees them: the whole image (kWhole, or kAuto on a crop) or every
// detected face (kDetect, or kAuto on a photo). Empty when a photo has no face.
std::vector<Face> find_faces(const cv::Mat& gray, const FaceDetector& detector, CropMode mode);

// Labelled faces for training or evaluation, decoded once. `path` is a FER2013 CSV, a manifest CSV
// (path,label), a class-folder tree, or a folder of split folders (FER2013 layout: train/,
// publictest/, ...). `split` picks the Usage value or split folder (case-insensitive; empty: none).
// Images are preprocessed with find_faces(); an image yielding several faces contributes its
// largest. Images that cannot be read or have no face are skipped and described in `problems`.
// Throws InputError when the data cannot be read at all or no face remains.
data::FaceImages load_faces(const std::string& path, const std::string& split, const FaceDetector& detector,
                            CropMode mode, int threads, std::vector<std::string>& problems);
// Faces of a feedback CSV's rows: the row's box when it has one, else the image's only face (a
// crop is used whole). Rows that cannot be used go to `problems`. Throws InputError when none can.
data::FaceImages load_feedback_faces(const data::Feedback& feedback, const FaceDetector& detector,
                                     std::vector<std::string>& problems);
// Whether `path` holds the named split (a FER2013 CSV Usage value or a split folder).
bool has_split(const std::string& path, const std::string& split);

}  // namespace emo::vision
