#!/usr/bin/env bash
# Silence is not an emotion: clips without speech get "no speech" in text, JSON and CSV, a batch
# with them exits 0, and emo-fuse leaves them out. A WAV header that promises 4 GiB over 32 ms of
# zeros is read as what it holds.
# Usage: no_speech.sh BUILD_APPS_DIR SPEECH_CLIP FACE_IMAGE WORK_DIR
set -euo pipefail
bin=$1 clip=$2 face=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

le32() { printf "\\x$(printf %02x $(($1 & 255)))\\x$(printf %02x $(($1 >> 8 & 255)))\\x$(printf %02x $(($1 >> 16 & 255)))\\x$(printf %02x $(($1 >> 24 & 255)))"; }
# 16 kHz mono 16-bit PCM WAV: header claiming DATA_BYTES, then ACTUAL_BYTES of zeros.
wav() {
    local data_bytes=$1 actual_bytes=$2
    { printf RIFF; le32 $((data_bytes + 36)); printf 'WAVEfmt '; le32 16; printf '\x01\x00\x01\x00'; le32 16000
      le32 32000; printf '\x02\x00\x10\x00data'; le32 "$data_bytes"; head -c "$actual_bytes" /dev/zero; }
}
wav 64000 64000 > silence.wav            # two seconds of digital silence
wav 4294967000 1024 > liar.wav           # says 4 GiB, holds 32 ms

"$bin/emo-predict" silence.wav "$clip" liar.wav > out.txt || fail "exit code $? for a batch with silent clips"
grep -q $'^silence.wav\tno speech$' out.txt || { cat out.txt >&2; fail "silence.wav not 'no speech'"; }
grep -q $'^liar.wav\tno speech$' out.txt || { cat out.txt >&2; fail "liar.wav not 'no speech'"; }
grep -q $'\t[a-z]*\t[01]\.[0-9]*$' out.txt || fail "the real clip got no emotion"
"$bin/emo-predict" --json silence.wav > silence.json
grep -qx '{"file":"silence.wav","modality":"speech","no_speech":true}' silence.json || fail "JSON: $(cat silence.json)"
"$bin/emo-predict" --csv silence.wav | grep -q '^silence.wav,speech,,,,,,no speech,' || fail "CSV row"
# --silence-db: a threshold above digital silence's -inf is still no speech; a clip of speech
# with a threshold louder than it has none either.
"$bin/emo-predict" --silence-db -1 "$clip" | grep -q $'\tno speech$' || fail "--silence-db -1 left speech in a RAVDESS clip"

"$bin/emo-fuse" --face "$face" --speech silence.wav > fused.txt 2> fused.log || fail "emo-fuse with a silent clip"
grep -q "no speech in the clip: the result is the face alone" fused.log || { cat fused.log >&2; fail "no warning"; }
"$bin/emo-fuse" silence.json > fused_saved.txt 2>&1 && fail "a silent clip alone fused into something"
grep -q "nothing to fuse" fused_saved.txt || { cat fused_saved.txt >&2; fail "no 'nothing to fuse' error"; }
echo "silence and a lying header: no speech in text, JSON, CSV; --silence-db applies; left out of fusion"
