#!/usr/bin/env bash
# emo-train killed with SIGKILL halfway through writing a checkpoint leaves the previous checkpoint
# and model readable, and `emo-train --resume` then ends exactly as the uninterrupted run.
# Usage: kill_resume.sh EMO_TRAIN EMO_EVAL KILL_IN_SAVE_SHIM RAVDESS_DIR WORK_DIR
set -euo pipefail
tests=$(cd "$(dirname "$0")" && pwd)
train=$1 eval=$2 shim=$3 ravdess=$4 work=$5
rm -rf "$work" && mkdir -p "$work" && cd "$work"

# calm and angry clips of actors 01-05; actor 05 is held out.
source "$tests/tiny_speech_task.sh"
tiny_speech_task "$ravdess" 05
fail() { echo "FAIL: $*" >&2; exit 1; }

"$train" --quiet --modality speech --config tiny.yaml --data clips.csv --out whole

set +e
LD_PRELOAD=$shim EMO_KILL_SAVING=checkpoint.pt:3 "$train" --quiet --modality speech --config tiny.yaml --data clips.csv --out killed
code=$?
set -e
[[ $code == 137 ]] || fail "the run was to be killed in its third checkpoint save, exit code $code"
ls killed/checkpoint.pt.* > /dev/null 2>&1 || fail "no half-written checkpoint left behind: the kill missed the save"
"$eval" --quiet --model killed/model.pt --data clips.csv --speakers 05 > killed_eval.txt ||
    fail "the model saved before the kill is not readable"

"$train" --resume killed > resume.log 2>&1 || { cat resume.log >&2; fail "--resume failed"; }
grep -q "resuming killed after epoch 2" resume.log || { cat resume.log >&2; fail "resume did not start after epoch 2"; }
! ls killed/*.tmp* > /dev/null 2>&1 || fail "the killed save's temporary is still there after --resume"
# Same numbers epoch by epoch; only the seconds column (the last) differs.
diff <(cut -d, -f1-8 whole/metrics.csv) <(cut -d, -f1-8 killed/metrics.csv) ||
    fail "the resumed run's metrics differ from the uninterrupted run's"
diff whole/validation.txt killed/validation.txt || fail "validation reports differ"
# Both runs trained in the precision auto picks here, so on a bf16 processor this is a bf16 resume.
expect_precision whole "$(auto_precision)" && expect_precision killed "$(auto_precision)"
# Where a run works is not part of its state: --threads overrides the run's config on resume.
"$train" --resume killed --threads 2 > again.log 2>&1 || { cat again.log >&2; fail "--resume --threads 2 failed"; }
grep -q "resuming killed after epoch 4 with 2 threads (the run had already finished)" again.log ||
    { cat again.log >&2; fail "--threads 2 did not reach the resumed run"; }
# The run's pictures and its self-contained HTML report (both PNGs embedded, no external reference).
for f in curves.png confusion.png report.html; do [[ -s killed/$f ]] || fail "killed/$f missing"; done
[[ $(grep -o 'src="data:image/png;base64,' killed/report.html | wc -l) == 2 ]] || fail "report.html lacks its plots"
! grep -q 'src="http' killed/report.html || fail "report.html reaches for the network"
echo "killed in save 3, resumed after epoch 2 ($(auto_precision)), metrics identical to the uninterrupted run"
