#include "emo/pcm_stream.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>

#include "emo/error.hpp"

namespace emo::audio {
namespace {
constexpr std::size_t kToTheEnd = std::numeric_limits<std::size_t>::max();

std::uint32_t le32(const unsigned char* p) {
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
}
std::uint16_t le16(const unsigned char* p) { return std::uint16_t(p[0] | p[1] << 8); }

float sample_at(const unsigned char* p, SampleFormat f) {
    switch (f) {
        case SampleFormat::kU8: return (float(p[0]) - 128.0f) / 128.0f;
        case SampleFormat::kS16: return float(std::int16_t(le16(p))) / 32768.0f;
        case SampleFormat::kS24: {
            const auto v =
                std::int32_t(std::uint32_t(p[0]) << 8 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 24);
            return float(v >> 8) / 8388608.0f;
        }
        case SampleFormat::kS32: return float(double(std::int32_t(le32(p))) / 2147483648.0);
        case SampleFormat::kF32: {
            const std::uint32_t bits = le32(p);
            float v;
            std::memcpy(&v, &bits, sizeof v);
            return v;
        }
    }
    return 0.0f;
}

SampleFormat wav_sample_format(int tag, int bits, const std::string& name) {
    if (tag == 3 && bits == 32) return SampleFormat::kF32;
    if (tag == 1) {
        switch (bits) {
            case 8: return SampleFormat::kU8;
            case 16: return SampleFormat::kS16;
            case 24: return SampleFormat::kS24;
            case 32: return SampleFormat::kS32;
            default: break;
        }
    }
    throw InputError(name, "WAV encoding " + std::to_string(tag) + " with " + std::to_string(bits) +
                               " bits is not supported (expected PCM 8/16/24/32-bit or float 32-bit)");
}
}  // namespace

int PcmFormat::bytes_per_sample() const {
    switch (sample_format) {
        case SampleFormat::kU8: return 1;
        case SampleFormat::kS16: return 2;
        case SampleFormat::kS24: return 3;
        case SampleFormat::kS32:
        case SampleFormat::kF32: return 4;
    }
    return 2;
}

SampleFormat parse_sample_format(const std::string& name, const std::string& what) {
    if (name == "u8") return SampleFormat::kU8;
    if (name == "s16le") return SampleFormat::kS16;
    if (name == "s24le") return SampleFormat::kS24;
    if (name == "s32le") return SampleFormat::kS32;
    if (name == "f32le") return SampleFormat::kF32;
    throw ConfigError(what + ": expected u8, s16le, s24le, s32le or f32le, got '" + name + "'");
}

PcmStreamReader::PcmStreamReader(int fd, std::string name, const PcmFormat& format)
    : fd_(fd), name_(std::move(name)), format_(format), data_left_(kToTheEnd) {}

PcmStreamReader PcmStreamReader::raw(int fd, std::string name, const PcmFormat& format) {
    if (format.sample_rate <= 0)
        throw ConfigError("sample rate: expected > 0 Hz, got " + std::to_string(format.sample_rate));
    if (format.channels < 1 || format.channels > 64)
        throw ConfigError("channels: expected 1..64, got " + std::to_string(format.channels));
    return PcmStreamReader(fd, std::move(name), format);
}

PcmStreamReader PcmStreamReader::wav(int fd, std::string name, std::string already_read) {
    PcmStreamReader r(fd, name, PcmFormat{});
    r.unread_ = std::move(already_read);
    unsigned char head[12];
    if (r.read_fully(head, 12) < 12) throw InputError(name, "not a WAV stream: it ends inside the RIFF header");
    if (std::memcmp(head, "RIFF", 4) != 0 || std::memcmp(head + 8, "WAVE", 4) != 0) {
        throw InputError(name, "not a WAV stream (no RIFF/WAVE header)");
    }
    bool have_format = false;
    for (;;) {
        unsigned char chunk[8];
        if (r.read_fully(chunk, 8) < 8) throw InputError(name, "WAV stream ends before its data chunk");
        const std::uint32_t size = le32(chunk + 4);
        if (std::memcmp(chunk, "data", 4) == 0) {
            if (!have_format) throw InputError(name, "WAV data chunk before its fmt chunk");
            // A stream writer that cannot seek back leaves the size at 0 or 0xFFFFFFFF: read to the end.
            r.data_left_ = size == 0 || size == 0xFFFFFFFFu ? kToTheEnd : std::size_t(size);
            return r;
        }
        if (std::memcmp(chunk, "fmt ", 4) == 0) {
            if (size < 16 || size > 1024) throw InputError(name, "WAV fmt chunk of " + std::to_string(size) + " bytes");
            std::vector<unsigned char> fmt(size + (size & 1));
            if (r.read_fully(fmt.data(), fmt.size()) < fmt.size())
                throw InputError(name, "WAV stream ends in its fmt chunk");
            int tag = le16(fmt.data());
            const int bits = le16(fmt.data() + 14);
            if (tag == 0xFFFE && size >= 26) tag = le16(fmt.data() + 24);  // WAVE_FORMAT_EXTENSIBLE: the sub-format
            r.format_.channels = le16(fmt.data() + 2);
            r.format_.sample_rate = int(le32(fmt.data() + 4));
            r.format_.sample_format = wav_sample_format(tag, bits, name);
            if (r.format_.channels < 1 || r.format_.sample_rate <= 0)
                throw InputError(name, "WAV fmt chunk with no channels or a zero sample rate");
            have_format = true;
            continue;
        }
        // Any other chunk (LIST, fact, ...): skipped, with its pad byte.
        std::vector<unsigned char> skip(4096);
        for (std::size_t left = std::size_t(size) + (size & 1); left > 0;) {
            const std::size_t got = r.read_fully(skip.data(), std::min(left, skip.size()));
            if (got == 0) throw InputError(name, "WAV stream ends inside a chunk before its data");
            left -= got;
        }
    }
}

std::size_t PcmStreamReader::read_some(unsigned char* out, std::size_t n) {
    if (!unread_.empty()) {
        const std::size_t take = std::min(n, unread_.size());
        std::memcpy(out, unread_.data(), take);
        unread_.erase(0, take);
        return take;
    }
    for (;;) {
        const ssize_t got = ::read(fd_, out, n);
        if (got >= 0) return std::size_t(got);
        if (errno != EINTR) throw InputError(name_, std::string("read error: ") + std::strerror(errno));
    }
}

std::size_t PcmStreamReader::read_fully(unsigned char* out, std::size_t n) {
    std::size_t total = 0;
    while (total < n) {
        const std::size_t got = read_some(out + total, n - total);
        if (got == 0) break;
        total += got;
    }
    return total;
}

std::vector<float> PcmStreamReader::read_mono(std::size_t max_frames) {
    const std::size_t frame_bytes = std::size_t(format_.bytes_per_sample()) * std::size_t(format_.channels);
    std::vector<unsigned char> bytes = std::move(pending_);
    pending_.clear();
    const std::size_t want = std::min(std::max<std::size_t>(1, max_frames) * frame_bytes, data_left_);
    while (bytes.size() < frame_bytes && data_left_ > 0) {  // at least one whole frame, unless the stream ends
        const std::size_t old = bytes.size();
        bytes.resize(std::max(want, old + 1));
        const std::size_t got = read_some(bytes.data() + old, std::min(bytes.size() - old, data_left_));
        bytes.resize(old + got);
        if (data_left_ != kToTheEnd) data_left_ -= got;
        if (got == 0) break;
    }
    const std::size_t frames = bytes.size() / frame_bytes;
    pending_.assign(bytes.begin() + long(frames * frame_bytes), bytes.end());
    std::vector<float> mono(frames);
    const int bps = format_.bytes_per_sample();
    for (std::size_t f = 0; f < frames; ++f) {
        float sum = 0.0f;
        for (int c = 0; c < format_.channels; ++c)
            sum += sample_at(bytes.data() + f * frame_bytes + std::size_t(c * bps), format_.sample_format);
        mono[f] = sum / float(format_.channels);
    }
    return mono;
}

}  // namespace emo::audio
