#pragma once
// Audio of unknown length from a file descriptor (a pipe, standard input): a WAV stream as `ffmpeg -f wav -`
// writes it (sizes may be 0 or 0xFFFFFFFF: read to the end), or raw PCM in a format the caller names.
#include <cstddef>
#include <string>
#include <vector>

namespace emo::audio {

enum class SampleFormat { kU8, kS16, kS24, kS32, kF32 };  // little-endian, interleaved

struct PcmFormat {
    int sample_rate = 0;  // Hz, > 0
    int channels = 0;     // >= 1, averaged to mono when read
    SampleFormat sample_format = SampleFormat::kS16;
    int bytes_per_sample() const;
};
// "u8" | "s16le" | "s24le" | "s32le" | "f32le"; throws ConfigError naming `what` otherwise.
SampleFormat parse_sample_format(const std::string& name, const std::string& what);

class PcmStreamReader {
public:
    // Reads and checks the WAV header from `fd` (not closed); `already_read`: bytes taken from `fd` before (a
    // sniffed header), read again first. Throws InputError naming `name` for a stream that is not RIFF/WAVE, ends
    // inside its header, or holds an encoding other than PCM 8/16/24/32-bit or float 32-bit.
    static PcmStreamReader wav(int fd, std::string name, std::string already_read = {});
    // Raw PCM as `format` says. Throws ConfigError for a rate <= 0 or no channels.
    static PcmStreamReader raw(int fd, std::string name, const PcmFormat& format);

    const PcmFormat& format() const { return format_; }
    // Up to `max_frames` frames as they arrive (at least one unless the stream ended), channels averaged, in
    // [-1, 1]. Empty at the end of the stream (a partial last frame is dropped). Throws InputError on a read error.
    std::vector<float> read_mono(std::size_t max_frames);

private:
    PcmStreamReader(int fd, std::string name, const PcmFormat& format);
    // Up to `n` bytes, at least one unless the stream ended; 0 at its end.
    std::size_t read_some(unsigned char* out, std::size_t n);
    // Exactly `n` bytes or fewer at the end of the stream.
    std::size_t read_fully(unsigned char* out, std::size_t n);

    int fd_;
    std::string name_;
    PcmFormat format_;
    std::string unread_;                  // bytes read before the reader existed, served first
    std::vector<unsigned char> pending_;  // bytes of an incomplete frame carried to the next read
    std::size_t data_left_ = 0;           // WAV with a real data size: bytes of it left; SIZE_MAX: to the end
};

}  // namespace emo::audio
