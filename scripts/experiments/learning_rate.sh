#!/usr/bin/env bash
# Sweep: the peak learning rate of the one-cycle schedule, everything else as in the config.
# Unattended and resumable: run it again after an interruption and it goes on where it stopped.
#
# Usage: scripts/experiments/learning_rate.sh
# Settings (environment, defaults in brackets): MODALITY [speech], DATA [../shared/data/ravdess],
#   CONFIG [configs/speech_ravdess.yaml], OUT [runs/experiments/learning-rate], EPOCHS [60],
#   RATES ["0.0005 0.001 0.002 0.004"], FOLDS [0: the config's validation split; K: K-fold
#   cross-validation]
set -euo pipefail
source "$(dirname "$0")/common.sh"
MODALITY=${MODALITY:-speech}
DATA=${DATA:-$root/../shared/data/ravdess}
CONFIG=${CONFIG:-$root/configs/speech_ravdess.yaml}
OUT=${OUT:-runs/experiments/learning-rate}
EPOCHS=${EPOCHS:-60}
RATES=${RATES:-0.0005 0.001 0.002 0.004}
FOLDS=${FOLDS:-0}
mkdir -p "$OUT"

folds=()
[[ $FOLDS == 0 ]] || folds=(--folds "$FOLDS")
names=()
for rate in $RATES; do
    train_once "lr-$rate" --quiet --modality "$MODALITY" --config "$CONFIG" --data "$DATA" "${folds[@]}" \
        --set "train.epochs=$EPOCHS" "train.learning_rate=$rate"
    names+=("lr-$rate")
done
collect "${names[@]}"
