#!/usr/bin/env bash
# Data-parallel training over loopback (emo-train --nproc 2, c10d with Gloo):
#  - two processes train a short real run to one process's validation figures, same global batch;
#  - a rank killed with SIGKILL, or stopped (a hang), ends the job with an error naming it, a
#    non-zero exit code and the last checkpoint intact, within the timeout;
#  - --resume continues the interrupted job exactly as the uninterrupted one (same number of
#    processes) and also with one process.
# With a fifth argument `quick` (the sanitizer builds): only a short job of two processes, its run
# directory checked.
# Usage: distributed_train.sh EMO_TRAIN EMO_EVAL RAVDESS_DIR WORK_DIR [quick]
set -euo pipefail
train=$1 eval=$2 ravdess=$3 work=$4 quick=${5:-}
source "$(cd "$(dirname "$0")" && pwd)/tiny_speech_task.sh"   # auto_precision, expect_precision
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
# Generous for the jobs that should end well (a loaded CI machine); the hung job below uses 5 s.
export EMO_DIST_TIMEOUT=60

# Calm, happy, sad and angry clips of actors 01-08; actors 07 and 08 (64 clips) are held out.
{
    echo "path,label,speaker"
    for actor in 01 02 03 04 05 06 07 08; do
        for f in "$ravdess"/Actor_$actor/03-01-0[2345]-*; do
            case $(basename "$f" | cut -d- -f3) in 02) label=calm ;; 03) label=happy ;; 04) label=sad ;; *) label=angry ;; esac
            echo "$f,$label,$actor"
        done
    done
} > clips.csv
cat > short.yaml <<'EOF2'
modality: speech
model: {channels: [8, 16, 32], dropout: 0.1}
input: {segment_seconds: 2.0}
train: {epochs: 12, batch_size: 32, learning_rate: 0.003, patience: 0, seed: 3, threads: 1}
split: {validation_speakers: ['07', '08']}
EOF2

if [[ $quick == quick ]]; then
    "$train" --quiet --modality speech --config short.yaml --data clips.csv --set train.epochs=2 \
        train.average_last=2 --out two --nproc 2 || fail "a job of two processes failed"
    for f in model.pt average.pt checkpoint.pt metrics.csv validation.json; do [[ -s two/$f ]] || fail "two/$f missing"; done
    expect_precision two "$(auto_precision)"   # bf16 on a bf16 processor: both ranks under autocast
    "$eval" --quiet --model two/model.pt --data clips.csv --speakers 07 > /dev/null || fail "two/model.pt unreadable"
    echo "a job of two processes trained in $(auto_precision), averaged its weights and saved its model"
    exit 0
fi

# 1. Same figures as one process up to run-to-run noise: last-epoch validation accuracy within 0.1
#    (6 of 64 clips) and loss within 5 %; measured over 6 seeds: 0-0.078 and 0.2-3 % (docs/distributed.md).
"$train" --quiet --modality speech --config short.yaml --data clips.csv --out one
# Both ranks fill an empty feature cache at once: every file in it must be whole and read back.
"$train" --quiet --modality speech --config short.yaml --data clips.csv --out two --nproc 2 \
    --set cache_dir="$work/fresh-cache" || fail "a job of two processes failed"
for f in model.pt checkpoint.pt metrics.csv validation.json report.html; do [[ -s two/$f ]] || fail "two/$f missing"; done
! find "$work/fresh-cache" -name '*.tmp*' | grep -q . || fail "the feature cache kept temporaries"
[[ $(find "$work/fresh-cache" -type f | wc -l) -ge 256 ]] || fail "the feature cache lacks clips"
# metrics.csv: epoch,lr,train_loss,train_acc,val_loss,val_acc,val_uar,val_f1,seconds; the last epoch.
read -r loss1 acc1 < <(tail -1 one/metrics.csv | awk -F, '{print $5, $6}')
read -r loss2 acc2 < <(tail -1 two/metrics.csv | awk -F, '{print $5, $6}')
awk -v a="$acc1" -v b="$acc2" -v l="$loss1" -v m="$loss2" 'BEGIN {
        d = a - b; if (d < 0) d = -d; r = (l - m) / l; if (r < 0) r = -r
        exit !(d <= 0.1 + 1e-9 && r <= 0.05) }' ||
    fail "two processes: accuracy $acc2 / loss $loss2, one process: $acc1 / $loss1 (tolerance 0.1 / 5 %)"
[[ $(cut -d, -f2 one/metrics.csv) == "$(cut -d, -f2 two/metrics.csv)" ]] || fail "the learning-rate schedules differ"
echo "last epoch: one process accuracy $acc1 loss $loss1; two processes accuracy $acc2 loss $loss2"

# Weight averaging (train.average_last): the ranks recompute the mean's batch-norm statistics on their
# shares; the figures its file gives are the ones the job logged for it.
"$train" --modality speech --config short.yaml --data clips.csv --set train.epochs=4 train.average_last=3 \
    --out averaged --nproc 2 2> averaged.log || fail "an averaging job of two processes failed"
logged=$(grep -o 'mean weights of epochs 2-4: validation accuracy [0-9.]*' averaged.log | awk '{print $NF}')
[[ -n $logged ]] || fail "the averaging job did not report its mean weights: $(cat averaged.log)"
"$eval" --quiet --model averaged/average.pt --data clips.csv --speakers 07 08 --json averaged.json > /dev/null
measured=$(grep -o '"accuracy":[0-9.]*' averaged.json | head -1 | cut -d: -f2)
awk -v a="$logged" -v b="$measured" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d < 1e-3) }' ||
    fail "averaged/average.pt: emo-eval accuracy $measured, logged $logged"
echo "weight average of two processes: accuracy $logged, as emo-eval reads its file"

sed 's/epochs: 12/epochs: 25/' short.yaml > long.yaml
rank_pid() {  # the pid of rank $1 of the job training into $2
    for p in $(pgrep -f -- "--out $2" || true); do
        tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | grep -qx "RANK=$1" && { echo "$p"; return; }
    done
}
wait_for_epochs() {  # until $1/metrics.csv lists $2 epochs
    for _ in $(seq 600); do
        [[ -f $1/metrics.csv && $(($(wc -l < "$1/metrics.csv") - 1)) -ge $2 ]] && return
        sleep 0.1
    done
    fail "$1 did not reach epoch $2"
}

# 2. A rank killed: the job stops with the lost rank named, and the checkpoint is intact.
"$train" --quiet --modality speech --config long.yaml --data clips.csv --out whole --nproc 2
"$train" --quiet --modality speech --config long.yaml --data clips.csv --out killed --nproc 2 2> killed.log &
job=$!
wait_for_epochs killed 3
kill -9 "$(rank_pid 1 killed)"
start=$SECONDS
set +e; wait $job; code=$?; set -e
[[ $code != 0 ]] || fail "the job went on after rank 1 was killed"
(( SECONDS - start <= 30 )) || fail "the job took $((SECONDS - start)) s to stop after rank 1 died"
grep -q "rank 1 (pid [0-9]*) was killed by signal 9" killed.log || { cat killed.log >&2; fail "the launcher did not name rank 1"; }
grep -q "rank 0 lost rank 1" killed.log || { cat killed.log >&2; fail "rank 0 did not name the lost rank"; }
"$eval" --quiet --model killed/model.pt --data clips.csv --speakers 07 > /dev/null || fail "model.pt unreadable after the kill"

# 3. --resume of the distributed job: the same figures as the uninterrupted job, epoch by epoch.
"$train" --quiet --resume killed --nproc 2 || fail "--resume --nproc 2 failed"
diff <(cut -d, -f1-8 whole/metrics.csv) <(cut -d, -f1-8 killed/metrics.csv) ||
    fail "the resumed job's metrics differ from the uninterrupted job's"

# 4. A rank that hangs (SIGSTOP): the others give up after EMO_DIST_TIMEOUT and name it.
EMO_DIST_TIMEOUT=5 "$train" --quiet --modality speech --config long.yaml --data clips.csv --out hung --nproc 2 2> hung.log &
job=$!
wait_for_epochs hung 2
stopped=$(rank_pid 1 hung)
kill -STOP "$stopped"
start=$SECONDS
set +e; wait $job; code=$?; set -e
kill -9 "$stopped" 2> /dev/null || true
[[ $code != 0 ]] || fail "the job ended well with rank 1 stopped"
(( SECONDS - start <= 40 )) || fail "the job took $((SECONDS - start)) s to give up on a stopped rank"
grep -q "rank 0 lost rank 1" hung.log || { cat hung.log >&2; fail "the stopped rank was not named"; }

# 5. Resume with another number of processes: the job's state does not depend on it.
"$train" --quiet --resume hung || fail "--resume with one process failed"
[[ $(($(wc -l < hung/metrics.csv) - 1)) == 25 ]] || fail "the resumed job did not reach its 25 epochs"
echo "two processes match one; lost and stopped ranks named; resume exact"

# 6. --folds with --nproc: the folds shared among processes give the sequential cross-validation.
"$train" --quiet --modality speech --config short.yaml --data clips.csv --folds 4 --set train.epochs=4 --out cv1 > /dev/null
"$train" --quiet --modality speech --config short.yaml --data clips.csv --folds 4 --set train.epochs=4 --out cv2 \
    --nproc 2 > /dev/null || fail "--folds 4 --nproc 2 failed"
diff cv1/cv.txt cv2/cv.txt || fail "folds in two processes differ from folds in one"
echo "folds shared by two processes: the same cross-validation"
