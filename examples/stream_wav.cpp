// stream_wav FILE [WINDOW_S] [HOP_S]: emotion over time, the way a live input is scored: the audio is pushed
// a tenth of a second at a time into an emo::SpeechStream (default: the model's window every 1 s) and each
// window's result printed as soon as it is ready: "start<TAB>end<TAB>label<TAB>confidence" in seconds. No
// microphone needed.
#include <emo/emo.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>

namespace {
void print(const std::vector<emo::WindowResult>& windows) {
    for (const auto& w : windows) {
        if (w.result.no_speech) std::printf("%.2f\t%.2f\tno speech\t0\n", w.start, w.end);
        else
            std::printf("%.2f\t%.2f\t%s\t%.4f\n", w.start, w.end, w.result.scores.label().c_str(),
                        w.result.scores.confidence());
    }
    std::fflush(stdout);
}
}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: stream_wav FILE [WINDOW_S] [HOP_S]\n";
        return 2;
    }
    try {
        emo::StreamOptions windows;
        if (argc > 2) windows.window_seconds = std::stod(argv[2]);
        if (argc > 3) windows.hop_seconds = std::stod(argv[3]);
        const auto clip = emo::read_audio(argv[1]);
        const emo::Predictor predictor;
        emo::SpeechStream stream(predictor, clip.sample_rate, 1, windows);
        const auto chunk = std::size_t(clip.sample_rate) / 10;
        for (std::size_t at = 0; at < clip.samples.size(); at += chunk)
            print(stream.push(clip.samples.data() + at, std::min(chunk, clip.samples.size() - at)));
        print(stream.finish());
    } catch (const std::exception& e) {
        std::cerr << "stream_wav: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
