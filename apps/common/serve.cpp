#include "serve.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "app.hpp"
#include "emo/core.hpp"
#include "emo/emo.hpp"
#include "emo/prediction_json.hpp"
#include "emo/vision.hpp"
#include "feedback_store.hpp"
#include "fusion_output.hpp"
#include "index_html.hpp"
#include "stream_sessions.hpp"
#include "video_output.hpp"

namespace emo::app {
namespace {
namespace fs = std::filesystem;

// A request's status for an emo error: the input is at fault (422) or the request (400).
int status_of(const Error& e) { return e.code == ExitCode::kBadInput ? 422 : e.code == ExitCode::kUsage ? 400 : 500; }

// A reader's "PATH: why" about the scratch file, as "NAME: why" about the upload.
std::string about_upload(const std::string& error, const std::string& path, const std::string& name) {
    return error.rfind(path + ": ", 0) == 0 ? name + error.substr(path.size()) : name + ": " + error;
}

void reply_error(httplib::Response& res, int status, const std::string& message) {
    res.status = status;
    res.set_content(nlohmann::json{{"error", message}}.dump() + "\n", "application/json");
}

// An uploaded file: its bytes, its media type and the name it is reported under.
struct Upload {
    std::string content, type, name;
};

// A request's body, read within the request time limit: a slow sender gets 408 instead of holding a thread.
struct Body {
    std::string raw;
    std::vector<httplib::MultipartFormData> parts;
    bool multipart = false;

    const httplib::MultipartFormData* part(const std::string& name) const {
        for (const auto& p : parts)
            if (p.name == name) return &p;
        return nullptr;
    }
    std::optional<std::string> field(const std::string& name) const {
        const auto* p = part(name);
        return p ? std::optional(p->content) : std::nullopt;
    }
    std::optional<Upload> upload(const std::string& name) const {
        const auto* p = part(name);
        if (!p) return std::nullopt;
        return Upload{p->content, p->content_type, p->filename.empty() ? name : p->filename};
    }
    // The body itself (Content-Type audio/*, image/*, video/*) or a multipart part named "file".
    std::optional<Upload> file(const httplib::Request& req) const {
        if (multipart) return upload("file");
        if (raw.empty()) return std::nullopt;
        return Upload{raw, req.get_header_value("Content-Type"), "body"};
    }
};

using Clock = std::chrono::steady_clock;

// Reads the body; false when it did not arrive before `deadline` or was not well-formed.
bool read_body(const httplib::Request& req, const httplib::ContentReader& reader, Clock::time_point deadline,
               Body& body) {
    const auto in_time = [&] { return Clock::now() < deadline; };
    if (!req.has_header("Content-Length") && !req.has_header("Transfer-Encoding")) return true;  // no body
    if (!req.is_multipart_form_data()) {
        return reader([&](const char* data, std::size_t size) {
            body.raw.append(data, size);
            return in_time();
        });
    }
    body.multipart = true;
    return reader(
        [&](const httplib::MultipartFormData& header) {
            body.parts.push_back(header);
            return in_time();
        },
        [&](const char* data, std::size_t size) {
            if (body.parts.empty()) return false;
            body.parts.back().content.append(data, size);
            return in_time();
        });
}

// A query parameter as a number: absent gives `fallback`; text that is not one all through is a ConfigError.
double number_param(const httplib::Request& req, const std::string& name, double fallback) {
    if (!req.has_param(name.c_str())) return fallback;
    const auto text = req.get_param_value(name.c_str());
    try {
        std::size_t used = 0;
        const double v = std::stod(text, &used);
        if (used == text.size() && std::isfinite(v)) return v;
    } catch (const std::exception&) {
    }
    throw ConfigError(name + ": expected a number, got '" + text + "'");
}

std::string kind_of(const std::string& media_type) {
    for (const char* kind : {"audio", "image", "video"})
        if (media_type.rfind(std::string(kind) + "/", 0) == 0) return kind;
    return "";
}

// Slots for requests waiting or running: beyond max_queue the server answers 503 at once.
class Slot {
public:
    Slot(std::atomic<int>& active, int limit) : active_(active), taken_(active.fetch_add(1) < limit) {}
    ~Slot() { active_.fetch_sub(1); }
    bool taken() const { return taken_; }

private:
    std::atomic<int>& active_;
    bool taken_;
};
}  // namespace

struct Server::Impl {
    ServeOptions options;
    httplib::Server http;
    bool speech = false, face = false;     // whether each model is there (a --models folder may lack one)
    std::unique_ptr<Predictor> predictor;  // every request and stream is scored through it
    config::FusionConfig fusion;
    std::mutex inference;  // the models run one request at a time (LibTorch uses every core for each)
    std::atomic<int> active{0};
    std::atomic<long> next_file{0};
    fs::path scratch;
    std::optional<FeedbackStore> feedback;
    std::unique_ptr<StreamSessions> streams;

    explicit Impl(const ServeOptions& o) : options(o) {
        PredictorOptions po;
        po.threads = o.inference_threads;
        po.device = o.device;
        po.precision = o.precision.empty() ? "auto" : o.precision;
        for (const std::string modality : {"speech", "face"}) {
            const auto path = o.models_dir.empty() ? default_model(modality) : o.models_dir + "/" + modality + ".pt";
            if (!o.models_dir.empty() && !fs::exists(path)) {
                spdlog::warn("{}: not found; {} requests get 503", path, modality);
                continue;
            }
            (modality == "speech" ? po.speech_model : po.face_model) = path;
            (modality == "speech" ? speech : face) = true;
        }
        if (!speech && !face) throw ConfigError("--models " + o.models_dir + ": neither speech.pt nor face.pt");
        predictor = std::make_unique<Predictor>(po);
        // Loaded now: a model that cannot load stops the server before it listens.
        if (speech) predictor->speech_labels();
        if (face) predictor->face_labels();
        fusion = load_fusion(o.fusion_config);
        if (!o.feedback_dir.empty()) feedback.emplace(o.feedback_dir);
        if (o.max_streams > 0)
            streams = std::make_unique<StreamSessions>(*predictor, fusion, o.max_streams, o.stream_idle_seconds);
        char dir[] = "/tmp/emo-serve-XXXXXX";
        if (::mkdtemp(dir) == nullptr) throw RuntimeError("cannot create a scratch folder in /tmp");
        scratch = dir;
        routes();
    }
    ~Impl() {
        std::error_code ec;
        fs::remove_all(scratch, ec);
    }

    // The upload as a scratch file (the readers take paths), removed when the request is done.
    struct ScratchFile {
        fs::path path;
        ~ScratchFile() {
            std::error_code ec;
            fs::remove(path, ec);
        }
    };
    std::unique_ptr<ScratchFile> to_file(const Upload& u) {
        auto f = std::make_unique<ScratchFile>();
        f->path = scratch / ("upload-" + std::to_string(next_file++));
        std::ofstream(f->path, std::ios::binary).write(u.content.data(), std::streamsize(u.content.size()));
        return f;
    }

    nlohmann::json health() const {
        nlohmann::json j{{"status", "ok"}, {"version", kVersion}};
        if (speech) {
            j["speech"] = {{"model", predictor->speech_model_path()},
                           {"labels", predictor->speech_labels()},
                           {"precision", predictor->precision()}};
        }
        if (face) {
            j["face"] = {{"model", predictor->face_model_path()},
                         {"labels", predictor->face_labels()},
                         {"precision", predictor->precision()}};
        }
        return j;
    }

    // emo-predict's JSON for one upload (video: one line per segment, then the summary).
    void predict(const Upload& u, httplib::Response& res) {
        const auto kind = kind_of(u.type);
        if (kind.empty()) {
            return reply_error(res, 415, "Content-Type: expected audio/*, image/* or video/*, got '" + u.type + "'");
        }
        if ((kind != "image" && !speech) || (kind != "audio" && !face))
            return reply_error(res, 503, kind + ": this server has no model for it (--models)");
        if (feedback) {
            if (const auto input_kind = FeedbackStore::kind_of(u.type))
                res.set_header("Emo-Input-Id", feedback->keep({u.content, *input_kind}));
        }
        const auto file = to_file(u);
        const std::string path = file->path.string();
        std::lock_guard lock(inference);
        std::string body;
        if (kind == "audio") {
            auto r = predictor->predict_audio_files({path}).at(0);
            if (!r.error.empty()) return reply_error(res, 422, about_upload(r.error, path, u.name));
            r.source = u.name;
            body = to_json_line(r) + "\n";
        } else if (kind == "image") {
            auto r = predictor->predict_image_files({path}).at(0);
            if (!r.error.empty()) return reply_error(res, 422, about_upload(r.error, path, u.name));
            r.source = u.name;
            body = to_json_line(r) + "\n";
        } else {
            VideoOptions video;
            video.fusion.config = options.fusion_config;
            std::ostringstream out;
            print_video(path, *predictor, video, Format::kJson, out);
            body = out.str();
            for (std::size_t at = body.find(path); at != std::string::npos; at = body.find(path, at + u.name.size()))
                body.replace(at, path.size(), u.name);
        }
        res.set_content(body, kind == "video" ? "application/x-ndjson" : "application/json");
    }

    void fuse(const Body& body, httplib::Response& res) {
        const auto audio = body.upload("audio"), image = body.upload("image");
        if (!audio || !image) return reply_error(res, 400, "expected multipart parts 'audio' and 'image'");
        if (!speech || !face) return reply_error(res, 503, "fusion needs both models (--models)");
        const auto clip = to_file(*audio), photo = to_file(*image);
        std::lock_guard lock(inference);
        std::ostringstream out;
        print_fused(fusion_inputs_from_media(photo->path.string(), clip->path.string(), *predictor), fusion, true, out);
        res.set_content(out.str(), "application/json");
    }

    // A correction: a label for an input sent along (part "file") or kept from a prediction (field "id"), with
    // an optional face box (fields x, y, width, height).
    void record_feedback(const Body& body, httplib::Response& res) {
        if (!feedback) return reply_error(res, 503, "feedback is off: start emo-serve with --feedback-dir DIR");
        if (!body.multipart) return reply_error(res, 400, "expected multipart form data: label, and file or id");
        const auto label = body.field("label");
        if (!label) return reply_error(res, 400, "expected a field 'label'");
        std::optional<KeptInput> input;
        if (const auto file = body.upload("file")) {
            const auto input_kind = FeedbackStore::kind_of(file->type);
            if (!input_kind) {
                return reply_error(res, 415,
                                   "file: Content-Type '" + file->type +
                                       "' is not an audio or image type emo trains on (audio/wav, image/png, ...)");
            }
            input = KeptInput{file->content, *input_kind};
        } else if (const auto id = body.field("id")) {
            input = feedback->kept(*id);
            if (!input) {
                return reply_error(res, 404,
                                   "id '" + *id +
                                       "': no kept input by that id (the server keeps the last "
                                       "predictions' inputs); send the input as part 'file'");
            }
        } else {
            return reply_error(res, 400,
                               "expected a part 'file' (the input) or a field 'id' (Emo-Input-Id of a prediction)");
        }
        std::optional<std::array<int, 4>> box;
        if (body.part("width")) {
            box.emplace();
            const char* names[] = {"x", "y", "width", "height"};
            for (int k = 0; k < 4; ++k) {
                const auto text = body.field(names[k]).value_or("");
                try {
                    std::size_t used = 0;
                    (*box)[std::size_t(k)] = std::stoi(text, &used);
                    if (used != text.size()) throw std::invalid_argument(text);
                } catch (const std::exception&) {
                    return reply_error(res, 400, std::string(names[k]) + ": expected an integer, got '" + text + "'");
                }
            }
        }
        const auto r = feedback->record(*input, *label, box);
        res.status = 201;
        res.set_content(
            nlohmann::json{{"file", r.file}, {"label", r.label}, {"csv", r.csv}, {"rows", r.rows}}.dump() + "\n",
            "application/json");
    }

    StreamRequest stream_request(const httplib::Request& req) const {
        StreamRequest r;
        const auto inputs = req.has_param("inputs") ? req.get_param_value("inputs") : std::string("audio");
        r.audio = inputs.find("audio") != std::string::npos;
        r.video = inputs.find("video") != std::string::npos;
        if (inputs != "audio" && inputs != "video" && inputs != "audio,video" && inputs != "video,audio")
            throw ConfigError("inputs: expected audio, video or audio,video, got '" + inputs + "'");
        r.sample_rate = int(number_param(req, "rate", 16000));
        r.channels = int(number_param(req, "channels", 1));
        if (req.has_param("format")) r.sample_format = req.get_param_value("format");
        r.windows.window_seconds = number_param(req, "window", 0);
        r.windows.hop_seconds = number_param(req, "hop", 1.0);
        return r;
    }

    void open_stream(const httplib::Request& req, httplib::Response& res) {
        if (!streams) return reply_error(res, 503, "streams are off (--max-streams 0)");
        const auto r = stream_request(req);
        if ((r.audio && !speech) || (r.video && !face))
            return reply_error(res, 503, "this server has no model for one of the inputs (--models)");
        StreamInfo info;
        try {
            info = streams->open(r);
        } catch (const RuntimeError& e) {
            res.set_header("Retry-After", "5");
            return reply_error(res, 503, e.what());
        }
        res.status = 201;
        res.set_content(nlohmann::json{{"id", info.id},
                                       {"window", info.window_seconds},
                                       {"hop", info.hop_seconds},
                                       {"events", "/v1/streams/" + info.id + "/events"}}
                                .dump() +
                            "\n",
                        "application/json");
    }

    // Server-sent events: one "window" event per window (emo-predict's timeline line), then "end".
    void stream_events(const std::string& id, httplib::Response& res) {
        if (!streams || !streams->exists(id)) return reply_error(res, 404, "stream " + id + ": no such stream");
        res.set_header("Cache-Control", "no-store");
        res.set_chunked_content_provider("text/event-stream", [this, id](std::size_t, httplib::DataSink& sink) {
            try {
                const auto events = streams->next(id, std::chrono::seconds(15));
                std::string text = events.lines.empty() && !events.ended ? ": waiting\n\n" : "";
                for (const auto& line : events.lines) text += "event: window\ndata: " + line + "\n\n";
                if (events.ended) text += "event: end\ndata: {}\n\n";
                if (!sink.write(text.data(), text.size())) return false;
                if (events.ended) sink.done();
                return true;
            } catch (const Error&) {
                return false;  // the stream was removed (idle); the client sees the connection end
            }
        });
    }

    // Runs `handler` on the request's body in a queue slot, turning emo's errors into statuses with the message
    // as JSON.
    httplib::Server::HandlerWithContentReader guarded(
        std::function<void(const httplib::Request&, const Body&, httplib::Response&)> handler) {
        return [this, handler](const httplib::Request& req, httplib::Response& res,
                               const httplib::ContentReader& reader) {
            const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                     std::chrono::duration<double>(options.request_seconds));
            Body body;
            if (!read_body(req, reader, deadline, body)) {
                if (Clock::now() >= deadline) {
                    return reply_error(res, 408,
                                       "the request body took longer than " +
                                           std::to_string(int(options.request_seconds)) +
                                           " s to arrive (--request-timeout)");
                }
                if (res.status == 413) {
                    return reply_error(
                        res, 413, "request body larger than --max-body " + std::to_string(options.max_body) + " bytes");
                }
                return reply_error(res, 400, "malformed request body");
            }
            const Slot slot(active, options.max_queue);
            if (!slot.taken()) {
                res.set_header("Retry-After", "1");
                return reply_error(res, 503,
                                   "busy: " + std::to_string(options.max_queue) +
                                       " requests already waiting or running (--max-queue)");
            }
            answering_errors(req, res, [&] { handler(req, body, res); });
        };
    }

    static void answering_errors(const httplib::Request& req, httplib::Response& res,
                                 const std::function<void()>& run) {
        try {
            run();
        } catch (const Error& e) {
            reply_error(res, status_of(e), e.what());
        } catch (const std::exception& e) {
            spdlog::error("{} {}: internal error: {}", req.method, req.path, e.what());
            reply_error(res, 500, std::string("internal error: ") + e.what());
        }
    }

    void routes() {
        http.new_task_queue = [n = options.http_threads] { return new httplib::ThreadPool(std::size_t(n)); };
        http.set_payload_max_length(options.max_body);
        http.set_read_timeout(std::chrono::seconds(10));  // a sender that stalls; a slow one meets request_seconds
        http.set_write_timeout(std::chrono::seconds(10));
        http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
            // The page itself is public (a browser cannot send a header to load it); it passes ?token= on.
            const bool page = req.method == "GET" && req.path == "/";
            if (page || options.token.empty() || req.get_header_value("Authorization") == "Bearer " + options.token)
                return httplib::Server::HandlerResponse::Unhandled;
            res.set_header("WWW-Authenticate", "Bearer");
            reply_error(res, 401, "Authorization: Bearer TOKEN required (--token)");
            return httplib::Server::HandlerResponse::Handled;
        });
        http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
            spdlog::debug("{} {} -> {}", req.method, req.path, res.status);
        });
        http.Get("/", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(kIndexHtml, "text/html; charset=utf-8");
        });
        http.Get("/health", [this](const httplib::Request&, httplib::Response& res) {
            res.set_content(health().dump() + "\n", "application/json");
        });
        http.Post("/v1/predict", guarded([this](const httplib::Request& req, const Body& body, httplib::Response& res) {
                      const auto u = body.file(req);
                      if (!u) return reply_error(res, 400, "expected the file as the body, or a multipart part 'file'");
                      predict(*u, res);
                  }));
        http.Post("/v1/fuse", guarded([this](const httplib::Request&, const Body& body, httplib::Response& res) {
                      fuse(body, res);
                  }));
        http.Post("/v1/feedback", guarded([this](const httplib::Request&, const Body& body, httplib::Response& res) {
                      record_feedback(body, res);
                  }));
        http.Post("/v1/streams", guarded([this](const httplib::Request& req, const Body&, httplib::Response& res) {
                      open_stream(req, res);
                  }));
        const auto with_stream = [this](auto&& run) {
            return guarded([this, run](const httplib::Request& req, const Body& body, httplib::Response& res) {
                if (!streams) return reply_error(res, 503, "streams are off (--max-streams 0)");
                run(std::string(req.matches[1]), req, body, res);
            });
        };
        http.Post(R"(/v1/streams/([0-9a-f]{1,64})/audio)",
                  with_stream(
                      [this](const std::string& id, const httplib::Request&, const Body& body, httplib::Response& res) {
                          const double seconds = streams->push_audio(id, body.raw);
                          res.set_content(nlohmann::json{{"seconds", seconds}}.dump() + "\n", "application/json");
                      }));
        http.Post(R"(/v1/streams/([0-9a-f]{1,64})/frame)",
                  with_stream([this](const std::string& id, const httplib::Request& req, const Body& body,
                                     httplib::Response& res) {
                      const auto t = req.has_param("t") ? std::optional(number_param(req, "t", 0)) : std::nullopt;
                      const double seconds = streams->push_frame(id, body.raw, t);
                      res.set_content(nlohmann::json{{"seconds", seconds}}.dump() + "\n", "application/json");
                  }));
        http.Post(
            R"(/v1/streams/([0-9a-f]{1,64})/end)",
            with_stream([this](const std::string& id, const httplib::Request&, const Body&, httplib::Response& res) {
                streams->close(id);
                res.set_content("{}\n", "application/json");
            }));
        http.Get(R"(/v1/streams/([0-9a-f]{1,64})/events)", [this](const httplib::Request& req, httplib::Response& res) {
            answering_errors(req, res, [&] { stream_events(std::string(req.matches[1]), res); });
        });
        http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
            if (!res.body.empty()) return;
            const std::string why =
                res.status == 413 ? "request body larger than --max-body"
                : res.status == 404
                    ? "no such endpoint (GET /, /health, POST /v1/predict, /v1/fuse, /v1/feedback, /v1/streams)"
                    : "HTTP error";
            reply_error(res, res.status, why);
        });
    }
};

Server::Server(const ServeOptions& options) : impl_(std::make_unique<Impl>(options)) {}
Server::~Server() = default;

int Server::bind() {
    const auto& o = impl_->options;
    const int port = o.port == 0 ? impl_->http.bind_to_any_port(o.host) : o.port;
    if (port < 0 || (o.port != 0 && !impl_->http.bind_to_port(o.host, o.port)))
        throw RuntimeError(o.host + ":" + std::to_string(o.port) +
                           ": cannot listen there (in use, or not an address "
                           "of this machine)");
    return port;
}

void Server::listen() { impl_->http.listen_after_bind(); }
void Server::stop() {
    if (impl_->streams) impl_->streams->shut_down();
    impl_->http.stop();
}

}  // namespace emo::app
