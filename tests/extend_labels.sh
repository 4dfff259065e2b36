#!/usr/bin/env bash
# A label beyond the canonical eight, learnt with --extend-labels, flows through every reader and
# writer: feedback CSV in, emo-predict's CSV column and JSON score out, manifests and emo-eval.
# Usage: extend_labels.sh BUILD_APPS_DIR RAVDESS_DIR WORK_DIR
set -euo pipefail
tests=$(cd "$(dirname "$0")" && pwd)
bin=$1 ravdess=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
source "$tests/tiny_speech_task.sh"
tiny_speech_task "$ravdess" 05

"$bin/emo-train" --quiet --modality speech --config tiny.yaml --data clips.csv --out base
# The sad clips of actors 01-04 relabelled "Contempt"; actor 05's are the held-out set.
sad() { ls "$ravdess"/Actor_"$1"/03-01-04-*; }
{ echo "path,label"; for a in 01 02 03 04; do sad $a | sed 's/$/,Contempt/'; done; } > feedback.csv
{ echo "path,label,speaker"; sad 05 | sed 's/$/,contempt,05/'; grep ',05$' clips.csv; } > held_out.csv
"$bin/emo-train" --quiet --init base/model.pt --feedback feedback.csv --extend-labels --epochs 3 \
    --validation held_out.csv --out extended

clip=$(sad 05 | head -1)
"$bin/emo-predict" --model extended/model.pt --csv "$clip" > predict.csv
head -1 predict.csv | grep -q ',calm,angry,contempt$' || fail "CSV header lacks the contempt column: $(head -1 predict.csv)"
awk -F, 'NR == 2 && $NF != "" { found = 1 } END { exit !found }' predict.csv || fail "no contempt score in the CSV row"
"$bin/emo-predict" --model extended/model.pt --json "$clip" | grep -q '"contempt":' || fail "no contempt score in the JSON"
"$bin/emo-eval" --model extended/model.pt --data held_out.csv > eval.txt || fail "emo-eval on a manifest with contempt"
grep -q "^contempt " eval.txt || { cat eval.txt >&2; fail "the report has no contempt row"; }
grep -q "contempt" extended/validation.txt || fail "validation on held-out contempt clips not reported"
echo "contempt: learnt from feedback, in emo-predict CSV and JSON, validated and evaluated from manifests"
