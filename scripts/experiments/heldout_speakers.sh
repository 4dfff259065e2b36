#!/usr/bin/env bash
# The held-out speakers of configs/speech_8corpora.yaml, corpus by corpus: accuracy, the share of the label
# predicted most often, and the expected calibration error, as one CSV row per corpus.
# Usage: scripts/experiments/heldout_speakers.sh MODEL [EMO_EVAL_ARGS...]   (e.g. --normalize none)
# Output (stdout): corpus,clips,accuracy,uar,most_predicted,share,ece
set -euo pipefail
model=$1
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${EMO_DATA_DIR:-$root/../shared/data}
eval_bin=${EMO_EVAL:-$root/build/apps/emo-eval}
declare -A speakers=(
    [ravdess]=17,18,19,20 [ased]=01-13,01-27,02-39,02-50 [nemo]=KS0,WR0 [emovo]=f3,m3 [turev]=1234,7895
    [emotiontts_kr]=nec,emg,nel [indian_emospeech]=0e17afa3,837e41c8,2bbcd876,da09e319,4e520c6f,c7b43119)
echo "corpus,clips,accuracy,uar,most_predicted,share,ece"
for corpus in ravdess ased nemo emovo turev emotiontts_kr indian_emospeech; do
    out=$(mktemp)
    "$eval_bin" --model "$model" --data "$data/$corpus" --speakers "${speakers[$corpus]}" --json "$out" "$@" > /dev/null
    /usr/bin/env python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
print(",".join([sys.argv[2], str(j["n"]), "%.3f" % j["accuracy"], "%.3f" % j["uar"], j["most_predicted"]["label"],
                "%.3f" % j["most_predicted"]["share"], "%.3f" % j.get("ece", -1)]))' "$out" "$corpus"
    rm -f "$out"
done
