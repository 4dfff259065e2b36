#!/usr/bin/env bash
# Adapts the shipped speech model to two RAVDESS actors it was never trained on (17 and 18) from a
# few of their clips, and reports accuracy before and after on their other clips, on the other
# held-out actors (19, 20), on the training actors (01-16, to see forgetting) and on ASED's held-out
# speakers (another language: what a multi-corpus model keeps).
# Usage: scripts/finetune_demo.sh [RAVDESS_DIR] [WORK_DIR] [SEEDS] [ASED_DIR]
#   defaults: ../shared/data/ravdess, runs/finetune-demo, "1 2 3", ../shared/data/ased (column "-" without it)
set -euo pipefail
cd "$(dirname "$0")/.."
ravdess=$(realpath "${1:-../shared/data/ravdess}")
work=${2:-runs/finetune-demo}
seeds=${3:-1 2 3}
ased=${4:-../shared/data/ased}
ased_speakers=01-13,01-27,02-39,02-50  # configs/speech_multicorpus.yaml's held-out ASED speakers
bin=build/apps
model=models/speech.pt
mkdir -p "$work"

# RAVDESS names: modality-channel-emotion-intensity-statement-repetition-actor.
label_of() {
    local names=(x neutral calm happy sad angry fearful disgust surprised)
    local code
    code=$(basename "$1" | cut -d- -f3)
    echo "${names[10#$code]}"
}
# Manifest of the actors' clips; PICK is "adapt" (statement 1, repetition 1: 15 clips an actor),
# "rest" (the other 45) or "all".
manifest() {
    local pick=$1 f name statement repetition
    shift
    echo "path,label,speaker"
    for actor in "$@"; do
        for f in "$ravdess"/Actor_"$actor"/*.flac; do
            name=$(basename "$f" .flac)
            statement=$(cut -d- -f5 <<< "$name")
            repetition=$(cut -d- -f6 <<< "$name")
            first=0 && [[ $statement == 01 && $repetition == 01 ]] && first=1
            if [[ $pick == all || ($pick == adapt && $first == 1) || ($pick == rest && $first == 0) ]]; then
                echo "$f,$(label_of "$f"),$actor"
            fi
        done
    done
}
manifest adapt 17 18 > "$work/adapt_17_18.csv"
manifest rest 17 18 > "$work/rest_17_18.csv"
manifest all 19 20 > "$work/actors_19_20.csv"
manifest all 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 > "$work/actors_01_16.csv"

accuracy() {  # model data [emo-eval options] -> accuracy
    "$bin/emo-eval" --quiet --model "$1" --data "${@:2}" | sed -n 's/^accuracy = \([0-9.]*\).*/\1/p'
}
ased_accuracy() {  # model -> accuracy on ASED's held-out speakers, or "-"
    if [[ -d $ased ]]; then accuracy "$1" "$ased" --speakers "$ased_speakers"; else echo -; fi
}
row() {  # name model
    printf '%-44s %8s %8s %8s %8s\n' "$1" "$(accuracy "$2" "$work/rest_17_18.csv")" \
        "$(accuracy "$2" "$work/actors_19_20.csv")" "$(accuracy "$2" "$work/actors_01_16.csv")" "$(ased_accuracy "$2")"
}

printf '%-44s %8s %8s %8s %8s\n' "model" "17-18" "19-20" "01-16" "ASED"
printf '%-44s %8s %8s %8s %8s\n' "" "(rest)" "(held)" "(train)" "(held)"
row "shipped models/speech.pt" "$model"
for seed in $seeds; do
    # replay-ravdess: replayed clips from RAVDESS alone, not from every corpus a multi-corpus model knows
    for variant in "no-replay:--replay-ratio 0" "replay:--replay-ratio 1" \
        "replay+frozen:--replay-ratio 1 --freeze-features" "replay-ravdess:--replay-ratio 1 --replay $ravdess"; do
        name=${variant%%:*}
        read -ra flags <<< "${variant#*:}"
        out="$work/$name-seed$seed"
        [[ -f $out/model.pt ]] || "$bin/emo-train" --quiet --init "$model" --data "$work/adapt_17_18.csv" \
            --seed "$seed" --out "$out" "${flags[@]}"
        row "$name (seed $seed)" "$out/model.pt"
    done
done
