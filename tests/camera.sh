#!/usr/bin/env bash
# emo-predict --camera without a camera: FFmpeg sources that behave like one (a video file, a pipe, a test
# pattern); a missing device is a clear error.
# Usage: camera.sh EMO_PREDICT FACE_IMAGE WORK_DIR
set -euo pipefail
predict=$1 face=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
# A face in a 480x360 frame for 5 s at 10 frames/s, and a test pattern with no face.
ff -loop 1 -i "$face" -t 5 -r 10 -vf "scale=160:160,pad=480:360:160:100" -pix_fmt yuv420p face.mkv
ff -f lavfi -i testsrc=duration=4:size=320x240:rate=10 pattern.mkv

"$predict" --camera face.mkv --json > face.json || fail "exit $? on a video file as a camera"
[ "$(wc -l < face.json)" -eq 4 ] || fail "5 s, windows of 2.5 s every 1 s: expected 4 lines, got $(cat face.json)"
head -1 face.json | grep -q '"modality":"face","start":0.0,"end":2.5,"frames":5,"frames_with_face":5,"label":"happy"' \
    || fail "first window: $(head -1 face.json)"
ff -i face.mkv -f matroska - | "$predict" --camera pipe:0 --csv --duration 3 > pipe.csv || fail "exit $? on a pipe"
head -1 pipe.csv | grep -q '^file,start,end,frames,frames_with_face,label,confidence,' || fail "CSV header"
[ "$(tail -n +2 pipe.csv | wc -l)" -ge 1 ] && ! awk -F, 'NR > 1 && $3 > 3' pipe.csv | grep -q . \
    || fail "--duration 3: $(cat pipe.csv)"
"$predict" --camera pattern.mkv > pattern.txt
grep -q $'^camera:pattern.mkv\t0.00-2.50\tno face\tfaces in 0/5 frames$' pattern.txt || fail "no face: $(cat pattern.txt)"

set +e
"$predict" --camera 63 2> err.txt; code=$?
set -e
[ "$code" -eq 3 ] || fail "a missing device: exit $code"
grep -q "camera 63: cannot open /dev/video63 (missing or busy)" err.txt || fail "a missing device: $(cat err.txt)"
echo "camera: OK"
