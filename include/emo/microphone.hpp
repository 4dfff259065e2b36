#pragma once
// Live audio from a capture device (ALSA: "default", "hw:1,0", "plughw:CARD=USB", or any PCM an ALSA config
// defines), as mono samples at the rate asked for (ALSA converts).
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace emo::audio {

class Microphone {
public:
    // Opens `device` for capture at `sample_rate` Hz, mono. Throws InputError("mic DEVICE: cannot open: why") for
    // a device that is missing or busy, ConfigError when emo was built without ALSA.
    // `on_lost_samples` (may be empty) hears of every overrun or suspend, with the device and which.
    Microphone(const std::string& device, int sample_rate,
               std::function<void(const std::string&)> on_lost_samples = {});
    Microphone(Microphone&&) noexcept;
    ~Microphone();
    // Up to `max_frames` samples in [-1, 1] as they arrive. Throws InputError naming the device when it stops
    // (unplugged, an error) or delivers nothing for `timeout_ms`: a dead device never hangs the caller. An
    // overrun (the caller too slow) is recovered from and reported to on_lost_samples.
    std::vector<float> read_mono(std::size_t max_frames, int timeout_ms = 3000);
    const std::string& device() const;

    // Capture devices ALSA knows, "NAME<TAB>description" each.
    static std::vector<std::string> capture_devices();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace emo::audio
