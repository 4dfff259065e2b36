#pragma once
// Labelled face datasets read into memory for training and evaluation, and what kind of dataset a path holds.
// The data layer over vision: faces are found and preprocessed with vision::find_faces, as at prediction.
#include <string>
#include <vector>

#include "emo/data.hpp"
#include "emo/vision.hpp"

namespace emo::data {

// Labelled faces, decoded once. `path` is a FER2013 CSV, a manifest CSV (path,label), a class-folder tree, or a
// folder of split folders (FER2013 layout: train/, publictest/, ...). `split` picks the Usage value or split folder
// (case-insensitive; empty: none). Images are preprocessed with vision::find_faces(); an image yielding several
// faces contributes its largest. Images that cannot be read or have no face are skipped and described in
// `problems`. Throws InputError when the data cannot be read at all or no face remains.
FaceImages load_faces(const std::string& path, const std::string& split, const vision::FaceDetector& detector,
                      vision::CropMode mode, int threads, std::vector<std::string>& problems);
// Faces of a feedback CSV's rows: the row's box when it has one, else the image's only face (a crop is used whole).
// Rows that cannot be used go to `problems`. Throws InputError when none can.
FaceImages load_feedback_faces(const Feedback& feedback, const vision::FaceDetector& detector,
                               std::vector<std::string>& problems);
// Whether `path` holds the named split (a FER2013 CSV Usage value or a split folder).
bool has_split(const std::string& path, const std::string& split);

// What a dataset path holds, decided from the path alone (nothing is decoded): the one place that tells faces
// from speech. A FER2013 CSV, or a folder whose class folders (in `split`'s folder when it has one) hold images,
// is faces; anything else (a RAVDESS-style folder, a manifest CSV, a folder with manifest.csv) is speech.
struct DatasetLayout {
    enum class Kind { kFer2013Csv, kFaceFolders, kFaceManifest, kSpeech };
    Kind kind = Kind::kSpeech;
    bool in_split = false;  // `split` is a split folder of `path` (face folders)
    std::string modality() const { return kind == Kind::kSpeech ? "speech" : "face"; }
};
DatasetLayout dataset_layout(const std::string& path, const std::string& split);

}  // namespace emo::data
