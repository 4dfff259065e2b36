#!/usr/bin/env bash
# emo-train --folds: speaker-independent folds for speech, stratified folds for faces, per-fold and
# mean ± std figures, and --resume of an interrupted cross-validation giving the same figures.
# Usage: cross_validation.sh EMO_TRAIN EMO_EVAL DATA_DIR WORK_DIR
set -euo pipefail
tests=$(cd "$(dirname "$0")" && pwd)
train=$1 eval=$2 data=$3 work=$4
configs=$tests/../configs
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

# Speech: calm (02) and angry (05) clips of actors 01-06, three folds of two actors each.
source "$tests/tiny_speech_task.sh"
tiny_speech_task "$data/ravdess" 06

# A refused start (more folds than speakers) exits 2 and leaves no run directory behind.
code=0
"$train" --quiet --modality speech --config tiny.yaml --data clips.csv --folds 9 --out refused 2> refused.err || code=$?
[[ $code == 2 ]] || { cat refused.err >&2; fail "--folds 9 with 6 speakers: exit $code, expected 2"; }
grep -q "folds" refused.err || fail "the error does not name --folds"
[[ ! -e refused ]] || fail "the refused start left refused/ behind"

"$train" --quiet --modality speech --config tiny.yaml --data clips.csv --folds 3 --set train.epochs=3 --out cv > cv.out
for f in cv.txt cv.csv cv.json validation.json folds.png confusion.png fold-3/model.pt; do
    [[ -s cv/$f ]] || fail "cv/$f missing"
done
grep -q "3-fold cross-validation" cv.out || fail "no summary on stdout"
[[ $(grep -c '^[123],32,3,' cv/cv.csv) == 3 ]] || { cat cv/cv.csv >&2; fail "expected 3 folds of 32 clips, 3 epochs each"; }
grep -q '^mean,96,' cv/cv.csv && grep -q '^std,' cv/cv.csv || fail "no mean/std rows"
grep -q 'epochs: 3' cv/config.yaml || fail "--set train.epochs=3 not applied"
# No speaker is both trained on and tested in a fold; every speaker is tested once.
tested=""
for k in 1 2 3; do
    python3 - "cv/fold-$k/split.json" <<'PY' || fail "fold $k trains on a speaker it tests"
import json, sys
s = json.load(open(sys.argv[1]))
assert not set(s["train"]["speakers"]) & set(s["validation"]["speakers"])
PY
    tested+=$(python3 -c "import json;print(' '.join(json.load(open('cv/fold-$k/split.json'))['validation']['speakers']))")" "
done
[[ $(echo $tested | tr ' ' '\n' | sort | tr '\n' ' ') == "01 02 03 04 05 06 " ]] || fail "speakers tested: $tested"

# Interrupted after two folds: --resume finishes the third and reports the same figures.
cp cv/cv.csv full.csv
rm -rf cv/fold-3 cv/cv.* cv/validation.json
"$train" --resume cv > resume.log 2>&1 || { cat resume.log >&2; fail "--resume failed"; }
grep -qE "resuming cv/fold-2 after epoch 3 with [0-9]+ threads? \(the run had already finished\)" resume.log || fail "fold 2 retrained"
diff full.csv cv/cv.csv || fail "resumed cross-validation differs"
"$eval" --compare cv cv/fold-1 > compare.txt
grep -q "^cv  *96 " compare.txt || fail "emo-eval --compare does not read a cross-validation"

# Faces: 20 happy and 20 sad FER2013 images as class folders, two stratified folds.
for label in happy sad; do
    mkdir -p faces/$label
    images=("$data"/fer2013/train/$label/*)
    ln -s "${images[@]:0:20}" faces/$label/
done
"$train" --quiet --modality face --config "$configs/face_fer2013.yaml" --data faces --folds 2 \
    --set train.epochs=1 model.channels=[8,16] model.convs_per_block=1 --out face_cv > /dev/null
[[ $(grep -c '^[12],20,1,' face_cv/cv.csv) == 2 ]] || { cat face_cv/cv.csv >&2; fail "expected 2 folds of 20 faces"; }
python3 - face_cv/cv.json <<'PY' || fail "face folds are not stratified"
import json, sys
for f in json.load(open(sys.argv[1]))["folds"]:
    per_class = f["metrics"]["per_class"]
    assert per_class["happy"]["support"] == 10 and per_class["sad"]["support"] == 10, per_class
PY
echo "speech: 3 speaker-independent folds, resume identical; faces: 2 stratified folds"
