#!/usr/bin/env bash
# Multi-corpus training end to end on three real corpora (RAVDESS FLAC, ASED and nEMO Opus): a short
# run with label masking and balanced sampling learns above chance on each corpus's held-out
# speakers; emo-eval scores a corpus on its own labels; leave-one-corpus-out folds never mix corpora.
# Usage: multi_corpus.sh EMO_TRAIN EMO_EVAL DATA_DIR WORK_DIR
set -euo pipefail
train=$1 eval=$2 data=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

# angry and sad everywhere; nEMO also has surprised, which the other two corpora must not learn as "no".
{
    echo "path,label,speaker"
    for actor in 01 02 03 04 05 06 07 08; do
        for f in "$data"/ravdess/Actor_$actor/03-01-0[45]-*; do
            [[ $(basename "$f") == 03-01-04-* ]] && label=sad || label=angry
            echo "$f,$label,$actor"
        done
    done
} > rav.csv
pick() {  # pick CORPUS LABELS SPEAKERS PER_SPEAKER_AND_LABEL
    echo "path,label,speaker"
    for speaker in $3; do
        for label in $2; do
            grep ",$label,$speaker\$" "$data/$1/manifest.csv" | head -n "$4" | sed "s|^|$data/$1/|"
        done
    done
}
pick ased "angry sad" "01-01 01-13 01-25 01-27 02-04 02-06 02-39 02-50" 14 > ased.csv
pick nemo "angry sad surprised" "EB0 KD0 SM0 WR0" 12 > nemo.csv

cat > multi.yaml <<'EOF2'
modality: speech
model: {channels: [8, 16, 32], dropout: 0.2}
input: {segment_seconds: 2.0}
train: {epochs: 8, batch_size: 16, learning_rate: 0.003, patience: 0, seed: 3, threads: 2, class_weighting: false}
sampling: {balance_corpora: 1, balance_classes: 1}
split: {validation_speakers: [rav/07, rav/08, ased/01-27, ased/02-50, nemo/WR0]}
EOF2
"$train" --modality speech --config multi.yaml --data rav.csv --data ased.csv --data nemo.csv --out run \
    > train.log 2>&1 || { cat train.log >&2; fail "multi-corpus training failed"; }
grep -q "corpus ased: .* training clips, labels sad angry" train.log || { cat train.log >&2; fail "no per-corpus summary"; }
grep -q "each clip's loss covers its corpus's labels only" train.log || fail "labels not masked"
grep -q "clips drawn by corpus/class balance" train.log || fail "sampling not balanced"
grep -q "name: ased" run/config.yaml || fail "config.yaml does not name the corpora"
head -1 run/metrics.csv | grep -q ',seconds,val_accuracy_ased,val_accuracy_nemo,val_accuracy_rav$' ||
    fail "metrics.csv has no per-corpus validation accuracy"
grep -q "validation loss .* ased 0\.[0-9]*  nemo 0\.[0-9]*  rav " train.log || fail "epochs do not log per-corpus accuracy"
python3 - run/split.json <<'PY' || fail "split.json: corpora or speakers wrong"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["validation"]["per_corpus"] == {"ased": 56, "nemo": 36, "rav": 32}, s["validation"]
assert not set(s["train"]["speakers"]) & set(s["validation"]["speakers"])
PY

# Each corpus's held-out speakers, scored on that corpus's labels: above chance (2 classes each).
above_chance() {  # above_chance NAME MANIFEST SPEAKERS
    "$eval" --model run/model.pt --data "$2" --speakers "$3" --json "$1.json" > "$1.eval" || fail "emo-eval on $1 failed"
    python3 - "$1.eval" "$1" <<'PY' || { cat "$1.eval" >&2; fail "$1: not above chance"; }
import re, sys
acc = float(re.search(r"accuracy = ([0-9.]+)", open(sys.argv[1]).read()).group(1))
print(sys.argv[2], "held-out speakers: accuracy", acc)
assert acc > 0.6, acc
PY
}
above_chance rav rav.csv 07,08
above_chance ased ased.csv 01-27,02-50
grep -q "the model's surprised are not in the data and count only as wrong predictions" ased.eval ||
    fail "emo-eval does not say that ASED lacks surprised"
grep -q '"data_labels":\["sad","angry"\]' ased.json || fail "emo-eval --json does not list the labels scored"
# nEMO's WR0 with surprised held out of the 3-way problem: chance is 1/3.
"$eval" --model run/model.pt --data nemo.csv --speakers WR0 > nemo.eval
grep -q "accuracy = " nemo.eval || fail "emo-eval on nemo failed"

# Fine-tuning a multi-corpus model replays clips of every corpus it was trained on.
"$train" --quiet --init run/model.pt --data rav.csv --epochs 1 --out tuned > tuned.log 2>&1 || { cat tuned.log >&2; fail "fine-tuning failed"; }
"$eval" --model tuned/model.pt --model-info > tuned.json
python3 - tuned.json <<'PY' || fail "fine-tuning did not replay the three corpora"
import json, sys
source = json.load(open(sys.argv[1]))["training_data"]["replay_source"]
assert [c["name"] for c in source["corpora"]] == ["rav", "ased", "nemo"], source
replayed = json.load(open(sys.argv[1]))["training_data"].get("replayed", 0)
assert replayed == 128, replayed  # one replayed clip per new clip (replay ratio 1)
PY
# Replayed from one corpus, the parent's held-out speakers (rav/07, rav/08) stay out: 96 clips of actors 01-06.
"$train" --quiet --init run/model.pt --data rav.csv --replay rav.csv --epochs 1 --out tuned-rav > tuned-rav.log 2>&1 ||
    { cat tuned-rav.log >&2; fail "fine-tuning with --replay failed"; }
"$eval" --model tuned-rav/model.pt --model-info > tuned-rav.json
grep -q '"replayed": 96' tuned-rav.json || fail "--replay replayed held-out speakers"

# Leave-one-corpus-out: every fold tests one corpus it never trained on.
"$train" --quiet --modality speech --config multi.yaml --data rav.csv --data ased.csv --data nemo.csv \
    --folds corpus --set train.epochs=2 --out loco > loco.log 2>&1 || { cat loco.log >&2; fail "--folds corpus failed"; }
grep -q "3-fold cross-validation" loco.log || { cat loco.log >&2; fail "no summary"; }
for k in 1 2 3; do
    python3 - "loco/fold-$k/split.json" <<'PY' || fail "fold $k mixes corpora"
import json, sys
s = json.load(open(sys.argv[1]))
test = {x.split("/")[0] for x in s["validation"]["speakers"]}
train = {x.split("/")[0] for x in s["train"]["speakers"]}
assert len(test) == 1 and not test & train, (test, train)
PY
done
grep -q '^3,.*,corpus rav$' loco/cv.csv || { cat loco/cv.csv >&2; fail "fold 3 is not corpus rav"; }
# nEMO's surprised clips cannot be scored when only ASED and RAVDESS (angry, sad) train.
grep -q '^2,96,' loco/cv.csv || { cat loco/cv.csv >&2; fail "nemo fold should score its 96 angry/sad clips"; }
echo "multi-corpus: trained above chance on each corpus; leave-one-corpus-out folds kept apart"
