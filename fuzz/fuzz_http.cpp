// emo-serve's request handling: each input is sent as raw bytes over loopback to a server running in this
// process (the shipped models, feedback kept in a scratch folder, streams on), the write side is closed and the
// answer read to its end. A crash, sanitizer report, leak or hang (libFuzzer's -timeout) is a finding; every
// answer, 4xx included, is fine.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "serve.hpp"

namespace {

struct RunningServer {
    std::unique_ptr<emo::app::Server> server;
    std::thread thread;
    int port = 0;
    std::string feedback_dir =
        (std::filesystem::temp_directory_path() / ("emo-fuzz-feedback-" + std::to_string(::getpid()))).string();

    RunningServer() {
        emo::app::ServeOptions o;
        o.port = 0;
        o.models_dir = EMO_SOURCE_DIR "/models";
        o.feedback_dir = feedback_dir;
        o.max_body = 1 << 20;
        o.request_seconds = 2;
        o.stream_idle_seconds = 2;
        server = std::make_unique<emo::app::Server>(o);
        port = server->bind();
        thread = std::thread([this] { server->listen(); });
    }
    ~RunningServer() {
        server->stop();
        thread.join();
        std::error_code ec;
        std::filesystem::remove_all(feedback_dir, ec);
    }
};

RunningServer& running() {
    static RunningServer s;
    return s;
}

void exchange(int port, const std::uint8_t* data, std::size_t size) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(std::uint16_t(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
        for (std::size_t sent = 0; sent < size;) {
            const auto n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
            if (n <= 0) break;
            sent += std::size_t(n);
        }
        ::shutdown(fd, SHUT_WR);
        char answer[4096];
        while (::recv(fd, answer, sizeof answer, 0) > 0) {
        }
    }
    ::close(fd);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    exchange(running().port, data, size);
    return 0;
}
