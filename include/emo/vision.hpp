#pragma once
// Images in, faces out: decoding any image OpenCV reads to 8-bit grayscale, face detection (YuNet
// when its model file is found, else OpenCV's Haar cascade; OpenCV's DNN detector when configured),
// alignment on the landmarks, and normalisation of a face to the model's input. Training and prediction both go through
// find_faces(), so they preprocess alike.
#include <opencv2/core.hpp>

#include <memory>
#include <string>
#include <vector>

namespace emo::vision {

enum class DetectorKind { kAuto, kYunet, kHaar, kDnn };
// kAuto: small, roughly square images (FER2013-style crops) are used whole, others are searched.
enum class CropMode { kAuto, kWhole, kDetect };

// How faces are found in photos and video frames: the config's `detector:` section.
struct DetectorOptions {
    DetectorKind kind = DetectorKind::kAuto;  // auto: YuNet when its model file is found, else Haar
    std::string model;                        // YuNet .onnx, or the DNN network; empty: YuNet from find_yunet_model()
    std::string config;                       // DNN only: its config file (e.g. deploy.prototxt)
    std::string haar_cascade;                 // empty: Debian opencv-data's haarcascade_frontalface_default.xml
    float score_threshold = 0.6f;             // YuNet and DNN: minimum confidence, 0..1
    float nms_threshold = 0.3f;               // YuNet: boxes overlapping more than this (IoU) are one face
    float min_face_fraction = 0.03f;          // smallest face side, as a fraction of the image's shorter side
    int max_side = 640;                       // larger images are searched on a downscaled copy; boxes are mapped back
    float scale_factor = 1.1f;                // Haar image pyramid step, > 1
    int min_neighbors = 5;                    // Haar: overlapping detections needed to accept a face
    void validate() const;                    // throws ConfigError naming the key
};

struct FaceInputOptions {
    int size = 48;  // model input: size x size grayscale pixels
    DetectorOptions detector;
    bool align = true;         // faces with landmarks (YuNet) are rotated and scaled to kAlignedLandmarks
    float margin = 0.1f;       // unaligned faces: box enlarged by this fraction of its side on every edge
    int whole_max_side = 128;  // kAuto: images no larger than this (and near-square) are crops
    void validate() const;     // throws ConfigError naming the key
};

// Where an aligned face's five landmarks go, as fractions of the crop side (x, y): the subject's
// right eye, left eye, nose tip, right and left mouth corners. The mean of YuNet's landmarks on
// 2,236 FER2013 training crops, centred (docs/faces.md), so aligned faces from photos look like the
// crops the model trained on.
inline constexpr float kAlignedLandmarks[5][2] = {
    {0.3325f, 0.3847f}, {0.6675f, 0.3847f}, {0.5f, 0.5907f}, {0.3602f, 0.7548f}, {0.6398f, 0.7548f}};

struct FaceBox {
    int x = 0, y = 0, width = 0, height = 0;  // pixels of the original image
    float score = 1.0f;                       // detector confidence (1 for Haar and whole images)
    // YuNet's five landmarks in original pixels: the subject's right eye, left eye, nose tip, right
    // and left mouth corners (the right eye is on the image's left). Empty for other detectors.
    std::vector<cv::Point2f> landmarks;
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
// Whether the file name ends in a common image extension (.png, .jpg, ...).
bool has_image_extension(const std::string& path);

// The YuNet model file: `configured` when given (ConfigError naming detector.model when it is not a
// file), else the first of $EMO_YUNET_MODEL and DIR/yunet/face_detection_yunet_2022mar.onnx for DIR
// in $EMO_MODELS_DIR, $XDG_DATA_HOME/emo/models (~/.local/share/emo/models), /usr/local/share/emo/models,
// /usr/share/emo/models. Empty when none exists; ConfigError when $EMO_YUNET_MODEL names no file.
std::string find_yunet_model(const std::string& configured = "");

class FaceDetector {
public:
    // Loads the model (kAuto resolves to YuNet or Haar here). Throws ConfigError naming the key and
    // the file when it cannot be loaded.
    explicit FaceDetector(const FaceInputOptions& opts);
    FaceDetector(FaceDetector&&) noexcept;
    FaceDetector& operator=(FaceDetector&&) noexcept;
    ~FaceDetector();
    // Every face in an 8-bit grayscale image, largest first; empty when there is none. Not
    // thread-safe: one detector per thread (detectors_for).
    std::vector<FaceBox> detect(const cv::Mat& gray) const;
    const FaceInputOptions& options() const { return opts_; }
    // What runs: "yunet", "haar" or "dnn", and the model file it loaded.
    const std::string& name() const;
    const std::string& model_file() const;

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
// Whether find_faces uses `gray` whole (kWhole, or kAuto on a crop) rather than searching it.
bool used_whole(const cv::Mat& gray, const FaceInputOptions& opts, CropMode mode);
// The model input for one face, size x size. With landmarks and `align`: rotated, scaled and
// shifted (one similarity transform, least squares over the five points) to put them where
// kAlignedLandmarks says (beyond the image's edge, its edge pixels repeat). Otherwise the box enlarged by the margin,
// clipped to the image, resized (area interpolation when shrinking).
cv::Mat normalise_face(const cv::Mat& gray, const FaceBox& box, const FaceInputOptions& opts);
// Faces of an image as the model sees them: the whole image (kWhole, or kAuto on a crop) or every
// detected face (kDetect, or kAuto on a photo). Empty when a photo has no face.
std::vector<Face> find_faces(const cv::Mat& gray, const FaceDetector& detector, CropMode mode);

}  // namespace emo::vision
