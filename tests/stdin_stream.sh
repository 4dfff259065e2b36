#!/usr/bin/env bash
# emo-predict -: audio from standard input, scored window by window as it arrives: a WAV stream as ffmpeg writes it
# to a pipe, raw PCM, results while the stream still runs, video with sound as a Matroska or MPEG-TS pipe (face,
# speech and fused per window), and bad streams as clear errors.
# Usage: stdin_stream.sh EMO_PREDICT CLIP FACE WORK_DIR
set -euo pipefail
predict=$1 clip=$2 face=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
ff() { ffmpeg -hide_banner -loglevel error "$@"; }

# Three copies of the clip, ~10 s: windows of the model's 2.5 s every second.
ff -i "$clip" -i "$clip" -i "$clip" -filter_complex concat=n=3:v=0:a=1 -ar 44100 -ac 2 long.wav
seconds=$(ffprobe -v error -show_entries format=duration -of csv=p=0 long.wav)

ff -i long.wav -f wav - | "$predict" --json - > windows.json || fail "exit code $? on a WAV stream"
n=$(wc -l < windows.json)
expected=$(awk -v s="$seconds" 'BEGIN { print int((s - 2.5) / 1) + 1 + ((s - 2.5) - int(s - 2.5) > 0 ? 1 : 0) }')
[ "$n" -eq "$expected" ] || { cat windows.json >&2; fail "$n windows for $seconds s, expected $expected"; }
head -1 windows.json | grep -q '"start":0.0,"end":2.5' || fail "first window: $(head -1 windows.json)"
sed -n 2p windows.json | grep -q '"start":1.0,"end":3.5' || fail "second window: $(sed -n 2p windows.json)"
grep -c '"label":"[a-z]*","precision"\|"label":"[a-z]*"' windows.json > /dev/null || fail "no labels"
tail -1 windows.json | grep -q "\"end\":${seconds%%.*}\." || fail "last window does not end at the stream's end: $(tail -1 windows.json)"

# Raw PCM, and the text and CSV forms.
ff -i long.wav -f s16le -ac 2 -ar 22050 - | "$predict" --raw-format s16le --rate 22050 --channels 2 --csv - > raw.csv \
    || fail "exit code $? on raw PCM"
head -1 raw.csv | grep -q '^file,start,end,label,confidence,neutral' || fail "CSV header: $(head -1 raw.csv)"
[ "$(tail -n +2 raw.csv | wc -l)" -eq "$n" ] || fail "raw PCM gave $(tail -n +2 raw.csv | wc -l) windows, WAV $n"
ff -i long.wav -f wav - | "$predict" --hop 0.5 --window 2 - > text.txt
grep -q $'^-\t0.00-2.00\t[a-z]*\t[01]\.[0-9]*$' text.txt || fail "text line: $(head -1 text.txt)"

# Live: with the input paced at its real rate, results come out while the stream still runs (the first line
# well before the producer has written its last sample). Not under a sanitizer (EMO_SANITIZED: it slows the
# program, not the stream).
if [ -z "${EMO_SANITIZED:-}" ]; then
    { ff -re -i long.wav -f wav -; date +%s.%N > produced.txt; } | "$predict" --json - \
        | while read -r line; do date +%s.%N; done > arrivals.txt
    first=$(head -1 arrivals.txt) produced=$(cat produced.txt)
    awk -v f="$first" -v p="$produced" 'BEGIN { exit !(f < p - 3) }' \
        || fail "the first window came $(awk -v f="$first" -v p="$produced" 'BEGIN{print p - f}') s before the stream ended"
fi

# Video with sound on a pipe (ffmpeg -f matroska -): read once as it arrives, each window fused as a video
# timeline line; the same in MPEG-TS; the audio or the video alone.
ff -loop 1 -i "$face" -i "$clip" -t 3.5 -r 10 -vf "scale=160:160,pad=480:360:160:100" -pix_fmt yuv420p \
    -c:a libopus -shortest av.mkv
ff -i av.mkv -c copy -f matroska - | "$predict" --json - > av.json || fail "exit $? on a Matroska pipe"
[ "$(wc -l < av.json)" -eq 2 ] || fail "3.3 s of video, windows of 2.5 s every 1 s: want 2 lines, got $(cat av.json)"
head -1 av.json | grep -q '^{"file":"-","start":0.0,"end":2.5,"face":{"label":"happy",.*"speech":{"label":"[a-z]*",.*"fused":{"label"' \
    || fail "first window of the video: $(head -1 av.json)"
ff -i av.mkv -c copy -f mpegts - | "$predict" --csv - > av.csv || fail "exit $? on an MPEG-TS pipe"
head -1 av.csv | grep -q '^file,segment,start,end,face_label,face_confidence,speech_label,' || fail "CSV: $(cat av.csv)"
[ "$(awk -F, 'NR > 1 && $5 == "happy" && $7 != ""' av.csv | wc -l)" -eq 2 ] || fail "MPEG-TS windows: $(cat av.csv)"
ff -i av.mkv -vn -c:a copy -f matroska - | "$predict" --json - > audio-only.json
head -1 audio-only.json | grep -q '^{"file":"-","modality":"speech","start":0.0,"end":2.5,"label"' \
    || fail "a container with audio alone: $(cat audio-only.json)"
ff -i av.mkv -an -c:v copy -f matroska - | "$predict" --duration 2 - > video-only.txt
[ "$(wc -l < video-only.txt)" -eq 1 ] && grep -q $'^-\t0.00-1.[0-9]*\tface happy [0-9.]*\tspeech -\tfused happy' video-only.txt \
    || fail "a container with video alone, --duration 2: $(cat video-only.txt)"

# Bad input: a clear error and exit 3; bad usage: exit 2.
set +e
echo "plain text, not audio" | "$predict" - 2> err.txt; code=$?
set -e
[ "$code" -eq 3 ] || fail "text on stdin: exit $code"
grep -q -- "-: not a WAV stream, nor a container FFmpeg reads" err.txt || fail "text on stdin: $(cat err.txt)"
set +e
"$predict" - "$clip" 2> err.txt; code=$?
[ "$code" -eq 2 ] || fail "- with a file: exit $code"
"$predict" --raw-format s16le - < /dev/null 2> err.txt; code=$?
set -e
[ "$code" -eq 2 ] || fail "--raw-format without --rate: exit $code"
grep -q -- "--rate" err.txt || fail "--raw-format without --rate: $(cat err.txt)"
echo "stdin streams: OK ($n windows)"
