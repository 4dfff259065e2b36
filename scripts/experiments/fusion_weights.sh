#!/usr/bin/env bash
# Sweep: fusion rule and weights. Scores the paired fit set (FER2013 PublicTest faces paired with
# RAVDESS actors 17-18) with the shipped models, evaluates every rule at face weights 0..1 in steps
# of 0.05, and writes sweep.csv and sweep.png. Then the fitted weights are checked on the disjoint
# test pairs (other faces, actors 19-20). Finished steps are skipped when it is run again.
#
# Usage: scripts/experiments/fusion_weights.sh
# Settings (environment, defaults in brackets): FER [../shared/data/fer2013],
#   RAVDESS [../shared/data/ravdess], OUT [runs/experiments/fusion-weights]
set -euo pipefail
source "$(dirname "$0")/common.sh"
FER=${FER:-$root/../shared/data/fer2013}
RAVDESS=${RAVDESS:-$root/../shared/data/ravdess}
OUT=${OUT:-runs/experiments/fusion-weights}
mkdir -p "$OUT"

[[ -s $OUT/test_pairs.csv ]] || "$root/scripts/make_fusion_pairs.sh" "$FER" "$RAVDESS" "$OUT"
if [[ -s $OUT/sweep.csv && -s $OUT/fitted.yaml ]]; then
    echo "sweep: finished earlier, skipped"
else
    "$EMO_BIN/emo-fuse" --quiet --pairs "$OUT/fit_pairs.csv" --sweep "$OUT" --fit --write-config "$OUT/fitted.yaml" \
        > "$OUT/fit_report.txt"
fi
[[ -s $OUT/test_report.txt ]] ||
    "$EMO_BIN/emo-fuse" --quiet --pairs "$OUT/test_pairs.csv" --config "$OUT/fitted.yaml" > "$OUT/test_report.txt"
echo "results: $OUT/sweep.csv, $OUT/sweep.png; fitted: $OUT/fitted.yaml; on the test pairs: $OUT/test_report.txt"
grep -E "^(face|speech|fused) " "$OUT/test_report.txt"
