// Feature extraction throughput on a folder of clips: decode (libsndfile) -> resample to 16 kHz
// (libsoxr) -> log-mel (FFTW), the same pipeline as bench/features_torchaudio.py.
// Usage: bench_features DIR [threads] [repeats]
#include <chrono>
#include <cstdio>
#include <string>

#include "emo/core.hpp"
#include "emo/config.hpp"
#include "emo/data.hpp"
#include "emo/models.hpp"

int main(int argc, char** argv) {
    emo::core::keep_freed_memory();  // as the programs do
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s DIR [threads] [repeats]\n", argv[0]);
        return 2;
    }
    const int threads = argc > 2 ? std::stoi(argv[2]) : 1;
    const int repeats = argc > 3 ? std::stoi(argv[3]) : 3;
    try {
        const auto ds = emo::data::read_ravdess(argv[1]);
        std::vector<std::string> paths;
        for (const auto& s : ds.samples) paths.push_back(s.path);
        emo::config::SpeechInputOptions input;
        input.trim.top_db = 0;  // torchaudio side does not trim: compare like with like
        input.features.n_mels = 64;
        // Warm-up run (page cache, FFTW plans), then the best of `repeats`.
        emo::models::featurize_all(input, paths, "", false, threads);
        double best = 1e30;
        long frames = 0;
        for (int r = 0; r < repeats; ++r) {
            const auto t0 = std::chrono::steady_clock::now();
            const auto feats = emo::models::featurize_all(input, paths, "", false, threads);
            best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
            frames = 0;
            for (const auto& f : feats) frames += f.num_frames;
        }
        std::printf("emo: %zu clips, %ld frames, %d thread(s): %.3f s (%.1f clips/s)\n", paths.size(), frames, threads,
                    best, double(paths.size()) / best);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
