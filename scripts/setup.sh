#!/usr/bin/env bash
# Installs every build/test dependency from Debian 12 packages, then configures and builds emo.
# Usage: scripts/setup.sh [--deps-only] [BUILD_DIR]   (default build dir: build)
set -euo pipefail
cd "$(dirname "$0")/.."

deps_only=0
if [[ "${1:-}" == "--deps-only" ]]; then deps_only=1; shift; fi
build_dir="${1:-build}"

packages=(
    build-essential cmake pkg-config ccache
    libtorch-dev libopenblas0-pthread libgloo-dev   # libgloo-dev: distributed training (c10d Gloo)
    libopencv-dev opencv-data
    libsndfile1-dev libsoxr-dev libfftw3-dev zlib1g-dev
    libcli11-dev libspdlog-dev libfmt-dev libyaml-cpp-dev nlohmann-json3-dev catch2
    libavformat-dev libavcodec-dev libavutil-dev libswresample-dev libswscale-dev
    espeak-ng sox ffmpeg
    libcpp-httplib-dev curl chromium   # emo-serve, and its tests (curl; the page in headless chromium)
    libasound2-dev alsa-utils   # emo-predict --mic (ALSA); tests capture through ALSA's file plugin
    pybind11-dev python3-dev python3-numpy python3-pytest   # the Python module (python/) and its tests
    clang-14 libclang-rt-14-dev   # scripts/sanitize.sh, scripts/fuzz.sh (libFuzzer)
)
# python3-torchaudio is only needed to regenerate test fixtures (tests/ref/*.py); not installed here.

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}"
fi
# LibTorch links the generic BLAS; the reference implementation is several times slower.
if [[ -e /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 ]]; then
    "${sudo_cmd[@]}" update-alternatives --set libblas.so.3-x86_64-linux-gnu \
        /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 >/dev/null 2>&1 || true
fi
((deps_only)) && exit 0

cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build_dir" -j "$(nproc)"
# YuNet finds faces far better than the Haar cascade; installed when a copy is at hand.
scripts/install_yunet.sh || true
