// emo-serve: emo over HTTP. GET /health; POST /v1/predict (the file as the body with its Content-Type, or as
// multipart form data) answering emo-predict's JSON; POST /v1/fuse (an audio and an image part) answering
// emo-fuse's JSON; POST /v1/feedback (corrections, kept for emo-train --feedback); /v1/streams (live audio
// and frames in, a result per window out as server-sent events); the page at /. Loopback by default; models
// load once. docs/live.md.
#include <httplib.h>
#include <malloc.h>
#include <signal.h>
#include <unistd.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <thread>

#include "app.hpp"
#include "emo/models.hpp"
#include "serve.hpp"

namespace {
// SIGINT and SIGTERM end the server cleanly: the handler only writes the signal's number to a pipe (all a handler
// may safely do), and a thread waiting on the pipe stops the server. Any thread may take the signal.
int stop_pipe[2] = {-1, -1};
extern "C" void on_stop_signal(int signal) {
    const char byte = char(signal);
    [[maybe_unused]] const auto written = ::write(stop_pipe[1], &byte, 1);
}
}  // namespace

int main(int argc, char** argv) {
#ifdef M_ARENA_MAX
    // glibc gives each thread that allocates an arena of its own and keeps freed memory there: with 8 request
    // threads, resident memory grew 50 MB over the first 200 requests (bench/serve_load.py); with two arenas it
    // stays within 2 MB at the same requests/s. Set before any thread starts.
    mallopt(M_ARENA_MAX, 2);
#endif
    CLI::App app{"emo-serve: emotion recognition over HTTP (docs/live.md)"};
    app.name("emo-serve");
    emo::app::ServeOptions o;
    app.add_option("--host", o.host, "address to listen on (default 127.0.0.1: this machine only)");
    app.add_option("--port", o.port, "TCP port (0: any free port; the one chosen is printed)")
        ->check(CLI::Range(0, 65535));
    app.add_option("--models", o.models_dir,
                   "folder with speech.pt and face.pt (default: the shipped models); either may be missing");
    app.add_option("--threads", o.http_threads, "requests handled at once (1..64)")->check(CLI::Range(1, 64));
    app.add_option("--max-body", o.max_body, "largest request body in bytes (413 beyond it)")
        ->check(CLI::Range(std::size_t(1024), std::size_t(1) << 34));
    app.add_option("--token", o.token, "when set, every request needs 'Authorization: Bearer TOKEN' (401 otherwise)");
    app.add_option("--max-queue", o.max_queue, "requests waiting or running at once; beyond it 503 with Retry-After")
        ->check(CLI::Range(1, 100000));
    app.add_option("--fusion-config", o.fusion_config, "fusion config (default: the shipped configs/fusion.yaml)");
    app.add_option("--feedback-dir", o.feedback_dir,
                   "keep corrections (POST /v1/feedback) here: inputs named by content hash and feedback.csv, which "
                   "emo-train --feedback reads");
    auto* max_streams =
        app.add_option(
               "--max-streams", o.max_streams,
               "live streams open at once (POST /v1/streams; each event reader holds one of --threads; default 2)")
            ->check(CLI::Range(0, 63));
    app.add_option("--stream-idle", o.stream_idle_seconds, "seconds without input after which a stream is closed")
        ->check(CLI::Range(1.0, 86400.0));
    app.add_option("--request-timeout", o.request_seconds, "seconds a request body may take to arrive (408 beyond)")
        ->check(CLI::Range(1.0, 3600.0));
    app.add_option("--inference-threads", o.inference_threads, "LibTorch threads (0: all cores)")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--device", o.device, "where the models run: cpu, cuda or cuda:N")->check(emo::app::kDeviceName);
    std::string precision;
    emo::app::add_precision_option(app, precision);
    return emo::app::run(app, argc, argv, [&] {
        if (max_streams->count() == 0) o.max_streams = std::min(o.max_streams, o.http_threads - 1);
        if (o.max_streams >= o.http_threads) {
            throw emo::ConfigError("--max-streams " + std::to_string(o.max_streams) + ": must be below --threads " +
                                   std::to_string(o.http_threads) + " (each stream's reader holds a request thread)");
        }
        emo::models::set_threads(o.inference_threads);
        if (!precision.empty()) o.precision = precision;
        emo::app::Server server(o);
        if (::pipe(stop_pipe) != 0) throw emo::RuntimeError("cannot create a pipe for signals");
        struct sigaction action {};
        action.sa_handler = on_stop_signal;
        sigaction(SIGINT, &action, nullptr);
        sigaction(SIGTERM, &action, nullptr);
        std::thread waiter([&] {
            char signal = 0;
            if (::read(stop_pipe[0], &signal, 1) == 1 && signal != 0) spdlog::info("signal {}: stopping", int(signal));
            server.stop();
        });
        const int port = server.bind();
        std::cout << "emo-serve: listening on http://" << o.host << ':' << port << std::endl;
        server.listen();
        on_stop_signal(0);  // the server stopped: release the waiter if no signal did
        waiter.join();
        return 0;
    });
}
