#!/usr/bin/env bash
# Sweep: which input features suit the speech model? Log-mel (the shipped setting), MFCC, and MFCC
# with deltas, everything else as in the config. Unattended and resumable: run it again after an
# interruption and it goes on where it stopped.
#
# Usage: scripts/experiments/speech_features.sh
# Settings (environment, defaults in brackets): DATA [../shared/data/ravdess],
#   CONFIG [configs/speech_ravdess.yaml], OUT [runs/experiments/speech-features], EPOCHS [60],
#   FOLDS [0: validate on the config's held-out actors (17-20); K: K-fold speaker cross-validation,
#   the honest protocol, K times slower]
set -euo pipefail
source "$(dirname "$0")/common.sh"
DATA=${DATA:-$root/../shared/data/ravdess}
CONFIG=${CONFIG:-$root/configs/speech_ravdess.yaml}
OUT=${OUT:-runs/experiments/speech-features}
EPOCHS=${EPOCHS:-60}
FOLDS=${FOLDS:-0}
mkdir -p "$OUT"

folds=()
[[ $FOLDS == 0 ]] || folds=(--folds "$FOLDS")
common=(--quiet --modality speech --config "$CONFIG" --data "$DATA" "${folds[@]}" --set "train.epochs=$EPOCHS")
train_once logmel64 "${common[@]}" features.kind=logmel
train_once mfcc40 "${common[@]}" features.kind=mfcc features.n_mfcc=40
train_once mfcc40-deltas "${common[@]}" features.kind=mfcc features.n_mfcc=40 features.deltas=2
collect logmel64 mfcc40 mfcc40-deltas
