#!/usr/bin/env bash
# Side-by-side benchmarks on the RAVDESS clips and FER2013 faces. Needs a build (scripts/setup.sh)
# and, for the comparisons, Debian's python3-torchaudio, python3-torch and python3-opencv. Usage: bench/run.sh [DATA_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
root="${1:-${EMO_DATA_DIR:-../shared/data}}"
data="$root/ravdess"
build=build

echo "== feature extraction: decode + resample 48->16 kHz + 64-band log-mel, $(ls "$data"/*/* | wc -l) clips"
for threads in 1 2; do
    emo=$("$build/bench/bench_features" "$data" "$threads" 3)
    ta=$(/usr/bin/python3 bench/features_torchaudio.py "$data" "$threads" 3)
    echo "$emo"
    echo "$ta"
    awk -v a="$(echo "$emo" | sed -E 's/.*: ([0-9.]+) s.*/\1/')" -v b="$(echo "$ta" | sed -E 's/.*: ([0-9.]+) s.*/\1/')" \
        'BEGIN { printf "ratio (torchaudio time / emo time), %s thread(s): %.1fx\n", '"$threads"', b / a }'
done

echo "== emo-predict throughput (shipped model, all clips in one call, decode + features + CNN)"
mapfile -t clips < <(ls "$data"/*/*)
start=$(date +%s.%N)
"$build/apps/emo-predict" --quiet "${clips[@]}" > /dev/null
end=$(date +%s.%N)
awk -v n="${#clips[@]}" -v s="$start" -v e="$end" 'BEGIN { printf "emo-predict: %d clips in %.2f s = %.1f clips/s\n", n, e - s, n / (e - s) }'

echo "== face: PublicTest crops classified (batch 32, flip averaging), photos end to end, training"
for threads in 1 2; do
    "$build/bench/bench_face" models/face.pt "$root/fer2013" "$threads" 3
    /usr/bin/python3 bench/face_pytorch.py "$root/fer2013" "$threads" 3
done
