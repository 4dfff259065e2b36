#!/usr/bin/env bash
# Synthesises two short spoken sentences with espeak-ng and asks the shipped speech model for their
# emotion (text, then JSON). Usage: scripts/demo.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"
demo_dir="$build_dir/demo"
mkdir -p "$demo_dir"
espeak-ng -v en-us -s 150 -w "$demo_dir/kids.wav" "Kids are talking by the door."
espeak-ng -v en-us -s 190 -p 80 -a 200 -w "$demo_dir/dogs.wav" "Dogs are sitting by the door!"
"$build_dir/apps/emo-predict" "$demo_dir/kids.wav" "$demo_dir/dogs.wav"
"$build_dir/apps/emo-predict" --json "$demo_dir/kids.wav"
