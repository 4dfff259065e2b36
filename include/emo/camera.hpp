#pragma once
// Frames from a camera: a V4L2 device by number (0 is /dev/video0), or any path or URL FFmpeg opens (a file, a
// pipe, rtsp://...). OpenCV stays behind Impl.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace emo::vision {

struct Frame {
    std::vector<std::uint8_t> rgb;  // rows of width * 3 bytes, red-green-blue
    int width = 0, height = 0;
    double seconds = 0;  // stream time: the frame's timestamp for files and URLs, time since opening for devices
};

class Camera {
public:
    // Throws InputError("camera SOURCE: cannot open") for a device or source that cannot be opened.
    explicit Camera(const std::string& source);
    Camera(Camera&&) noexcept;
    ~Camera();
    // The next frame; false at the end of a file or pipe, or when a device stops delivering.
    bool read(Frame& frame);
    const std::string& source() const;

    // Video capture devices (/dev/video*), one path each.
    static std::vector<std::string> devices();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace emo::vision
