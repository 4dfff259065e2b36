#!/usr/bin/env bash
# Training throughput in fp32 and bf16 (issue 30): one whole face epoch of emo-train (28,709 FER2013
# faces, data loading, augmentation and validation included) per precision, timed whole, then the
# PyTorch-Python training step of the same network (bench/train_step_pytorch.py) for comparison.
# Usage: bench/train_precision.sh [DATA_DIR] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/data}"
threads="${2:-2}"
out="$(mktemp -d)"
for precision in fp32 bf16; do
    /usr/bin/time -f "emo-train, one face epoch, $precision: %e s wall, %M KB peak" \
        build/apps/emo-train --quiet --modality face --config configs/face_fer2013_averaged.yaml \
        --data "$data/fer2013" --epochs 1 --set train.average_last=0 --threads "$threads" \
        --precision "$precision" --out "$out/$precision"
    grep -h '"seconds"' "$out/$precision/metrics.json" | head -1 || true
done
/usr/bin/python3 bench/train_step_pytorch.py "$threads" 30
rm -rf "$out"
