// The Python module `emo`: emo.predict(path | samples | pixels) and emo.Predictor, returning plain dicts.
// The GIL is released while emo decodes and runs its networks; emo's errors become emo.Error
// (emo.ConfigError, emo.InputError) carrying emo's message.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <mutex>

#include "emo/emo.hpp"

namespace py = pybind11;

namespace {

py::dict scores_dict(const emo::Scores& s) {
    py::dict d;
    d["label"] = s.empty() ? py::object(py::none()) : py::object(py::str(s.label()));
    d["confidence"] = s.empty() ? py::object(py::none()) : py::object(py::float_(s.confidence()));
    py::dict scores;
    for (std::size_t i = 0; i < s.labels.size(); ++i) scores[py::str(s.labels[i])] = s.values[i];
    d["scores"] = scores;
    return d;
}

py::dict box_dict(const emo::Box& b) {
    return py::dict(py::arg("x") = b.x, py::arg("y") = b.y, py::arg("width") = b.width, py::arg("height") = b.height,
                    py::arg("score") = b.score);
}

py::dict to_dict(const emo::SpeechResult& r) {
    py::dict d = scores_dict(r.scores);
    d["kind"] = "audio";
    d["source"] = r.source;
    d["no_speech"] = r.no_speech;
    d["precision"] = r.precision;
    if (!r.error.empty()) d["error"] = r.error;
    return d;
}

py::dict to_dict(const emo::ImageResult& r) {
    py::dict d;
    d["kind"] = "image";
    d["source"] = r.source;
    d["found_by"] = r.found_by;
    d["precision"] = r.precision;
    d["width"] = r.width;
    d["height"] = r.height;
    py::list faces;
    for (const auto& f : r.faces) {
        py::dict face = scores_dict(f.scores);
        face["box"] = box_dict(f.box);
        py::list landmarks;  // YuNet's five points as (x, y); empty from other detectors
        for (const auto& point : f.box.landmarks) landmarks.append(py::make_tuple(point.x, point.y));
        face["landmarks"] = landmarks;
        faces.append(face);
    }
    d["faces"] = faces;
    if (!r.error.empty()) d["error"] = r.error;
    return d;
}

py::object scores_or_none(const emo::Scores& s) {
    return s.empty() ? py::object(py::none()) : py::object(scores_dict(s));
}

py::dict to_dict(const emo::VideoSegment& s) {
    py::dict d;
    d["start"] = s.start;
    d["end"] = s.end;
    d["frames"] = s.frames;
    d["frames_with_face"] = s.frames_with_face;
    d["silent"] = s.silent;
    d["face"] = scores_or_none(s.face);
    d["speech"] = scores_or_none(s.speech);
    d["fused"] = scores_or_none(s.fused);
    py::list faces;
    for (const auto& f : s.faces) {
        py::dict face = scores_dict(f.scores);
        face["track"] = f.track;
        face["frames"] = f.frames;
        face["box"] = box_dict(f.box);
        faces.append(face);
    }
    d["faces"] = faces;
    return d;
}

py::dict to_dict(const emo::VideoResult& r, const std::vector<emo::VideoSegment>& segments) {
    py::dict d;
    d["kind"] = "video";
    d["source"] = r.source;
    d["duration"] = r.duration;
    py::list timeline;
    for (const auto& s : segments) timeline.append(to_dict(s));
    d["segments"] = timeline;
    d["segments_with_face"] = r.segments_with_face;
    d["segments_with_speech"] = r.segments_with_speech;
    d["audio"] = r.has_audio;
    d["video"] = r.has_video;
    d["found_by"] = r.found_by;
    d["face_tracks"] = r.face_tracks;
    d["fused"] = scores_or_none(r.fused);
    d["weights"] = py::dict(py::arg("face") = r.face_weight, py::arg("speech") = r.speech_weight);
    d["rule"] = r.rule;
    d["notes"] = r.notes;
    return d;
}

emo::Crop crop_named(const std::string& name) {
    if (name == "auto") return emo::Crop::kAuto;
    if (name == "whole") return emo::Crop::kWhole;
    if (name == "detect") return emo::Crop::kDetect;
    throw emo::ConfigError("crop: expected auto, whole or detect, got '" + name + "'");
}

py::dict predict_path(const emo::Predictor& p, const std::string& path) {
    if (emo::is_image_file(path)) {
        emo::ImageResult r;
        {
            py::gil_scoped_release release;
            r = p.predict_image(path);
        }
        return to_dict(r);
    }
    emo::SpeechResult r;
    {
        py::gil_scoped_release release;
        r = p.predict_audio(path);
    }
    return to_dict(r);
}

// A 1-D float array is audio (needs sample_rate); a 2-D (H, W) or 3-D (H, W, 1|3|4) uint8 array is an
// image (RGB or RGBA channel order).
py::dict predict_array(const emo::Predictor& p, const py::array& array, const py::object& sample_rate) {
    if (array.ndim() == 1) {
        if (sample_rate.is_none()) throw emo::ConfigError("sample_rate: required for audio samples (a 1-D array)");
        const auto samples = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(array);
        const int rate = sample_rate.cast<int>();
        emo::SpeechResult r;
        {
            py::gil_scoped_release release;
            r = p.predict_audio(samples.data(), std::size_t(samples.size()), rate);
        }
        return to_dict(r);
    }
    if (array.ndim() == 2 || array.ndim() == 3) {
        if (!array.dtype().is(py::dtype::of<std::uint8_t>())) {
            throw emo::ConfigError("image: expected a uint8 array, got dtype " +
                                   py::str(array.dtype()).cast<std::string>());
        }
        const auto pixels = py::array_t<std::uint8_t, py::array::c_style>::ensure(array);
        const int channels = array.ndim() == 3 ? int(array.shape(2)) : 1;
        emo::ImageResult r;
        {
            py::gil_scoped_release release;
            r = p.predict_image(pixels.data(), int(array.shape(1)), int(array.shape(0)), channels);
        }
        return to_dict(r);
    }
    throw emo::ConfigError("input: expected a 1-D array of audio samples or a 2-D/3-D uint8 image, got " +
                           std::to_string(array.ndim()) + " dimensions");
}

py::dict predict(const emo::Predictor& p, const py::object& input, const py::object& sample_rate) {
    if (py::isinstance<py::str>(input) || py::hasattr(input, "__fspath__")) {
        return predict_path(p, py::module_::import("os").attr("fspath")(input).cast<std::string>());
    }
    return predict_array(p, py::array::ensure(input), sample_rate);
}

// emo.predict's Predictor: built at the first call, with the shipped models.
const emo::Predictor& shared_predictor() {
    static std::once_flag once;
    static std::unique_ptr<emo::Predictor> predictor;
    std::call_once(once, [] { predictor = std::make_unique<emo::Predictor>(); });
    return *predictor;
}

}  // namespace

PYBIND11_MODULE(emo, m) {
    m.doc() = "emo: emotion of speech and faces";
    m.attr("__version__") = emo::version();
    auto error = py::register_exception<emo::Error>(m, "Error", PyExc_RuntimeError);
    py::register_exception<emo::ConfigError>(m, "ConfigError", error);
    py::register_exception<emo::InputError>(m, "InputError", error);

    py::class_<emo::Predictor>(m, "Predictor",
                               "Loads models once (each on first use; the shipped ones unless given) and predicts "
                               "files, audio sample arrays and image arrays. Safe to share between threads.")
        .def(py::init([](std::string speech_model, std::string face_model, int threads, std::string device,
                         std::string precision, const std::string& crop, bool flip_average, bool detect_speech) {
                 emo::PredictorOptions o;
                 o.speech_model = std::move(speech_model);
                 o.face_model = std::move(face_model);
                 o.threads = threads;
                 o.device = std::move(device);
                 o.precision = std::move(precision);
                 o.crop = crop_named(crop);
                 o.flip_average = flip_average;
                 o.detect_speech = detect_speech;
                 return emo::Predictor(std::move(o));
             }),
             py::arg("speech_model") = "", py::arg("face_model") = "", py::arg("threads") = 0,
             py::arg("device") = "cpu", py::arg("precision") = "auto", py::arg("crop") = "auto",
             py::arg("flip_average") = true, py::arg("detect_speech") = true)
        .def("predict", &predict, py::arg("input"), py::arg("sample_rate") = py::none(),
             "A path (audio or image), a 1-D float array of mono samples (with sample_rate), or a uint8 image "
             "array (H, W) or (H, W, 3|4) in RGB(A) order. Returns a dict: label, confidence, scores (images: "
             "faces, each with box, label, confidence, scores).")
        .def(
            "predict_files",
            [](const emo::Predictor& p, const std::vector<std::string>& paths,
               const std::vector<std::string>& speakers) {
                if (!speakers.empty() && speakers.size() != paths.size())
                    throw emo::ConfigError("speakers: one per path expected");
                std::vector<std::string> images, clips, clip_speakers;
                for (std::size_t k = 0; k < paths.size(); ++k) {
                    const bool image = emo::is_image_file(paths[k]);
                    (image ? images : clips).push_back(paths[k]);
                    if (!image && !speakers.empty()) clip_speakers.push_back(speakers[k]);
                }
                std::vector<emo::ImageResult> image_results;
                std::vector<emo::SpeechResult> clip_results;
                {
                    py::gil_scoped_release release;
                    if (!images.empty()) image_results = p.predict_image_files(images);
                    if (!clips.empty()) clip_results = p.predict_audio_files(clips, clip_speakers);
                }
                py::list out;
                std::size_t i = 0, c = 0;
                for (const auto& path : paths) {
                    if (emo::is_image_file(path)) out.append(to_dict(image_results[i++]));
                    else out.append(to_dict(clip_results[c++]));
                }
                return out;
            },
            py::arg("paths"), py::arg("speakers") = std::vector<std::string>{},
            "Many files at once, in parallel and batched; an unreadable file's dict has 'error' instead of scores. "
            "speakers (one name per path): clips of one speaker, for models trained with input.speaker_norm.")
        .def(
            "predict_video",
            [](const emo::Predictor& p, const std::string& path, double segment_seconds, double frames_per_second,
               int detect_side, std::string fusion_config, float face_weight, std::string rule) {
                emo::VideoOptions o;
                o.segment_seconds = segment_seconds;
                o.frames_per_second = frames_per_second;
                o.detect_side = detect_side;
                o.fusion = {std::move(fusion_config), face_weight, std::move(rule)};
                std::vector<emo::VideoSegment> segments;
                emo::VideoResult r;
                {
                    py::gil_scoped_release release;
                    r = p.predict_video(path, o, [&](const emo::VideoSegment& s) { segments.push_back(s); });
                }
                return to_dict(r, segments);
            },
            py::arg("path"), py::arg("segment_seconds") = 2.5, py::arg("frames_per_second") = 2.0,
            py::arg("detect_side") = 480, py::arg("fusion_config") = "", py::arg("face_weight") = -1.0f,
            py::arg("rule") = "",
            "A video (or a long recording) as a timeline: a dict with 'segments' (start, end, face, faces with their "
            "track, speech, fused; None where absent) and the summary (duration, fused, weights, rule, notes). "
            "face_weight 0..1 and rule (weighted, product, max) replace the fusion config's.")
        .def_property_readonly("speech_labels", &emo::Predictor::speech_labels)
        .def_property_readonly("face_labels", &emo::Predictor::face_labels);

    m.def(
        "evaluate",
        [](const std::string& data, const std::string& model, const std::string& split,
           const std::vector<std::string>& speakers, int threads, const std::string& precision, bool closed_set) {
            emo::EvaluatorOptions o;
            o.model = model;
            o.threads = threads;
            o.precision = precision;
            o.closed_set = closed_set;
            emo::Evaluation e;
            {
                py::gil_scoped_release release;
                e = emo::Evaluator(o).evaluate(data, split, speakers);
            }
            py::dict d;
            d["model"] = e.model_path;
            d["data"] = e.data;
            d["precision"] = e.precision;
            d["labels"] = e.labels;
            d["n"] = e.n;
            d["accuracy"] = e.accuracy;
            d["uar"] = e.uar;
            d["macro_f1"] = e.macro_f1;
            d["weighted_f1"] = e.weighted_f1;
            d["most_predicted"] = e.most_predicted;
            d["most_predicted_share"] = e.most_predicted_share;
            d["prediction_entropy_bits"] = e.prediction_entropy_bits;
            d["expected_calibration_error"] = e.expected_calibration_error;
            d["confusion"] = e.confusion;
            d["predictions"] =
                py::dict(py::arg("id") = e.ids, py::arg("truth") = e.truth, py::arg("predicted") = e.predicted);
            d["problems"] = e.problems;
            d["report"] = e.report;
            return d;
        },
        py::arg("data"), py::arg("model") = "", py::arg("split") = "", py::arg("speakers") = std::vector<std::string>{},
        py::arg("threads") = 0, py::arg("precision") = "auto", py::arg("closed_set") = false,
        "A model (default: the shipped one for the data's modality) on a labelled dataset, as emo-eval reports it; "
        "closed_set: predictions chosen among the labels the data has.");

    m.def(
        "predict",
        [](const py::object& input, const py::object& sample_rate) {
            return predict(shared_predictor(), input, sample_rate);
        },
        py::arg("input"), py::arg("sample_rate") = py::none(), "Predictor().predict with the shipped models.");
}
