#include "serve.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "app.hpp"
#include "emo/core.hpp"
#include "emo/prediction_json.hpp"
#include "emo/vision.hpp"
#include "fusion_output.hpp"
#include "index_html.hpp"
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

std::optional<Upload> upload_named(const httplib::Request& req, const std::string& field) {
    if (!req.has_file(field)) return std::nullopt;
    const auto f = req.get_file_value(field);
    return Upload{f.content, f.content_type, f.filename.empty() ? field : f.filename};
}

// The body itself (Content-Type audio/*, image/*, video/*) or a multipart part named "file".
std::optional<Upload> upload_of(const httplib::Request& req) {
    if (req.is_multipart_form_data()) return upload_named(req, "file");
    if (req.body.empty()) return std::nullopt;
    return Upload{req.body, req.get_header_value("Content-Type"), "body"};
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
    std::optional<models::SpeechModel> speech;
    std::optional<models::FaceModel> face;
    config::FusionConfig fusion;
    std::mutex inference;  // the models run one request at a time (LibTorch uses every core for each)
    std::atomic<int> active{0};
    std::atomic<long> next_file{0};
    fs::path scratch;

    explicit Impl(const ServeOptions& o) : options(o) {
        const auto model_path = [&](const std::string& modality) {
            return o.models_dir.empty() ? default_model(modality) : o.models_dir + "/" + modality + ".pt";
        };
        for (const std::string modality : {"speech", "face"}) {
            const auto path = model_path(modality);
            if (!o.models_dir.empty() && !fs::exists(path)) {
                spdlog::warn("{}: not found; {} requests get 503", path, modality);
                continue;
            }
            if (modality == "speech") speech = models::SpeechModel::load(path);
            else face = models::FaceModel::load(path);
        }
        if (!speech && !face) throw ConfigError("--models " + o.models_dir + ": neither speech.pt nor face.pt");
        fusion = load_fusion(o.fusion_config);
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
            j["speech"] = {{"model", speech->path()},
                           {"labels", speech->metadata().labels},
                           {"precision", precision_name(speech->precision())}};
        }
        if (face) {
            j["face"] = {{"model", face->path()},
                         {"labels", face->metadata().labels},
                         {"precision", precision_name(face->precision())}};
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
        const auto file = to_file(u);
        const std::string path = file->path.string();
        std::lock_guard lock(inference);
        std::string body;
        if (kind == "audio") {
            auto p = models::predict_speech_files(*speech, {path}, 0, &speech->config().input.voice_activity).at(0);
            if (!p.error.empty()) return reply_error(res, 422, about_upload(p.error, path, u.name));
            p.file = u.name;
            body = fusion::speech_prediction_json(p, speech->metadata().labels) + "\n";
        } else if (kind == "image") {
            auto p = models::predict_image_files(*face, {path}, vision::CropMode::kAuto).at(0);
            if (!p.error.empty()) return reply_error(res, 422, about_upload(p.error, path, u.name));
            p.file = u.name;
            body = fusion::image_prediction_json(p, face->metadata().labels) + "\n";
        } else {
            std::ostringstream out;
            print_video(path, *face, *speech, fusion, video::VideoOptions{}, Format::kJson, out);
            body = out.str();
            for (std::size_t at = body.find(path); at != std::string::npos; at = body.find(path, at + u.name.size()))
                body.replace(at, path.size(), u.name);
        }
        res.set_content(body, kind == "video" ? "application/x-ndjson" : "application/json");
    }

    void fuse(const httplib::Request& req, httplib::Response& res) {
        const auto audio = upload_named(req, "audio"), image = upload_named(req, "image");
        if (!audio || !image) return reply_error(res, 400, "expected multipart parts 'audio' and 'image'");
        if (!speech || !face) return reply_error(res, 503, "fusion needs both models (--models)");
        const auto clip = to_file(*audio), photo = to_file(*image);
        std::lock_guard lock(inference);
        std::ostringstream out;
        print_fused(fusion_inputs_from_media(photo->path.string(), clip->path.string(), *face, *speech), fusion, true,
                    out);
        res.set_content(out.str(), "application/json");
    }

    // Runs `handler` in a queue slot, turning emo's errors into statuses with the message as JSON.
    httplib::Server::Handler guarded(std::function<void(const httplib::Request&, httplib::Response&)> handler) {
        return [this, handler](const httplib::Request& req, httplib::Response& res) {
            const Slot slot(active, options.max_queue);
            if (!slot.taken()) {
                res.set_header("Retry-After", "1");
                return reply_error(res, 503,
                                   "busy: " + std::to_string(options.max_queue) +
                                       " requests already waiting or running (--max-queue)");
            }
            try {
                handler(req, res);
            } catch (const Error& e) {
                reply_error(res, status_of(e), e.what());
            } catch (const std::exception& e) {
                spdlog::error("{} {}: internal error: {}", req.method, req.path, e.what());
                reply_error(res, 500, std::string("internal error: ") + e.what());
            }
        };
    }

    void routes() {
        http.new_task_queue = [n = options.http_threads] { return new httplib::ThreadPool(std::size_t(n)); };
        http.set_payload_max_length(options.max_body);
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
        http.Post("/v1/predict", guarded([this](const httplib::Request& req, httplib::Response& res) {
                      const auto u = upload_of(req);
                      if (!u) return reply_error(res, 400, "expected the file as the body, or a multipart part 'file'");
                      predict(*u, res);
                  }));
        http.Post("/v1/fuse", guarded([this](const httplib::Request& req, httplib::Response& res) { fuse(req, res); }));
        http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
            if (!res.body.empty()) return;
            const std::string why = res.status == 413   ? "request body larger than --max-body"
                                    : res.status == 404 ? "no such endpoint (GET /health, POST /v1/predict, /v1/fuse)"
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
void Server::stop() { impl_->http.stop(); }

}  // namespace emo::app
