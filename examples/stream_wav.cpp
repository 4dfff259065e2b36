// stream_wav FILE [WINDOW_S] [HOP_S]: emotion over time, the way a live input would be scored: the audio
// is fed window by window (default 3 s windows every 1 s) and each window's result printed as it is
// ready: "start<TAB>end<TAB>label<TAB>confidence" in seconds. No microphone needed.
#include <emo/emo.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: stream_wav FILE [WINDOW_S] [HOP_S]\n";
        return 2;
    }
    try {
        const double window_s = argc > 2 ? std::stod(argv[2]) : 3.0;
        const double hop_s = argc > 3 ? std::stod(argv[3]) : 1.0;
        if (window_s <= 0 || hop_s <= 0) throw emo::ConfigError("window and hop: expected > 0 seconds");
        const auto clip = emo::read_audio(argv[1]);
        const emo::Predictor predictor;
        const auto window = std::size_t(window_s * clip.sample_rate), hop = std::size_t(hop_s * clip.sample_rate);
        for (std::size_t start = 0; start < clip.samples.size(); start += hop) {
            const std::size_t n = std::min(window, clip.samples.size() - start);
            const auto r = predictor.predict_audio(clip.samples.data() + start, n, clip.sample_rate);
            const double t0 = double(start) / clip.sample_rate, t1 = double(start + n) / clip.sample_rate;
            if (r.no_speech) std::printf("%.2f\t%.2f\tno speech\t0\n", t0, t1);
            else std::printf("%.2f\t%.2f\t%s\t%.4f\n", t0, t1, r.scores.label().c_str(), r.scores.confidence());
            std::fflush(stdout);
            if (start + n >= clip.samples.size()) break;
        }
    } catch (const std::exception& e) {
        std::cerr << "stream_wav: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
