#pragma once
// emo-serve's server: routes, authentication, limits, and the models it loads once.
#include <cstddef>
#include <memory>
#include <string>

namespace emo::app {

struct ServeOptions {
    std::string host = "127.0.0.1";
    int port = 8080;
    std::string models_dir;  // speech.pt and face.pt; empty: the shipped models
    int http_threads = 4;    // requests handled at once
    std::size_t max_body = std::size_t(64) << 20;
    std::string token;                // empty: no authentication
    int max_queue = 16;               // requests waiting or running; beyond it 503
    std::string fusion_config;        // empty: the shipped one
    std::string feedback_dir;         // empty: POST /v1/feedback answers 503
    int max_streams = 2;              // live streams open at once (each reader holds one of http_threads); 0: none
    double stream_idle_seconds = 60;  // a stream fed nothing this long is closed
    double request_seconds = 60;      // a request body must arrive within this
    // What the streams' predictor runs with (the programs set the same for the rest of the process).
    int inference_threads = 0;
    std::string device = "cpu", precision = "auto";
};

class Server {
public:
    // Loads the models (a missing one makes its modality answer 503). Throws like the models' loaders.
    explicit Server(const ServeOptions& options);
    ~Server();
    // Binds the address; returns the port (the chosen one for port 0). Throws RuntimeError when it cannot bind.
    int bind();
    // Serves until stop().
    void listen();
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace emo::app
