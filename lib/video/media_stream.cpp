// A container from a pipe through FFmpeg's libraries with custom I/O (the bytes sniffed before come first).
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>

#include "emo/error.hpp"
#include "emo/media_stream.hpp"

namespace emo::video {
namespace {
constexpr int kIoBuffer = 1 << 16;

std::string av_message(int code) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {0};
    av_strerror(code, text, sizeof text);
    return text;
}

struct Decoder {
    int stream = -1;
    AVCodecContext* codec = nullptr;
    ~Decoder() { avcodec_free_context(&codec); }
};
}  // namespace

struct MediaStream::Impl {
    int fd = -1;
    std::string prefix, name;
    std::size_t prefix_at = 0;
    int sample_rate = 16000;
    AVIOContext* io = nullptr;
    AVFormatContext* format = nullptr;
    Decoder audio, video;
    SwrContext* resampler = nullptr;
    SwsContext* scaler = nullptr;
    AVPacket* packet = nullptr;
    AVFrame* decoded = nullptr;
    std::deque<MediaPiece> ready;
    bool ended = false;
    std::int64_t first_video_pts = AV_NOPTS_VALUE;

    ~Impl() {
        av_frame_free(&decoded);
        av_packet_free(&packet);
        sws_freeContext(scaler);
        swr_free(&resampler);
        avformat_close_input(&format);
        if (io) av_freep(&io->buffer);
        avio_context_free(&io);
    }

    [[noreturn]] void fail(const std::string& what) const { throw InputError(name, what); }

    // FFmpeg's read callback: the sniffed bytes, then the descriptor. A signal (Ctrl-C) ends the stream.
    static int read_packet(void* opaque, std::uint8_t* buffer, int size) {
        auto* self = static_cast<Impl*>(opaque);
        if (self->prefix_at < self->prefix.size()) {
            const auto n = std::min(std::size_t(size), self->prefix.size() - self->prefix_at);
            std::memcpy(buffer, self->prefix.data() + self->prefix_at, n);
            self->prefix_at += n;
            return int(n);
        }
        const auto n = ::read(self->fd, buffer, std::size_t(size));
        if (n > 0) return int(n);
        if (n == 0 || errno == EINTR) return AVERROR_EOF;
        return AVERROR(errno);
    }

    void open_decoder(AVMediaType type, Decoder& d) {
        const AVCodec* codec = nullptr;
        d.stream = av_find_best_stream(format, type, -1, -1, &codec, 0);
        if (d.stream < 0 || codec == nullptr) {
            d.stream = -1;
            return;
        }
        d.codec = avcodec_alloc_context3(codec);
        avcodec_parameters_to_context(d.codec, format->streams[d.stream]->codecpar);
        if (const int rc = avcodec_open2(d.codec, codec, nullptr); rc < 0)
            fail(std::string("cannot open the ") + av_get_media_type_string(type) + " decoder: " + av_message(rc));
    }

    void open() {
        av_log_set_level(AV_LOG_QUIET);  // failures reach the user as our own messages
        auto* buffer = static_cast<std::uint8_t*>(av_malloc(kIoBuffer));
        io = avio_alloc_context(buffer, kIoBuffer, 0, this, &Impl::read_packet, nullptr, nullptr);
        format = avformat_alloc_context();
        format->pb = io;
        format->flags |= AVFMT_FLAG_CUSTOM_IO;
        // A live pipe: decide on little data, so the first window is not held back by probing.
        format->probesize = 1 << 19;
        format->max_analyze_duration = AV_TIME_BASE / 2;
        if (const int rc = avformat_open_input(&format, nullptr, nullptr, nullptr); rc < 0) {
            format = nullptr;  // freed by avformat_open_input
            fail("not a WAV stream, nor a container FFmpeg reads (" + av_message(rc) + ")");
        }
        if (const int rc = avformat_find_stream_info(format, nullptr); rc < 0)
            fail("cannot read the streams: " + av_message(rc));
        open_decoder(AVMEDIA_TYPE_AUDIO, audio);
        open_decoder(AVMEDIA_TYPE_VIDEO, video);
        if (audio.stream < 0 && video.stream < 0) fail("no audio or video track in the stream");
        if (audio.stream >= 0) {
            AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
            if (audio.codec->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)
                av_channel_layout_default(&audio.codec->ch_layout, audio.codec->ch_layout.nb_channels);
            const int rc =
                swr_alloc_set_opts2(&resampler, &mono, AV_SAMPLE_FMT_FLT, sample_rate, &audio.codec->ch_layout,
                                    audio.codec->sample_fmt, audio.codec->sample_rate, 0, nullptr);
            if (rc < 0 || swr_init(resampler) < 0) fail("cannot resample the audio track");
        }
        packet = av_packet_alloc();
        decoded = av_frame_alloc();
    }

    void convert_audio(const AVFrame* in) {
        const int capacity = swr_get_out_samples(resampler, in ? in->nb_samples : 0);
        if (capacity <= 0) return;
        MediaPiece piece;
        piece.samples.resize(std::size_t(capacity));
        auto* out = reinterpret_cast<std::uint8_t*>(piece.samples.data());
        const int got =
            swr_convert(resampler, &out, capacity, in ? const_cast<const std::uint8_t**>(in->extended_data) : nullptr,
                        in ? in->nb_samples : 0);
        if (got <= 0) return;
        piece.samples.resize(std::size_t(got));
        ready.push_back(std::move(piece));
    }

    void convert_frame(const AVFrame* in, const std::function<bool(double)>& want_frame) {
        const auto pts = in->best_effort_timestamp;
        if (pts != AV_NOPTS_VALUE && first_video_pts == AV_NOPTS_VALUE) first_video_pts = pts;
        const double seconds = pts == AV_NOPTS_VALUE
                                   ? 0.0
                                   : double(pts - first_video_pts) * av_q2d(format->streams[video.stream]->time_base);
        if (in->width <= 0 || in->height <= 0 || !want_frame(seconds)) return;
        scaler = sws_getCachedContext(scaler, in->width, in->height, AVPixelFormat(in->format), in->width, in->height,
                                      AV_PIX_FMT_RGB24, SWS_BILINEAR, nullptr, nullptr, nullptr);
        if (scaler == nullptr) return;  // a pixel format swscale cannot convert: the frame is skipped
        MediaPiece piece;
        piece.is_frame = true;
        piece.frame.width = in->width;
        piece.frame.height = in->height;
        piece.frame.seconds = seconds;
        piece.frame.rgb.resize(std::size_t(in->width) * std::size_t(in->height) * 3);
        std::uint8_t* planes[1] = {piece.frame.rgb.data()};
        const int strides[1] = {in->width * 3};
        sws_scale(scaler, in->data, in->linesize, 0, in->height, planes, strides);
        ready.push_back(std::move(piece));
    }

    void receive(Decoder& d, const std::function<bool(double)>& want_frame) {
        while (avcodec_receive_frame(d.codec, decoded) == 0) {
            if (&d == &audio) convert_audio(decoded);
            else convert_frame(decoded, want_frame);
            av_frame_unref(decoded);
        }
    }

    // Decodes packets until something is ready or the stream ends (then the decoders are drained).
    void decode_more(const std::function<bool(double)>& want_frame) {
        while (ready.empty() && !ended) {
            if (av_read_frame(format, packet) < 0) {  // the end (or a read error, taken as the end)
                for (Decoder* d : {&audio, &video}) {
                    if (d->stream < 0) continue;
                    avcodec_send_packet(d->codec, nullptr);
                    receive(*d, want_frame);
                }
                if (audio.stream >= 0) convert_audio(nullptr);
                ended = true;
                return;
            }
            for (Decoder* d : {&audio, &video}) {
                if (packet->stream_index != d->stream || d->stream < 0) continue;
                avcodec_send_packet(d->codec, packet);  // a corrupt packet is skipped, not fatal
                receive(*d, want_frame);
            }
            av_packet_unref(packet);
        }
    }
};

MediaStream::MediaStream(int fd, std::string already_read, const std::string& name, int sample_rate)
    : impl_(std::make_unique<Impl>()) {
    impl_->fd = fd;
    impl_->prefix = std::move(already_read);
    impl_->name = name;
    impl_->sample_rate = sample_rate;
    impl_->open();
}
MediaStream::MediaStream(MediaStream&&) noexcept = default;
MediaStream::~MediaStream() = default;

bool MediaStream::has_audio() const { return impl_->audio.stream >= 0; }
bool MediaStream::has_video() const { return impl_->video.stream >= 0; }

bool MediaStream::next(MediaPiece& piece, const std::function<bool(double)>& want_frame) {
    impl_->decode_more(want_frame);
    if (impl_->ready.empty()) return false;
    piece = std::move(impl_->ready.front());
    impl_->ready.pop_front();
    return true;
}

}  // namespace emo::video
