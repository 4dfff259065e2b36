#!/usr/bin/env bash
# Sweep: what makes the speech model carry across speakers and corpora? Each variant (config
# overrides) is trained twice: on every corpus with the config's held-out speakers of each corpus,
# and leaving one corpus out at a time (--folds corpus). Both are scored at the last epoch, per
# corpus. Unattended and resumable: run it again after an interruption and it goes on where it stopped.
#
# Usage: scripts/experiments/cross_corpus.sh [NAME='KEY=VALUE ...' ...]
#   e.g. scripts/experiments/cross_corpus.sh shipped='' reverb='augment.reverb_probability=0.3'
#   (no arguments: the config as it is, and with attention pooling instead of mean + max)
# Settings (environment, defaults in brackets): CONFIG [configs/speech_multicorpus.yaml, whose data:
#   list names the corpora], OUT [runs/experiments/cross-corpus], EPOCHS [the config's],
#   LOCO_EPOCHS [EPOCHS], THREADS [0: all cores]
# Output: $OUT/results.csv (variant,protocol,corpus,clips,accuracy) and the same as a table.
set -euo pipefail
source "$(dirname "$0")/common.sh"
CONFIG=${CONFIG:-$root/configs/speech_multicorpus.yaml}
OUT=${OUT:-runs/experiments/cross-corpus}
THREADS=${THREADS:-0}
mkdir -p "$OUT"
(($#)) || set -- shipped='' attention-pooling='model.attention_pooling=true'

epochs=()
[[ -z ${EPOCHS:-} ]] || epochs=(train.epochs="$EPOCHS")
loco_epochs=("${epochs[@]}")
[[ -z ${LOCO_EPOCHS:-} ]] || loco_epochs=(train.epochs="$LOCO_EPOCHS")
names=()
for variant in "$@"; do
    name=${variant%%=*} overrides=${variant#*=}
    names+=("$name")
    # shellcheck disable=SC2206  # the overrides are words on purpose
    sets=(train.threads="$THREADS" $overrides)
    common=(--quiet --modality speech --config "$CONFIG")
    train_once "$name-speakers" "${common[@]}" --set "${sets[@]}" "${epochs[@]}"
    train_once "$name-loco" "${common[@]}" --folds corpus --set "${sets[@]}" "${loco_epochs[@]}"
done

python3 - "$OUT" "${names[@]}" <<'PY'
import csv, json, sys
out, names = sys.argv[1], sys.argv[2:]
rows = []
for name in names:
    # held-out speakers of every corpus: the last epoch's accuracy per corpus (metrics.csv)
    with open(f"{out}/{name}-speakers/metrics.csv") as f:
        last = list(csv.DictReader(f))[-1]
    split = json.load(open(f"{out}/{name}-speakers/split.json"))
    per_corpus = split["validation"].get("per_corpus", {})
    for key, value in last.items():
        if key.startswith("val_accuracy_"):
            corpus = key[len("val_accuracy_"):]
            rows.append([name, "held-out speakers", corpus, per_corpus.get(corpus, ""), float(value)])
    # leave-one-corpus-out: each fold's last epoch (cv.csv)
    with open(f"{out}/{name}-loco/cv.csv") as f:
        for r in csv.DictReader(f):
            if r["fold"].isdigit():
                rows.append([name, "left out", r["held_out"].replace("corpus ", ""), int(r["n"]), float(r["accuracy"])])
with open(f"{out}/results.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["variant", "protocol", "corpus", "clips", "accuracy"])
    w.writerows(rows)
print(f"{'variant':<20} {'protocol':<18} {'corpus':<12} {'clips':>6} {'accuracy':>8}")
for r in rows:
    print(f"{r[0]:<20} {r[1]:<18} {r[2]:<12} {r[3]!s:>6} {r[4]:>8.3f}")
PY
echo "results: $OUT/results.csv"
