// All-reduce time per optimisation step in data-parallel training: the shipped models' gradients
// (one flat float tensor each, as lib/train/engine.cpp sends them) summed across N local processes
// over loopback with c10d/Gloo.
// Usage: bench_allreduce [NPROC] [STEPS] [MODEL...]   (default: 2 processes, 200 steps, models/*.pt)
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "emo/face_cnn.hpp"
#include "emo/process_group.hpp"
#include "emo/speech_cnn.hpp"

namespace {

long parameter_count(const std::string& path) {
    emo::models::ModelMetadata meta;
    const auto modality = emo::models::read_metadata(path).modality;
    long n = 0;
    if (modality == "face") {
        emo::config::FaceConfig cfg;
        for (const auto& p : emo::models::load_face_network(path, meta, cfg)->parameters()) n += p.numel();
    } else {
        emo::config::SpeechConfig cfg;
        for (const auto& p : emo::models::load_speech_network(path, meta, cfg)->parameters()) n += p.numel();
    }
    return n;
}

void run_rank(int rank, int nproc, int port, int steps, const std::vector<std::string>& models,
              const std::vector<long>& sizes) {
    emo::train::DistributedOptions d;
    d.rank = rank;
    d.world_size = nproc;
    d.master_port = port;
    d.timeout_seconds = 60;
    torch::set_num_threads(1);
    const auto group = emo::train::ProcessGroup::join(d);
    for (std::size_t m = 0; m < sizes.size(); ++m) {
        auto grads = torch::randn({sizes[m]});
        for (int i = 0; i < 10; ++i) group->all_reduce_sum(grads);  // warm up the connections
        group->barrier();
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < steps; ++i) group->all_reduce_sum(grads);
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / steps;
        if (rank == 0) {
            std::printf("%-28s %10ld %10.2f %10.3f %10.1f\n", models[m].c_str(), sizes[m], sizes[m] * 4 / 1e6, ms,
                        sizes[m] * 4 / 1e6 / (ms / 1e3));
        }
    }
    group->barrier();
}

}  // namespace

int main(int argc, char** argv) {
    const int nproc = argc > 1 ? std::atoi(argv[1]) : 2;
    const int steps = argc > 2 ? std::atoi(argv[2]) : 200;
    std::vector<std::string> models;
    for (int i = 3; i < argc; ++i) models.emplace_back(argv[i]);
    if (models.empty()) models = {"models/speech.pt", "models/face.pt"};
    std::vector<long> sizes;
    for (const auto& m : models) sizes.push_back(parameter_count(m));
    const int port = 29000 + int(::getpid() % 1000);
    std::printf("%d processes over 127.0.0.1, %d steps\n%-28s %10s %10s %10s %10s\n", nproc, steps, "model", "params",
                "MB", "ms/step", "MB/s");
    std::fflush(stdout);
    std::vector<pid_t> children;
    for (int rank = 1; rank < nproc; ++rank) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            run_rank(rank, nproc, port, steps, models, sizes);
            std::_Exit(0);
        }
        children.push_back(pid);
    }
    run_rank(0, nproc, port, steps, models, sizes);
    int failed = 0;
    for (const pid_t pid : children) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    return failed == 0 ? 0 : 1;
}
