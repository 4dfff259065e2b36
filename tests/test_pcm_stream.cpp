// Audio of unknown length from a file descriptor: WAV streams as ffmpeg writes them to a pipe, and raw PCM.
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>

#include "emo/error.hpp"
#include "emo/pcm_stream.hpp"
#include "helpers.hpp"

using emo::audio::PcmStreamReader;

namespace {
void put32(std::string& s, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) s += char((v >> (8 * i)) & 255);
}
void put16(std::string& s, std::uint16_t v) { s += char(v & 255), s += char(v >> 8); }

// A WAV header: RIFF and data sizes as given (0xFFFFFFFF: what a writer that cannot seek leaves), an optional
// LIST chunk of odd length (padded) between fmt and data.
std::string wav_header(int tag, int channels, int rate, int bits, std::uint32_t data_size, bool list_chunk) {
    std::string s = "RIFF";
    put32(s, 0xFFFFFFFFu);
    s += "WAVEfmt ";
    put32(s, 16);
    put16(s, std::uint16_t(tag));
    put16(s, std::uint16_t(channels));
    put32(s, std::uint32_t(rate));
    put32(s, std::uint32_t(rate * channels * bits / 8));
    put16(s, std::uint16_t(channels * bits / 8));
    put16(s, std::uint16_t(bits));
    if (list_chunk) {
        s += "LIST";
        put32(s, 5);
        s += std::string("INFOx", 5) + '\0';  // 5 bytes and the pad byte
    }
    s += "data";
    put32(s, data_size);
    return s;
}

struct Fd {
    int fd;
    explicit Fd(const std::string& path) : fd(::open(path.c_str(), O_RDONLY)) { REQUIRE(fd >= 0); }
    ~Fd() { ::close(fd); }
};

std::vector<float> read_all(PcmStreamReader& r, std::size_t chunk) {
    std::vector<float> all;
    for (auto s = r.read_mono(chunk); !s.empty(); s = r.read_mono(chunk)) all.insert(all.end(), s.begin(), s.end());
    return all;
}
}  // namespace

TEST_CASE("a 16-bit stereo WAV stream with unknown sizes and a LIST chunk, read to its end", "[audio][stream]") {
    const emo::test::TempDir dir;
    std::string bytes = wav_header(1, 2, 8000, 16, 0xFFFFFFFFu, true);
    for (int i = 0; i < 1001; ++i) {  // left +0.5, right -0.25 ... then half a frame at the end
        put16(bytes, std::uint16_t(std::int16_t(16384)));
        put16(bytes, std::uint16_t(std::int16_t(-8192)));
    }
    bytes += "\x01\x00";  // a partial last frame: dropped
    emo::test::write_text(dir.file("s.wav"), bytes);
    const Fd fd(dir.file("s.wav"));
    auto r = PcmStreamReader::wav(fd.fd, "s.wav");
    CHECK(r.format().sample_rate == 8000);
    CHECK(r.format().channels == 2);
    const auto all = read_all(r, 100);
    REQUIRE(all.size() == 1001);
    CHECK(all.front() == Approx(0.125));  // (0.5 - 0.25) / 2
    CHECK(all.back() == Approx(0.125));
}

TEST_CASE("float, 24-bit and 8-bit WAV streams, a data size that stops the read, and raw PCM", "[audio][stream]") {
    const emo::test::TempDir dir;
    SECTION("float 32, data size honoured (trailing chunk not read as samples)") {
        std::string bytes = wav_header(3, 1, 16000, 32, 8, false);
        const float v[2] = {0.75f, -0.5f};
        bytes.append(reinterpret_cast<const char*>(v), sizeof v);
        bytes += "JUNKJUNKJUNK";
        emo::test::write_text(dir.file("f.wav"), bytes);
        const Fd fd(dir.file("f.wav"));
        auto r = PcmStreamReader::wav(fd.fd, "f.wav");
        CHECK(read_all(r, 10) == std::vector<float>{0.75f, -0.5f});
    }
    SECTION("24-bit") {
        std::string bytes = wav_header(1, 1, 16000, 24, 0, false);
        bytes += std::string("\x00\x00\xC0", 3);  // -0.5
        emo::test::write_text(dir.file("p.wav"), bytes);
        const Fd fd(dir.file("p.wav"));
        auto r = PcmStreamReader::wav(fd.fd, "p.wav");
        CHECK(read_all(r, 10) == std::vector<float>{-0.5f});
    }
    SECTION("8-bit unsigned") {
        std::string bytes = wav_header(1, 1, 16000, 8, 0, false) + std::string("\xC0\x40", 2);
        emo::test::write_text(dir.file("u.wav"), bytes);
        const Fd fd(dir.file("u.wav"));
        auto r = PcmStreamReader::wav(fd.fd, "u.wav");
        CHECK(read_all(r, 10) == std::vector<float>{0.5f, -0.5f});
    }
    SECTION("raw s16le, 3 channels") {
        std::string bytes;
        for (std::int16_t s : {3276, 6553, 9830}) put16(bytes, std::uint16_t(s));
        emo::test::write_text(dir.file("r.pcm"), bytes);
        const Fd fd(dir.file("r.pcm"));
        auto r = PcmStreamReader::raw(fd.fd, "r.pcm", {22050, 3, emo::audio::SampleFormat::kS16});
        const auto all = read_all(r, 10);
        REQUIRE(all.size() == 1);
        CHECK(all[0] == Approx(0.2).margin(1e-4));
    }
}

TEST_CASE("streams that are not WAV, end in the header or hold another encoding are refused", "[audio][stream]") {
    const emo::test::TempDir dir;
    const auto refused = [&](const std::string& bytes, const std::string& why) {
        emo::test::write_text(dir.file("bad"), bytes);
        const Fd fd(dir.file("bad"));
        CHECK_THROWS_AS(PcmStreamReader::wav(fd.fd, "-"), emo::InputError);
        const Fd again(dir.file("bad"));
        CHECK_THROWS_WITH(PcmStreamReader::wav(again.fd, "-"),
                          Catch::Matchers::StartsWith("-: ") && Catch::Matchers::Contains(why));
    };
    refused("plain text, not audio at all", "not a WAV stream");
    refused("RIFF", "ends inside the RIFF header");
    refused(wav_header(1, 1, 16000, 16, 0, false).substr(0, 30), "ends in its fmt chunk");
    refused(wav_header(1, 1, 16000, 12, 0, false), "12 bits is not supported");
    refused(wav_header(2, 1, 16000, 4, 0, false), "encoding 2");
    CHECK_THROWS_AS(PcmStreamReader::raw(0, "-", {0, 1, emo::audio::SampleFormat::kS16}), emo::ConfigError);
    CHECK_THROWS_WITH(emo::audio::parse_sample_format("s16be", "--raw-format"),
                      Catch::Matchers::Contains("--raw-format") && Catch::Matchers::Contains("s16le"));
}
