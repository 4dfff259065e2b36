#!/usr/bin/env bash
# emo as a user installs it: `cmake --install` into an empty prefix, examples/ built against that prefix
# alone, predict_file and `import emo` run from it; then the Debian package from `cpack -G DEB`, unpacked
# with dpkg -x into an empty root, its emo-predict and predict_file run from there (no source tree).
# Usage: tests/install_package.sh BUILD_DIR CLIP FACE RAVDESS_DIR
set -euo pipefail
build="$(cd "$1" && pwd)"
clip="$2"
face="$3"
ravdess="$4"
source_dir="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "install_package: $*" >&2; exit 1; }

# Labels the shipped models give these inputs, from the build tree's program.
label_of() { "$build/apps/emo-predict" --quiet --json "$1" | grep -o '"label":"[a-z]*"' | head -1 | cut -d'"' -f4; }
expected_clip=$(label_of "$clip")
expected_face=$(label_of "$face")
[[ -n "$expected_clip" && -n "$expected_face" ]] || fail "emo-predict in the build tree gave no labels"

check_predict_file() {  # PREDICT_FILE_BINARY
    local out
    out=$(env -u EMO_MODEL_DIR "$1" "$clip" "$face")
    echo "$out"
    [[ "$(echo "$out" | awk -F'\t' 'NR == 1 { print $2 }')" == "$expected_clip" ]] || fail "clip: expected $expected_clip"
    [[ "$(echo "$out" | awk -F'\t' 'NR == 2 { print $2 }')" == "$expected_face" ]] || fail "face: expected $expected_face"
}

build_examples() {  # PREFIX BUILD_DIR
    cmake -S "$source_dir/examples" -B "$2" -DCMAKE_PREFIX_PATH="$1" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$2" -j 2 >/dev/null
}

echo "== cmake --install into an empty prefix"
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
[[ -f "$prefix/include/emo/emo.hpp" && -f "$prefix/lib/pkgconfig/emo.pc" ]] || fail "headers or emo.pc not installed"
ls "$prefix"/lib/libemo.so.* >/dev/null || fail "libemo not installed"
build_examples "$prefix" "$work/examples"
check_predict_file "$work/examples/predict_file"
windows=$(env -u EMO_MODEL_DIR "$work/examples/stream_wav" "$clip" 2 1)
echo "$windows"
[[ $(echo "$windows" | wc -l) -ge 2 ]] || fail "stream_wav: expected a line per window"

echo "== train_model (examples/) on a tiny task"
source "$source_dir/tests/tiny_speech_task.sh"
(cd "$work" && tiny_speech_task "$ravdess" 06)
trained=$(cd "$work" && "$work/examples/train_model" speech tiny.yaml clips.csv "$work/run" 2)
echo "$trained"
[[ $(echo "$trained" | grep -c '^epoch') == 2 && -f "$work/run/model.pt" ]] || fail "train_model: expected 2 epochs and run/model.pt"
env -u EMO_MODEL_DIR "$prefix/bin/emo-predict" --quiet --model "$work/run/model.pt" "$clip" | grep -qE $'\t(calm|angry)\t' ||
    fail "the trained model does not predict a calm/angry label"

echo "== pkg-config"
PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs emo
printf '#include <emo/emo.hpp>\nint main() { return emo::version().empty(); }\n' >"$work/version.cpp"
# shellcheck disable=SC2046
c++ -std=c++17 "$work/version.cpp" -o "$work/version" $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs emo) \
    -Wl,-rpath,"$prefix/lib"
"$work/version"

if compgen -G "$prefix/lib/python3/dist-packages/emo*.so" >/dev/null; then
    echo "== import emo from the prefix"
    env -u EMO_MODEL_DIR PYTHONPATH="$prefix/lib/python3/dist-packages" /usr/bin/python3 - "$clip" "$expected_clip" <<'PY'
import sys, wave
import numpy as np
import emo
clip, expected = sys.argv[1], sys.argv[2]
by_file = emo.predict(clip)
with wave.open(clip) as w:
    pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).reshape(-1, w.getnchannels())
    by_samples = emo.predict(pcm.mean(axis=1).astype(np.float32) / 32768.0, sample_rate=w.getframerate())
print(emo.__file__, by_file["label"], by_samples["label"])
assert by_file["label"] == expected == by_samples["label"], (by_file["label"], by_samples["label"], expected)
PY
fi

echo "== cpack -G DEB, unpacked with dpkg -x"
(cd "$build" && cpack -G DEB -B "$work/deb" >/dev/null)
deb=$(ls "$work"/deb/emo_*.deb)
dpkg-deb --field "$deb" Package Version Depends
dpkg-deb --field "$deb" Depends | grep -q libtorch || fail "Depends: does not name LibTorch"
root="$work/root"
dpkg -x "$deb" "$root"
env -u EMO_MODEL_DIR "$root/usr/bin/emo-predict" --quiet "$clip" | grep -q "$expected_clip" || fail "packaged emo-predict"
build_examples "$root/usr" "$work/examples-deb"
LD_LIBRARY_PATH="$root/usr/lib" check_predict_file "$work/examples-deb/predict_file"
echo "install_package: all passed"
