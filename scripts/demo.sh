#!/usr/bin/env bash
# The main job on the shipped models: the emotion of two sentences synthesised with espeak-ng, and of
# the face in a photo shipped by a Debian package, and both fused, (scikit-image's astronaut.png, a public-domain NASA
# portrait, extracted from the python3-skimage package without installing it).
# Usage: scripts/demo.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"
demo_dir="$build_dir/demo"
mkdir -p "$demo_dir"
espeak-ng -v en-us -s 150 -w "$demo_dir/kids.wav" "Kids are talking by the door."
espeak-ng -v en-us -s 190 -p 80 -a 200 -w "$demo_dir/dogs.wav" "Dogs are sitting by the door!"

photo="$demo_dir/astronaut.png"
if [[ ! -s "$photo" ]]; then
    (cd "$demo_dir" && apt-get download python3-skimage >/dev/null 2>&1 &&
        dpkg-deb --fsys-tarfile python3-skimage_*.deb |
        tar -xO ./usr/lib/python3/dist-packages/skimage/data/astronaut.png > astronaut.png &&
        rm -f python3-skimage_*.deb) || rm -f "$photo"
fi
inputs=("$demo_dir/kids.wav" "$demo_dir/dogs.wav")
if [[ -s "$photo" ]]; then inputs+=("$photo"); else echo "demo: no photo (apt-get download python3-skimage failed); speech only" >&2; fi
"$build_dir/apps/emo-predict" "${inputs[@]}"
"$build_dir/apps/emo-predict" --json "${inputs[@]:1}"
if [[ -s "$photo" ]]; then "$build_dir/apps/emo-fuse" --face "$photo" --speech "$demo_dir/kids.wav"; fi
