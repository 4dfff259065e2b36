#!/usr/bin/env bash
# scripts/experiments: a sweep killed in the middle of a run goes on where it stopped when started
# again, and collects every run into one CSV table and plots.
# Usage: experiments.sh BUILD_APPS_DIR KILL_IN_SAVE_SHIM RAVDESS_DIR WORK_DIR
set -euo pipefail
tests=$(cd "$(dirname "$0")" && pwd)
export EMO_BIN=$1
shim=$2 ravdess=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
source "$tests/tiny_speech_task.sh"
tiny_speech_task "$ravdess" 05
export DATA=$PWD/clips.csv CONFIG=$PWD/tiny.yaml OUT=$PWD/sweep EPOCHS=3
sweep=$tests/../scripts/experiments/speech_features.sh

# The first run is killed while writing its third checkpoint, which stops the sweep.
if LD_PRELOAD=$shim EMO_KILL_SAVING=checkpoint.pt:3 "$sweep" > first.log 2>&1; then fail "the sweep did not stop at the kill"; fi
grep -q "error: logmel64 failed" first.log || { cat first.log >&2; fail "no error naming the killed run"; }
[[ ! -e sweep/results.csv ]] || fail "results.csv written by an unfinished sweep"

"$sweep" > second.log 2>&1 || { cat second.log sweep/*.log >&2; fail "the restarted sweep failed"; }
grep -q "logmel64: interrupted earlier, resuming" second.log || { cat second.log >&2; fail "logmel64 not resumed"; }
grep -q "mfcc40-deltas: training" second.log || fail "mfcc40-deltas not trained"
"$sweep" > third.log 2>&1
[[ $(grep -c "finished earlier, skipped" third.log) == 3 ]] || { cat third.log >&2; fail "finished runs retrained"; }

[[ $(head -1 sweep/results.csv) == result,n,accuracy,uar,macro_f1,weighted_f1,epoch,* ]] || fail "results.csv header"
for name in logmel64 mfcc40 mfcc40-deltas; do
    grep -q "^$name,16,0\.[0-9]*,\|^$name,16,1\.0*," sweep/results.csv || { cat sweep/results.csv >&2; fail "no row for $name"; }
done
grep -q "kind: mfcc" sweep/mfcc40/config.yaml && grep -q "deltas: 2" sweep/mfcc40-deltas/config.yaml ||
    fail "the variants' settings were not applied"
for f in compare.png curves.png; do [[ -s sweep/$f ]] || fail "sweep/$f missing"; done
echo "sweep killed in its first run, resumed, skipped finished runs, collected 3 rows"
