#include "emo/microphone.hpp"

#include <cerrno>

#include "emo/error.hpp"

#ifdef EMO_HAVE_ALSA
#include <alsa/asoundlib.h>
#endif

namespace emo::audio {

#ifdef EMO_HAVE_ALSA
struct Microphone::Impl {
    std::string device;
    std::function<void(const std::string&)> on_lost_samples;
    snd_pcm_t* pcm = nullptr;
    ~Impl() {
        if (pcm) snd_pcm_close(pcm);
    }
    [[noreturn]] void fail(const std::string& what, int err) const {
        throw InputError("mic " + device, what + ": " + snd_strerror(err));
    }
};

Microphone::Microphone(const std::string& device, int sample_rate,
                       std::function<void(const std::string&)> on_lost_samples)
    : impl_(std::make_unique<Impl>()) {
    impl_->device = device;
    impl_->on_lost_samples = std::move(on_lost_samples);
    if (sample_rate <= 0) throw ConfigError("mic: sample rate must be > 0, got " + std::to_string(sample_rate));
    // Non-blocking open: a device another program holds is "busy" at once instead of a wait.
    int err = snd_pcm_open(&impl_->pcm, device.c_str(), SND_PCM_STREAM_CAPTURE, SND_PCM_NONBLOCK);
    if (err < 0) {
        impl_->pcm = nullptr;
        impl_->fail("cannot open", err);
    }
    if ((err = snd_pcm_nonblock(impl_->pcm, 0)) < 0) impl_->fail("cannot switch to blocking reads", err);
    // 16-bit mono at the model's rate; ALSA's plug layer converts whatever the hardware has. 0.2 s of latency.
    err = snd_pcm_set_params(impl_->pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, unsigned(sample_rate),
                             1, 200000);
    if (err < 0) impl_->fail("cannot capture 16-bit mono at " + std::to_string(sample_rate) + " Hz", err);
    if ((err = snd_pcm_start(impl_->pcm)) < 0) impl_->fail("cannot start capturing", err);
}

std::vector<float> Microphone::read_mono(std::size_t max_frames, int timeout_ms) {
    std::vector<std::int16_t> raw(std::max<std::size_t>(1, max_frames));
    for (;;) {
        const int ready = snd_pcm_wait(impl_->pcm, timeout_ms);
        if (ready == 0) throw InputError("mic " + impl_->device, "no audio for " + std::to_string(timeout_ms) + " ms");
        if (ready < 0 && ready != -EPIPE && ready != -ESTRPIPE) impl_->fail("stopped", ready);
        const snd_pcm_sframes_t got = ready < 0 ? ready : snd_pcm_readi(impl_->pcm, raw.data(), raw.size());
        if (got == -EAGAIN || got == -EINTR) continue;
        if (got == -EPIPE || got == -ESTRPIPE) {  // overrun or suspend: lost samples, go on
            if (impl_->on_lost_samples) {
                impl_->on_lost_samples("mic " + impl_->device + ": " + (got == -EPIPE ? "overrun" : "suspended") +
                                       ": samples lost");
            }
            const int err = snd_pcm_recover(impl_->pcm, int(got), 1);
            if (err < 0) impl_->fail("cannot recover", err);
            snd_pcm_start(impl_->pcm);
            continue;
        }
        if (got < 0) impl_->fail("stopped", int(got));
        std::vector<float> out(static_cast<std::size_t>(got));
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = float(raw[i]) / 32768.0f;
        return out;
    }
}

std::vector<std::string> Microphone::capture_devices() {
    std::vector<std::string> out;
    void** hints = nullptr;
    if (snd_device_name_hint(-1, "pcm", &hints) < 0) return out;
    for (void** h = hints; *h != nullptr; ++h) {
        char* name = snd_device_name_get_hint(*h, "NAME");
        char* desc = snd_device_name_get_hint(*h, "DESC");
        char* io = snd_device_name_get_hint(*h, "IOID");
        if (name && (io == nullptr || std::string(io) == "Input")) {
            std::string line = name;
            if (desc) {
                std::string d = desc;
                for (auto& c : d)
                    if (c == '\n') c = ' ';
                line += "\t" + d;
            }
            out.push_back(line);
        }
        free(name), free(desc), free(io);
    }
    snd_device_name_free_hint(hints);
    return out;
}
#else
struct Microphone::Impl {
    std::string device;
};
Microphone::Microphone(const std::string& device, int, std::function<void(const std::string&)>) {
    throw ConfigError("mic " + device + ": this emo was built without ALSA (libasound2-dev)");
}
std::vector<float> Microphone::read_mono(std::size_t, int) { return {}; }
std::vector<std::string> Microphone::capture_devices() { return {}; }
#endif

Microphone::Microphone(Microphone&&) noexcept = default;
Microphone::~Microphone() = default;
const std::string& Microphone::device() const { return impl_->device; }

}  // namespace emo::audio
