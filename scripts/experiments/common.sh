# Sourced by the sweeps in this folder: resumable training runs and the collected table.
# Settings (environment): EMO_BIN (the programs; default build/apps), OUT (the sweep's folder).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
EMO_BIN=${EMO_BIN:-$root/build/apps}
for program in emo-train emo-eval emo-fuse; do
    [[ -x $EMO_BIN/$program ]] || { echo "error: $EMO_BIN/$program not found (build first: scripts/setup.sh)" >&2; exit 2; }
done

# train_once NAME EMO_TRAIN_ARGS...: trains into $OUT/NAME. A finished run (it has validation.json)
# is skipped; an interrupted one (run.json but no validation.json) continues with --resume. The
# run's log goes to $OUT/NAME.log.
train_once() {
    local name=$1 dir=$OUT/$1
    shift
    if [[ -s $dir/validation.json ]]; then
        echo "$name: finished earlier, skipped"
    elif [[ -s $dir/run.json ]]; then
        echo "$name: interrupted earlier, resuming"
        "$EMO_BIN/emo-train" --resume "$dir" >> "$OUT/$name.log" 2>&1
    else
        echo "$name: training"
        "$EMO_BIN/emo-train" "$@" --out "$dir" > "$OUT/$name.log" 2>&1
    fi || { echo "error: $name failed; see $OUT/$name.log" >&2; tail -3 "$OUT/$name.log" >&2; exit 1; }
}

# collect NAME...: every run's key figures in $OUT/results.csv (and as a table on stdout), its bar
# chart $OUT/compare.png and the validation curves $OUT/curves.png.
collect() {
    local dirs=()
    for name in "$@"; do dirs+=("$OUT/$name"); done
    "$EMO_BIN/emo-eval" --quiet --compare "${dirs[@]}" --csv "$OUT/results.csv" --plots "$OUT"
    echo "results: $OUT/results.csv, $OUT/compare.png, $OUT/curves.png"
}
