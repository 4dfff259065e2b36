#!/usr/bin/env bash
# Builds the paired face+speech sets for fusion (no dataset has one person's face and voice).
# Every FER2013 publictest face of a common label (calm excluded: FER has none) is paired with a
# RAVDESS clip of the same emotion, drawn round-robin from a seeded shuffle. The faces are halved
# (seeded): half 1 pairs with actors 17-18 (fit_pairs.csv, for fitting fusion weights), half 2 with
# actors 19-20 (test_pairs.csv, for reporting). No face and no actor is in both files.
# Usage: scripts/make_fusion_pairs.sh [FER2013_DIR] [RAVDESS_DIR] [OUT_DIR] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
fer=$(realpath "${1:-../shared/data/fer2013}")/publictest
ravdess=$(realpath "${2:-../shared/data/ravdess}")
out=${3:-runs/fusion-pairs}
seed=${4:-1}
mkdir -p "$out"

seeded_shuffle() { shuf --random-source=<(yes "emo-pairs-$seed-$1"); }

# FER folder, canonical label, RAVDESS emotion code.
table="angry angry 05
disgust disgust 07
fear fearful 06
happy happy 03
neutral neutral 01
sad sad 04
surprise surprised 08"

write_pairs() {  # half actor... -> CSV on stdout
    local half=$1 folder label code faces clips n from i
    shift
    echo "face,speech,label"
    while read -r folder label code; do
        mapfile -t faces < <(find "$fer/$folder" -type f | sort | seeded_shuffle "faces-$label")
        mapfile -t clips < <(for a in "$@"; do find "$ravdess/Actor_$a" -name "03-01-$code-*"; done | sort |
            seeded_shuffle "clips-$label-$half")
        n=$((${#faces[@]} / 2))
        from=$(( half == 1 ? 0 : n ))
        [[ $half == 1 ]] || n=$((${#faces[@]} - n))
        for ((i = 0; i < n; i++)); do
            echo "${faces[from + i]},${clips[i % ${#clips[@]}]},$label"
        done
    done <<< "$table"
}
# Written aside and renamed, so an interrupted run never leaves a half-written set behind.
write_pairs 1 17 18 > "$out/fit_pairs.csv.tmp" && mv "$out/fit_pairs.csv.tmp" "$out/fit_pairs.csv"
write_pairs 2 19 20 > "$out/test_pairs.csv.tmp" && mv "$out/test_pairs.csv.tmp" "$out/test_pairs.csv"
echo "$out/fit_pairs.csv: $(($(wc -l < "$out/fit_pairs.csv") - 1)) pairs; $out/test_pairs.csv: $(($(wc -l < "$out/test_pairs.csv") - 1)) pairs"
