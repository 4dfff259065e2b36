#!/usr/bin/env bash
# Video speed and memory. Builds a 640x480, 25 fps clip with sound: a FER2013 face on a moving test
# pattern, over RAVDESS speech looped. Measures emo-predict at default settings (faces searched in
# 2 frames/s, speech and fusion per 2.5 s segment) as a multiple of real time, next to FFmpeg only
# decoding the same file. Then measures the peak memory on a 30-minute clip.
# Usage: bench/video.sh [DATA_DIR] [SECONDS_SHORT] [SECONDS_LONG]   (defaults: ../shared/data 60 1800)
set -euo pipefail
cd "$(dirname "$0")/.."
root="${1:-${EMO_DATA_DIR:-../shared/data}}"
short=${2:-60}
long=${3:-1800}
work=build/bench-video
mkdir -p "$work"
face=$root/fer2013/publictest/happy/PublicTest_10130075.png
clip=$root/ravdess/Actor_19/03-01-05-02-01-01-19.flac

make_clip() {  # seconds output
    [[ -s $2 ]] && return
    ffmpeg -v error -y -f lavfi -i "testsrc2=size=640x480:rate=25" -loop 1 -i "$face" -stream_loop -1 -i "$clip" \
        -filter_complex "[1]scale=192:192[f];[0][f]overlay=224:144,format=yuv420p" -map 2:a -t "$1" \
        -c:v libx264 -preset veryfast -c:a aac "$2"
}
measure() {  # label command... -> "label: wall s, peak RSS MiB"
    local label=$1
    shift
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > /dev/null 2>&1
    read -r wall rss < "$work/time.txt"
    echo "$label $wall $rss"
}

make_clip "$short" "$work/clip-${short}s.mp4"
echo "== ${short} s of 640x480 25 fps H.264 + AAC ($(nproc) cores)"
emo=$(measure emo build/apps/emo-predict --quiet "$work/clip-${short}s.mp4")
dec=$(measure ffmpeg ffmpeg -v error -i "$work/clip-${short}s.mp4" -f null -)
awk -v s="$short" -v emo="$emo" -v dec="$dec" 'BEGIN {
    split(emo, e, " "); split(dec, d, " ");
    printf "emo-predict (faces + speech + fusion): %.1f s = %.1fx real time, peak %.0f MiB\n", e[2], s / e[2], e[3] / 1024;
    printf "ffmpeg decode only:                   %.1f s = %.1fx real time, peak %.0f MiB\n", d[2], s / d[2], d[3] / 1024;
    printf "emo time / decode-only time: %.1fx\n", e[2] / d[2] }'

make_clip "$long" "$work/clip-${long}s.mp4"
echo "== ${long} s clip: peak memory"
measure emo-predict build/apps/emo-predict --quiet "$work/clip-${long}s.mp4" |
    awk -v s="$long" '{ printf "emo-predict: %.0f s = %.1fx real time, peak %.0f MiB\n", $2, s / $2, $3 / 1024 }'
