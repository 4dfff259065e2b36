#!/usr/bin/env bash
# Installs YuNet's face detector model where emo looks for it (~/.local/share/emo/models/yunet, or
# $EMO_MODELS_DIR/yunet), after checking it is the file emo was tested with (sha256).
# Usage: scripts/install_yunet.sh [FILE]   (default: ../shared/models/yunet/face_detection_yunet_2022mar.onnx)
# Get the file from OpenCV Zoo: models/face_detection_yunet/face_detection_yunet_2022mar.onnx (MIT).
set -euo pipefail
cd "$(dirname "$0")/.."
name=face_detection_yunet_2022mar.onnx
sha256=50ef07f702a31741ca46a4c0d947773b64143b9362780237bf0d427d6c79bab7
source=${1:-../shared/models/yunet/$name}
dest_dir=${EMO_MODELS_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/emo/models}/yunet

if [[ ! -f $source ]]; then
    echo "install_yunet: $source not found; faces will be found with OpenCV's Haar cascade." >&2
    echo "  Get $name from OpenCV Zoo (models/face_detection_yunet) and run: scripts/install_yunet.sh FILE" >&2
    exit 1
fi
if [[ $(sha256sum < "$source" | cut -d' ' -f1) != "$sha256" ]]; then
    echo "install_yunet: $source: not the $name emo was tested with (sha256 differs)" >&2
    exit 1
fi
mkdir -p "$dest_dir"
cp "$source" "$dest_dir/$name.tmp$$"
mv "$dest_dir/$name.tmp$$" "$dest_dir/$name"
[[ -f $(dirname "$source")/LICENSE ]] && cp "$(dirname "$source")/LICENSE" "$dest_dir/LICENSE"
echo "install_yunet: $dest_dir/$name"
