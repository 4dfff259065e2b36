// emo-serve: emo over HTTP. GET /health; POST /v1/predict (the file as the body with its Content-Type, or as
// multipart form data) answering emo-predict's JSON; POST /v1/fuse (an audio and an image part) answering
// emo-fuse's JSON. Loopback by default; models load once.
#include <httplib.h>
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
    CLI::App app{"emo-serve: emotion recognition over HTTP (GET /health, POST /v1/predict, POST /v1/fuse)"};
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
    std::string device = "cpu", precision;
    int threads = 0;
    app.add_option("--inference-threads", threads, "LibTorch threads (0: all cores)")->check(CLI::NonNegativeNumber);
    app.add_option("--device", device, "where the models run: cpu, cuda or cuda:N")->check(emo::app::kDeviceName);
    emo::app::add_precision_option(app, precision);
    return emo::app::run(app, argc, argv, [&] {
        emo::models::set_threads(threads);
        emo::models::use_device(device);
        emo::app::use_precision(precision);
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
