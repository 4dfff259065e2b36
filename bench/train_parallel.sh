#!/usr/bin/env bash
# Data-parallel training on this machine: the shipped speech config on RAVDESS for a few epochs as
# 1 process x all cores and as N processes (--nproc, cores shared out), same global batch, per seed.
# Prints seconds per epoch and the best validation figures (held-out actors of the config's split).
# Usage: bench/train_parallel.sh [DATA_DIR] [EPOCHS] [NPROC] [SEEDS...]
set -euo pipefail
cd "$(dirname "$0")/.."
root="${1:-${EMO_DATA_DIR:-../shared/data}}"
epochs="${2:-20}"
nproc="${3:-2}"
shift $(( $# < 3 ? $# : 3 ))
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

printf '%-6s %4s %8s %9s %9s %9s %9s\n' procs seed wall_s s/epoch val_acc val_uar val_loss
for procs in 1 "$nproc"; do
    for seed in "${seeds[@]}"; do
        out="$scratch/run-$procs-$seed"
        start=$(date +%s.%N)
        build/apps/emo-train --quiet --modality speech --config configs/speech_ravdess.yaml --data "$root/ravdess" \
            --seed "$seed" --set train.epochs="$epochs" --nproc "$procs" --out "$out" > /dev/null
        wall=$(echo "$(date +%s.%N) - $start" | bc)
        # metrics.csv: epoch,lr,train_loss,train_acc,val_loss,val_acc,val_uar,val_f1,seconds
        awk -F, -v p="$procs" -v s="$seed" -v w="$wall" -v e="$epochs" 'NR > 1 {
                t += $9; if ($6 > best) { best = $6; uar = $7; loss = $5 } }
            END { printf "%-6d %4d %8.1f %9.2f %9.4f %9.4f %9.4f\n", p, s, w, t / e, best, uar, loss }' \
            "$out/metrics.csv"
    done
done
