// Audio read from a pipe (emo-predict -): the WAV stream header parser and the sample reader, the first byte
// choosing WAV or one of the raw formats.
#include <fcntl.h>
#include <unistd.h>

#include "emo/pcm_stream.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto path = emo::fuzz::as_file(data + 1, size - 1, ".stream");
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) return 0;
    emo::fuzz::expect_clean([&] {
        const int choice = data[0] % 6;
        auto reader = choice == 0 ? emo::audio::PcmStreamReader::wav(fd, "-")
                                  : emo::audio::PcmStreamReader::raw(
                                        fd, "-", {16000, 1 + data[0] / 6 % 3, emo::audio::SampleFormat(choice - 1)});
        for (auto s = reader.read_mono(97); !s.empty(); s = reader.read_mono(97)) {
        }
    });
    ::close(fd);
    return 0;
}
