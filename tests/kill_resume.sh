#!/usr/bin/env bash
# emo-train killed with SIGKILL halfway through writing a checkpoint leaves the previous checkpoint
# and model readable, and `emo-train --resume` then ends exactly as the uninterrupted run.
# Usage: kill_resume.sh EMO_TRAIN EMO_EVAL RAVDESS_DIR WORK_DIR
set -euo pipefail
train=$1 eval=$2 ravdess=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work"

# calm (02) and angry (05) clips of actors 01-05; actor 05 is held out.
{
    echo "path,label,speaker"
    for actor in 01 02 03 04 05; do
        for f in "$ravdess"/Actor_$actor/03-01-0[25]-*; do
            [[ $(basename "$f") == 03-01-02-* ]] && label=calm || label=angry
            echo "$f,$label,$actor"
        done
    done
} > clips.csv
cat > tiny.yaml <<'EOF'
modality: speech
model: {channels: [8, 16], dropout: 0.2}
input: {segment_seconds: 2.0}
train: {epochs: 4, batch_size: 16, learning_rate: 0.003, patience: 0, seed: 5, threads: 1}
split: {validation_speakers: ['05']}
EOF
fail() { echo "FAIL: $*" >&2; exit 1; }

"$train" --quiet --modality speech --config tiny.yaml --data clips.csv --out whole

set +e
EMO_TEST_KILL_IN_SAVE=3 "$train" --quiet --modality speech --config tiny.yaml --data clips.csv --out killed
code=$?
set -e
[[ $code == 137 ]] || fail "the run was to be killed in its third checkpoint save, exit code $code"
ls killed/checkpoint.pt.* > /dev/null 2>&1 || fail "no half-written checkpoint left behind: the kill missed the save"
"$eval" --quiet --model killed/model.pt --data clips.csv --speakers 05 > killed_eval.txt ||
    fail "the model saved before the kill is not readable"

"$train" --resume killed > resume.log 2>&1 || { cat resume.log >&2; fail "--resume failed"; }
grep -q "resuming killed after epoch 2" resume.log || { cat resume.log >&2; fail "resume did not start after epoch 2"; }
# Same numbers epoch by epoch; only the seconds column (the last) differs.
diff <(cut -d, -f1-8 whole/metrics.csv) <(cut -d, -f1-8 killed/metrics.csv) ||
    fail "the resumed run's metrics differ from the uninterrupted run's"
diff whole/validation.txt killed/validation.txt || fail "validation reports differ"
# The run's pictures and its self-contained HTML report (both PNGs embedded, no external reference).
for f in curves.png confusion.png report.html; do [[ -s killed/$f ]] || fail "killed/$f missing"; done
[[ $(grep -o 'src="data:image/png;base64,' killed/report.html | wc -l) == 2 ]] || fail "report.html lacks its plots"
! grep -q 'src="http' killed/report.html || fail "report.html reaches for the network"
echo "killed in save 3, resumed after epoch 2, metrics identical to the uninterrupted run"
