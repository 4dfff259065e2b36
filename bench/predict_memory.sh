#!/usr/bin/env bash
# Peak memory of `emo-predict --csv` against the number of input clips: it should stay flat, since
# inputs are decoded, scored and printed a chunk at a time. The 1,200 RAVDESS clips are repeated to
# make longer batches.
# Usage: bench/predict_memory.sh [DATA_DIR] [COUNTS...]   (default counts: 300 1200 6000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${1:-$root/../shared/data}
shift || true
counts=("$@")
((${#counts[@]})) || counts=(300 1200 6000)
mapfile -t clips < <(find "$data/ravdess" -name '*.flac' | sort)
((${#clips[@]})) || { echo "no RAVDESS clips under $data/ravdess" >&2; exit 1; }
printf '%8s %10s %12s\n' inputs seconds "peak RSS MB"
for n in "${counts[@]}"; do
    inputs=()
    while ((${#inputs[@]} < n)); do inputs+=("${clips[@]}"); done
    inputs=("${inputs[@]:0:n}")
    /usr/bin/time -f '%e %M' -o /tmp/emo-predict-memory.time \
        "$root/build/apps/emo-predict" --quiet --csv "${inputs[@]}" > /dev/null
    read -r seconds kb < /tmp/emo-predict-memory.time
    printf '%8d %10.1f %12.0f\n' "$n" "$seconds" "$((kb / 1024))"
done
