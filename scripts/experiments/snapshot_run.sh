#!/usr/bin/env bash
# Copies a long run's figures into the repository, so that a lost machine costs time, never results: its
# metrics.csv and curves.png go to models/experiments/DEST/ as NAME.metrics.csv and NAME-curves.png, with
# NAME.resume.txt saying which epoch it reached and the command that continues it. Checkpoints stay in the run.
# Usage: scripts/experiments/snapshot_run.sh RUN_DIR DEST [NAME]   (NAME: the run folder's name)
# Then commit models/experiments/DEST.
set -euo pipefail
run=$1 dest=$2
name=${3:-$(basename "$run")}
root=$(cd "$(dirname "$0")/../.." && pwd)
[[ -f $run/metrics.csv && -f $run/run.json ]] || { echo "$run: not a run directory (no metrics.csv / run.json)" >&2; exit 3; }
out=$root/models/experiments/$dest
mkdir -p "$out"
cp "$run/metrics.csv" "$out/$name.metrics.csv"
[[ -f $run/curves.png ]] && cp "$run/curves.png" "$out/$name-curves.png"
epochs=$(($(wc -l < "$run/metrics.csv") - 1))
planned=$(sed -n 's/^  epochs: *\([0-9]*\).*/\1/p' "$run/config.yaml" | head -1)
cat > "$out/$name.resume.txt" << MSG
$name: epoch $epochs of ${planned:-?} done ($(date -u +%Y-%m-%dT%H:%MZ)); checkpoint in $run on the machine that ran it.
Continue: build/apps/emo-train --quiet --resume $run --threads 2
MSG
echo "$out: $name at epoch $epochs"
