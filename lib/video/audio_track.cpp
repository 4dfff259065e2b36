// The audio track of any container FFmpeg reads, decoded and resampled to mono float.
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

#include <deque>

#include "emo/error.hpp"
#include "emo/video.hpp"

namespace emo::video {

struct AudioTrack::Impl {
    std::string path;
    AVFormatContext* format = nullptr;
    AVCodecContext* codec = nullptr;
    SwrContext* resampler = nullptr;
    AVPacket* packet = nullptr;
    AVFrame* frame = nullptr;
    int stream = -1;
    bool drained = false;
    std::deque<float> pending;

    ~Impl() {
        av_frame_free(&frame);
        av_packet_free(&packet);
        swr_free(&resampler);
        avcodec_free_context(&codec);
        avformat_close_input(&format);
    }

    void fail(const std::string& what, int code) const {
        char text[AV_ERROR_MAX_STRING_SIZE] = {0};
        av_strerror(code, text, sizeof text);
        throw InputError(path, what + ": " + text);
    }

    void open(int sample_rate) {
        if (const int rc = avformat_open_input(&format, path.c_str(), nullptr, nullptr); rc < 0)
            fail("cannot open", rc);
        if (const int rc = avformat_find_stream_info(format, nullptr); rc < 0) fail("cannot read streams", rc);
        const AVCodec* decoder = nullptr;
        stream = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, -1, &decoder, 0);
        if (stream < 0) return;  // no audio track
        codec = avcodec_alloc_context3(decoder);
        avcodec_parameters_to_context(codec, format->streams[stream]->codecpar);
        if (const int rc = avcodec_open2(codec, decoder, nullptr); rc < 0) fail("cannot open the audio decoder", rc);
        AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
        if (codec->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)
            av_channel_layout_default(&codec->ch_layout, codec->ch_layout.nb_channels);
        const int rc = swr_alloc_set_opts2(&resampler, &mono, AV_SAMPLE_FMT_FLT, sample_rate, &codec->ch_layout,
                                           codec->sample_fmt, codec->sample_rate, 0, nullptr);
        if (rc < 0 || swr_init(resampler) < 0) fail("cannot set up resampling", rc);
        packet = av_packet_alloc();
        frame = av_frame_alloc();
    }

    void convert(const AVFrame* in) {
        const int capacity = swr_get_out_samples(resampler, in ? in->nb_samples : 0);
        if (capacity <= 0) return;
        std::vector<float> buffer(static_cast<std::size_t>(capacity));
        auto* out = reinterpret_cast<uint8_t*>(buffer.data());
        const int got =
            swr_convert(resampler, &out, capacity, in ? const_cast<const uint8_t**>(in->extended_data) : nullptr,
                        in ? in->nb_samples : 0);
        if (got > 0) pending.insert(pending.end(), buffer.begin(), buffer.begin() + got);
    }

    void receive_frames() {
        while (avcodec_receive_frame(codec, frame) == 0) {
            convert(frame);
            av_frame_unref(frame);
        }
    }

    // Decodes until more samples are pending or the track ends.
    void decode_more() {
        while (!drained) {
            const int rc = av_read_frame(format, packet);
            if (rc < 0) {  // end of file (or a read error, treated as the end): flush
                avcodec_send_packet(codec, nullptr);
                receive_frames();
                convert(nullptr);
                drained = true;
                return;
            }
            const bool ours = packet->stream_index == stream;
            if (ours) avcodec_send_packet(codec, packet);  // a corrupt packet is skipped, not fatal
            av_packet_unref(packet);
            if (!ours) continue;
            const auto before = pending.size();
            receive_frames();
            if (pending.size() > before) return;
        }
    }
};

AudioTrack::AudioTrack(const std::string& path, int sample_rate) : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    impl_->open(sample_rate);
}
AudioTrack::AudioTrack(AudioTrack&&) noexcept = default;
AudioTrack& AudioTrack::operator=(AudioTrack&&) noexcept = default;
AudioTrack::~AudioTrack() = default;

bool AudioTrack::present() const { return impl_->stream >= 0; }

std::size_t AudioTrack::read(std::size_t n, std::vector<float>& out) {
    if (!present()) return 0;
    while (impl_->pending.size() < n && !impl_->drained) impl_->decode_more();
    const std::size_t take = std::min(n, impl_->pending.size());
    out.insert(out.end(), impl_->pending.begin(), impl_->pending.begin() + long(take));
    impl_->pending.erase(impl_->pending.begin(), impl_->pending.begin() + long(take));
    return take;
}

double media_seconds(const std::string& path) {
    av_log_set_level(AV_LOG_QUIET);
    AVFormatContext* format = nullptr;
    if (avformat_open_input(&format, path.c_str(), nullptr, nullptr) < 0) return 0.0;
    double seconds = 0.0;
    if (avformat_find_stream_info(format, nullptr) >= 0 && format->duration > 0) {
        seconds = double(format->duration) / AV_TIME_BASE;
    }
    avformat_close_input(&format);
    return seconds;
}

bool is_video_file(const std::string& path) {
    av_log_set_level(AV_LOG_QUIET);  // failures reach the user as our own messages, naming the file
    AVFormatContext* format = nullptr;
    if (avformat_open_input(&format, path.c_str(), nullptr, nullptr) < 0) return false;
    bool video = false;
    const std::string name = format->iformat->name;
    const bool still = name.find("_pipe") != std::string::npos || name == "image2";
    if (!still && avformat_find_stream_info(format, nullptr) >= 0) {
        for (unsigned i = 0; i < format->nb_streams; ++i) {
            const AVStream* s = format->streams[i];
            if (s->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && !(s->disposition & AV_DISPOSITION_ATTACHED_PIC))
                video = true;
        }
    }
    avformat_close_input(&format);
    return video;
}

}  // namespace emo::video
