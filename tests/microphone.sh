#!/usr/bin/env bash
# emo-predict --mic without a sound card: ALSA's file plugin plays a clip as a capture device, so the whole path
# (ALSA, 16 kHz capture, windows, flushed lines) runs for real; a missing device is a clear error, not a hang.
# With --camera too (a video file standing in for the camera), the two are scored at once and fused per window.
# Usage: microphone.sh EMO_PREDICT CLIP FACE_IMAGE WORK_DIR
set -euo pipefail
predict=$1 clip=$2 face=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
sox "$clip" -r 16000 -c 1 -b 16 -e signed -t raw clip.raw repeat 2 2> /dev/null
cat > asound.conf <<CONF
</usr/share/alsa/alsa.conf>
pcm.emo_test_mic {
    type file
    slave.pcm null
    file "/dev/null"
    infile "$PWD/clip.raw"
    format "raw"
}
CONF
export ALSA_CONFIG_PATH=$PWD/asound.conf

"$predict" --list-devices > devices.txt || fail "--list-devices: exit $?"
grep -q $'^mic\temo_test_mic' devices.txt || fail "--list-devices does not list emo_test_mic: $(cat devices.txt)"

timeout 60 "$predict" --mic emo_test_mic --duration 6 --json > mic.json || fail "--mic: exit $?"
[ "$(wc -l < mic.json)" -eq 5 ] || fail "6 s at 2.5 s windows every 1 s: expected 5 lines, got $(cat mic.json)"
head -1 mic.json | grep -q '"file":"mic:emo_test_mic","modality":"speech","start":0.0,"end":2.5,"label":"' \
    || fail "first window: $(head -1 mic.json)"
# The clip through the microphone is scored like the clip itself (same 16 kHz samples, same window).
want=$(sox "$clip" -r 16000 -c 1 -b 16 -t wav - trim 0 2.5 2> /dev/null | "$predict" --json - | head -1 | sed 's/.*"label":"\([a-z]*\)".*/\1/')
got=$(head -1 mic.json | sed 's/.*"label":"\([a-z]*\)".*/\1/')
[ "$want" = "$got" ] || fail "first window through the mic: $got, from the file: $want"

# Microphone and camera at once: a line per window with face, speech and fused scores.
ffmpeg -hide_banner -loglevel error -y -loop 1 -i "$face" -t 6 -r 10 -vf "scale=160:160,pad=480:360:160:100" \
    -pix_fmt yuv420p face.mkv
timeout 60 "$predict" --mic emo_test_mic --camera face.mkv --duration 4 --json > live.json || fail "--mic --camera: exit $?"
[ "$(wc -l < live.json)" -ge 2 ] || fail "--mic --camera: $(cat live.json)"
head -1 live.json | grep -q '^{"file":"live","start":0.0,"end":2.5,"face":{"label":"happy".*"speech":{"label":"[a-z]*".*"fused":{"label":"' \
    || fail "--mic --camera, first window: $(head -1 live.json)"

set +e
timeout 30 "$predict" --mic no_such_device --duration 3 2> err.txt; code=$?
set -e
[ "$code" -eq 3 ] || fail "a missing device: exit $code ($(cat err.txt))"
grep -q "mic no_such_device: cannot open" err.txt || fail "a missing device: $(cat err.txt)"
echo "microphone: OK"
