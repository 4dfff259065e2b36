#!/usr/bin/env bash
# Scores each finished fold of a `--folds corpus` run on the corpus it left out, with its last epoch's model
# (a fold's validation clips are its test clips, so model.pt, chosen on them, would flatter it): every clip,
# any of the model's labels (as the fold's own figures), and in a closed set (emo-eval --closed-set).
# Prints a CSV: fold,corpus,n,open,open_top_share,closed,closed_top_share.
# Usage: scripts/experiments/loco_closed_set.sh RUN_DIR [DATA_DIR]   (DATA_DIR: ../shared/data)
set -euo pipefail
run=$1 data=${2:-../shared/data}
eval_bin=${EMO_EVAL:-build/apps/emo-eval}
figures() {  # n, accuracy and the most predicted label's share from emo-eval's text report
    awk '/^n = /{n=$3} /^accuracy = /{a=$3} /^most predicted = /{gsub(/[(%]/, "", $5); s=$5 / 100}
         END {printf "%s,%s,%.3f", n, a, s}'
}
echo "fold,corpus,n,open,open_top_share,closed,closed_top_share"
for fold in "$run"/fold-*; do
    [[ -f $fold/last.pt && -f $fold/validation.txt ]] || continue  # not finished
    corpus=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["validation"]["speakers"][0].split("/")[0])' \
        "$fold/split.json")
    open=$("$eval_bin" --quiet --model "$fold/last.pt" --data "$data/$corpus" | figures)
    closed=$("$eval_bin" --quiet --model "$fold/last.pt" --data "$data/$corpus" --closed-set | figures)
    echo "${fold##*-},$corpus,$open,${closed#*,}"
done
