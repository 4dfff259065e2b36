#define CATCH_CONFIG_MAIN
#include "helpers.hpp"

#include <sndfile.h>

namespace emo::test {

void write_audio(const std::string& path, const std::vector<float>& interleaved, int sample_rate, int channels,
                 int format) {
    SF_INFO info{};
    info.samplerate = sample_rate;
    info.channels = channels;
    info.format = format ? format : (SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    REQUIRE(f != nullptr);
    sf_writef_float(f, interleaved.data(), sf_count_t(interleaved.size() / std::size_t(channels)));
    sf_close(f);
}

}  // namespace emo::test
