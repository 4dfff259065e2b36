#!/usr/bin/env bash
# Speech training speed: a few epochs of the shipped config, per seed, with wall/user/kernel time and
# minor page faults from /usr/bin/time. Pass other emo-train binaries to compare them on the same run.
# Usage: bench/train_speed.sh [DATA_DIR] [EPOCHS] [EMO_TRAIN...]
set -euo pipefail
cd "$(dirname "$0")/.."
root="${1:-${EMO_DATA_DIR:-../shared/data}}"
epochs="${2:-5}"
shift $(( $# < 2 ? $# : 2 ))
binaries=("$@")
[ ${#binaries[@]} -gt 0 ] || binaries=(build/apps/emo-train)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

printf '%-40s %4s %9s %9s %9s %7s %12s\n' binary seed wall_s user_s kernel_s s/epoch page_faults
for bin in "${binaries[@]}"; do
    for seed in 1 2; do
        /usr/bin/time -f '%e %U %S %R' -o "$scratch/time" "$bin" --quiet --modality speech \
            --config configs/speech_ravdess.yaml --data "$root/ravdess" --seed "$seed" \
            --set train.epochs="$epochs" --out "$scratch/run-$seed" > /dev/null
        rm -rf "$scratch/run-$seed"
        read -r wall user kernel faults < "$scratch/time"
        awk -v b="$bin" -v s="$seed" -v w="$wall" -v u="$user" -v k="$kernel" -v f="$faults" -v e="$epochs" \
            'BEGIN { printf "%-40s %4d %9.1f %9.1f %9.1f %7.1f %12d\n", b, s, w, u, k, w / e, f }'
    done
done
