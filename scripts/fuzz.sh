#!/usr/bin/env bash
# Fuzzes every parser of outside input with libFuzzer (+ AddressSanitizer/UBSan) for SECONDS each.
# Seeds come from the test fixtures, configs, shipped models and small files made here (plus a few
# real clips and faces when ../shared/data is there). Findings are saved under
# build-asan/fuzz-findings/<harness>/ and fail the run.
# Usage: scripts/fuzz.sh [SECONDS] [HARNESS...]   (default: 20 s each, every harness:
#        audio wav_stream image config csv json ravdess_name model http; SECONDS 0: run the seeds only)
# FUZZ_RUNS=N: N inputs per harness instead of a time budget, from a fresh corpus with a fixed
# seed, so a run is repeatable (CI uses this: what passed here passes there).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source scripts/sanitizer_build.sh
seconds=${1:-20}
shift || true
harnesses=("$@")
((${#harnesses[@]})) || harnesses=(audio wav_stream image config csv json ravdess_name model)
# emo-serve's requests, where cpp-httplib is installed (the harness is built only then).
[[ ${#harnesses[@]} -eq 8 ]] && pkg-config --exists cpp-httplib && harnesses+=(http)
data=${EMO_DATA_DIR:-$root/../shared/data}

dir=$(sanitizer_build address)
work=$root/$dir/fuzz-work
findings=$root/$dir/fuzz-findings  # this run's findings only (a finding worth keeping goes to fuzz/regressions/)
rm -rf "$findings"
mkdir -p "$work" "$findings"

seed_dir() { rm -rf "$work/seeds-$1" && mkdir -p "$work/seeds-$1" && echo "$work/seeds-$1"; }

make_seeds() {
    local s
    s=$(seed_dir "$1")
    case $1 in
        audio)
            for fmt in wav flac ogg aiff au; do
                sox -n -r 8000 -c 1 "$s/tone.$fmt" synth 0.05 sine 440 2> /dev/null || true
            done
            sox -n -r 16000 -c 2 -b 16 "$s/stereo.wav" synth 0.05 sine 220 2> /dev/null || true
            { find "$data/ased" -name '*.opus' -size -12k 2> /dev/null | head -2 | xargs -r cp -t "$s"; } || true ;;
        wav_stream)  # first byte: 0 WAV, else a raw format
            sox -n -r 8000 -c 2 -b 16 "$work/stream.wav" synth 0.05 sine 440 2> /dev/null || true
            { printf '\x00'; cat "$work/stream.wav" 2> /dev/null; } > "$s/wav"
            printf '\x02\x10\x20\x30\x40\x50\x60' > "$s/raw" ;;
        image)
            for ext in png jpg bmp pgm tiff webp; do
                ffmpeg -loglevel error -y -f lavfi -i testsrc=s=48x40 -frames:v 1 "$s/test.$ext" 2> /dev/null || true
            done
            { find "$data/fer2013/publictest/happy" -name '*.png' 2> /dev/null | head -2 | xargs -r cp -t "$s"; } || true ;;
        config)
            for f in configs/*.yaml tests/fixtures/*.yaml; do
                { echo "train.epochs=3;model.channels=[8,16]"; cat "$f"; } > "$s/$(basename "$f")"
            done ;;
        csv)
            cp tests/fixtures/tiny_manifest.csv "$s/"
            printf 'file,modality,face,x,y,width,height,label,confidence,happy,sad\na.png,face,1,0,0,48,48,happy,0.9,0.9,0.1\nb.wav,speech,,,,,,no speech,\n' > "$s/feedback.csv"
            printf 'face,speech,label\na.png,b.wav,happy\n' > "$s/pairs.csv"
            { echo "emotion,pixels,Usage"; printf '3,'; for _ in $(seq 2304); do printf '7 '; done; echo ",PublicTest"; } > "$s/fer.csv" ;;
        json)
            echo '{"file":"c.wav","modality":"speech","label":"sad","confidence":0.9,"scores":{"calm":0.05,"sad":0.95}}' > "$s/speech.json"
            echo '{"file":"p.png","modality":"face","faces":[{"box":[0,0,48,48],"label":"happy","confidence":0.6,"scores":{"happy":0.6,"sad":0.4}}]}' > "$s/face.json"
            echo '{"file":"s.wav","modality":"speech","no_speech":true}' > "$s/silent.json"
            echo '{"n":2,"accuracy":0.5,"uar":0.5,"macro":{"f1":0.33},"weighted":{"f1":0.33},"epoch":3,"predictions":[["a.wav","happy","happy"],["b.wav","sad","happy"]]}' > "$s/eval.json" ;;
        ravdess_name)
            printf '03-01-05-02-01-01-12.flac' > "$s/name1"
            printf '03-01-01-01-02-02-01.wav' > "$s/name2" ;;
        model)
            cp models/speech.pt "$s/" ;;
        http)  # whole requests: each endpoint with a small valid body
            sox -n -r 8000 -c 1 -b 16 "$work/tone.wav" synth 0.3 sine 300 2> /dev/null || true
            ffmpeg -loglevel error -y -f lavfi -i testsrc=s=48x48 -frames:v 1 "$work/frame.png" 2> /dev/null || true
            request() {  # request FILE METHOD PATH [CONTENT_TYPE BODY_FILE]
                local body=/dev/null
                [[ $# -ge 5 ]] && body=$5
                { printf '%s %s HTTP/1.1\r\nHost: x\r\n' "$2" "$3"
                  [[ $# -ge 5 ]] && printf 'Content-Type: %s\r\nContent-Length: %d\r\n' "$4" "$(stat -c %s "$body")"
                  printf '\r\n'; cat "$body"; } > "$s/$1"
            }
            request health GET /health
            request page GET /
            request predict-audio POST /v1/predict audio/wav "$work/tone.wav"
            request predict-image POST /v1/predict image/png "$work/frame.png"
            { printf -- '--b\r\nContent-Disposition: form-data; name="label"\r\n\r\nhappy\r\n'
              printf -- '--b\r\nContent-Disposition: form-data; name="file"; filename="t.wav"\r\nContent-Type: audio/wav\r\n\r\n'
              cat "$work/tone.wav"; printf -- '\r\n--b--\r\n'; } > "$work/form"
            request feedback POST /v1/feedback 'multipart/form-data; boundary=b' "$work/form"
            request fuse POST /v1/fuse 'multipart/form-data; boundary=b' "$work/form"
            request stream-open POST '/v1/streams?inputs=audio,video&rate=8000&hop=0.5' text/plain /dev/null
            printf '\x10\x00\x20\x00\xf0\xff' > "$work/pcm"
            request stream-audio POST /v1/streams/0123456789abcdef/audio audio/L16 "$work/pcm"
            request stream-frame POST '/v1/streams/0123456789abcdef/frame?t=1' image/png "$work/frame.png"
            request stream-events GET /v1/streams/0123456789abcdef/events ;;
    esac
}

failed=0
for h in "${harnesses[@]}"; do
    make_seeds "$h"
    # Inputs that were findings once (fuzz/regressions/<harness>/) are replayed every run.
    cp fuzz/regressions/"$h"/* "$work/seeds-$h/" 2> /dev/null || true
    mkdir -p "$work/corpus-$h" "$findings/$h"
    max_len=65536
    [[ $h == model ]] && max_len=600000
    echo "fuzz_$h: ${seconds} s"
    budget=(-max_total_time="$seconds")
    ((seconds > 0)) || budget=(-runs=0)
    if [[ -n ${FUZZ_RUNS:-} ]]; then
        budget=(-runs="$FUZZ_RUNS" -seed=1)
        rm -rf "$work/corpus-$h" && mkdir -p "$work/corpus-$h"
    fi
    # -malloc_limit_mb: a single allocation above 1 GiB is a finding (hostile sizes in headers).
    if ! LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0" "$dir/fuzz/fuzz_$h" "$work/corpus-$h" "$work/seeds-$h" "${budget[@]}" -timeout=25 \
        -rss_limit_mb=3072 -malloc_limit_mb=1024 -max_len="$max_len" -print_final_stats=1 \
        -artifact_prefix="$findings/$h/" > "$work/$h.log" 2>&1; then
        failed=1
        tail -60 "$work/$h.log" >&2
    fi
    grep -E '^stat::number_of_executed_units|^#[0-9]+ *DONE' "$work/$h.log" | tail -2 || true
done
if compgen -G "$findings/*/*" > /dev/null; then
    echo "fuzz: findings:" >&2
    ls "$findings"/*/* >&2
    failed=1
fi
((failed == 0)) && echo "fuzz: no findings"
exit "$failed"
