#!/usr/bin/env bash
# emo-serve's page at / in a real browser (headless chromium with a fake camera and a clip as the microphone):
# labels appear and the chart draws from the live stream, and a file's label corrected on the page lands in the
# feedback CSV (tests/browser_page.py).
# Usage: serve_browser.sh BUILD_APPS_DIR CLIP WORK_DIR
set -euo pipefail
bin=$1 clip=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; cat serve.log >&2 2> /dev/null || true; exit 1; }
command -v chromium > /dev/null || fail "chromium is not installed (scripts/setup.sh installs it)"
sox "$clip" -r 48000 -c 1 clip.wav repeat 5 2> /dev/null   # 20 s: the fake microphone plays it in a loop
: > serve.out   # exists before the server's shell opens it, so the first read below cannot fail
"$bin/emo-serve" --port 0 --token t0k --feedback-dir fb > serve.out 2> serve.log &
pid=$!
trap 'kill "${pid:-}" 2> /dev/null || true' EXIT
for _ in $(seq 200); do
    url=$(sed -n 's/^emo-serve: listening on //p' serve.out)
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || fail "emo-serve did not start"
[ "$(curl -s -o page.html -w '%{http_code}' "$url/")" = 200 ] || fail "GET / without the token"
grep -q '<canvas id="chart"' page.html || fail "the page has no chart"
python3 "$here/browser_page.py" "$url" "$PWD/clip.wav" "$PWD" 60 "t0k" || fail "the page in chromium"
grep -q '^[0-9a-f]*\.wav,sad,' fb/speech.csv || fail "the page's correction is not in fb/speech.csv"
