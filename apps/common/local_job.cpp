#include "local_job.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <map>
#include <thread>

#include "emo/error.hpp"

namespace emo::app {

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw RuntimeError(std::string("--nproc: cannot open a socket: ") + std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
    ::close(fd);
    if (!ok) throw RuntimeError(std::string("--nproc: cannot find a free port on 127.0.0.1: ") + std::strerror(errno));
    return ntohs(addr.sin_port);
}

Environment torchrun_environment(int rank, int nproc, int port) {
    return {{"RANK", std::to_string(rank)},        {"LOCAL_RANK", std::to_string(rank)},
            {"WORLD_SIZE", std::to_string(nproc)}, {"LOCAL_WORLD_SIZE", std::to_string(nproc)},
            {"MASTER_ADDR", "127.0.0.1"},          {"MASTER_PORT", std::to_string(port)}};
}

namespace {

pid_t start_rank(const Environment& environment, const std::vector<std::string>& args) {
    const pid_t pid = ::fork();
    if (pid < 0) throw RuntimeError(std::string("--nproc: cannot start a process: ") + std::strerror(errno));
    if (pid > 0) return pid;
    for (const auto& [name, value] : environment) ::setenv(name.c_str(), value.c_str(), 1);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv("/proc/self/exe", argv.data());
    std::fprintf(stderr, "error: --nproc: cannot run %s: %s\n", args[0].c_str(), std::strerror(errno));
    std::_Exit(1);
}

std::string how_it_ended(int status) {
    if (WIFSIGNALED(status)) {
        const int s = WTERMSIG(status);
        return "was killed by signal " + std::to_string(s) + " (" + strsignal(s) + ")";
    }
    return "exited with code " + std::to_string(WEXITSTATUS(status));
}

int exit_code_of(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 1; }

}  // namespace

int run_local_job(int nproc, const std::vector<std::string>& args, const std::function<Environment(int)>& environment,
                  double grace_seconds) {
    std::map<pid_t, int> running;  // pid -> rank
    for (int rank = 0; rank < nproc; ++rank) running[start_rank(environment(rank), args)] = rank;

    int result = 0;
    std::chrono::steady_clock::time_point deadline;
    while (!running.empty()) {
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, result == 0 ? 0 : WNOHANG);
        if (pid < 0 && errno == EINTR) continue;
        if (pid < 0) break;
        if (pid == 0) {  // a rank failed earlier; the others are stopping
            if (std::chrono::steady_clock::now() > deadline) {
                for (const auto& [p, rank] : running) {
                    spdlog::error("rank {} (pid {}) did not stop within {:.0f} s of the failure; killing it", rank, p,
                                  grace_seconds);
                    ::kill(p, SIGKILL);
                }
                deadline = std::chrono::steady_clock::time_point::max();  // killed once; waitpid reaps them
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            continue;
        }
        const auto it = running.find(pid);
        if (it == running.end()) continue;
        const int rank = it->second;
        running.erase(it);
        const bool failed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
        if (failed && result == 0) {
            spdlog::error("rank {} (pid {}) {}; {}", rank, pid, how_it_ended(status),
                          grace_seconds < 1e6 ? "stopping the other ranks" : "the others finish their work");
            result = exit_code_of(status);
            if (result == 0) result = 1;
            deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(long(grace_seconds * 1000));
        } else if (failed) {
            spdlog::warn("rank {} (pid {}) {}", rank, pid, how_it_ended(status));
        }
    }
    return result;
}

}  // namespace emo::app
