#!/usr/bin/env bash
# emo-serve on loopback: health, a clip and a face as the body and as multipart, fusion, the same answer as
# emo-predict, bad input as 4xx with emo's message, the token, the body limit, and a clean stop on SIGTERM.
# Usage: serve.sh BUILD_APPS_DIR CLIP FACE WORK_DIR
set -euo pipefail
bin=$1 clip=$2 face=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; [ -f serve.log ] && cat serve.log >&2; exit 1; }

start() {  # start ARGS...: a server on a free port; sets $url and $pid
    "$bin/emo-serve" --port 0 "$@" > serve.out 2> serve.log &
    pid=$!
    for _ in $(seq 200); do
        url=$(sed -n 's/^emo-serve: listening on //p' serve.out)
        [ -n "$url" ] && return 0
        kill -0 "$pid" 2> /dev/null || fail "emo-serve exited before listening"
        sleep 0.1
    done
    fail "emo-serve did not say where it listens"
}
stop() {
    kill -TERM "$pid"
    local code=0
    wait "$pid" || code=$?
    [ "$code" -eq 0 ] || fail "emo-serve exited $code on SIGTERM"
}
status() { curl -s -o body.json -w '%{http_code}' "$@"; }
trap 'kill "$pid" 2> /dev/null || true' EXIT

start
[ "$(status "$url/health")" = 200 ] || fail "/health: $(cat body.json)"
grep -q '"status":"ok"' body.json && grep -q '"speech":{' body.json && grep -q '"face":{' body.json \
    || fail "/health: $(cat body.json)"

# A clip as the body: the same label and scores as emo-predict --json.
"$bin/emo-predict" --json "$clip" > cli.json
[ "$(status -H 'Content-Type: audio/wav' --data-binary @"$clip" "$url/v1/predict")" = 200 ] || fail "clip: $(cat body.json)"
want=$(sed 's/.*"label":"\([a-z]*\)".*/\1/' cli.json) got=$(sed 's/.*"label":"\([a-z]*\)".*/\1/' body.json)
[ "$want" = "$got" ] || fail "clip: emo-serve says $got, emo-predict $want"
grep -q '"file":"body","modality":"speech"' body.json || fail "clip JSON: $(cat body.json)"
# A face as multipart form data.
[ "$(status -F "file=@$face;type=image/png" "$url/v1/predict")" = 200 ] || fail "face: $(cat body.json)"
grep -q '"modality":"face",.*"faces":\[{"box"' body.json || fail "face JSON: $(cat body.json)"
grep -q "\"file\":\"$(basename "$face")\"" body.json || fail "face JSON names the upload: $(cat body.json)"
# Fusion of both.
[ "$(status -F "audio=@$clip" -F "image=@$face" "$url/v1/fuse")" = 200 ] || fail "fuse: $(cat body.json)"
grep -q '"fused":{"label":"' body.json || fail "fuse JSON: $(cat body.json)"

# Bad requests: clear errors.
echo "not audio" > text.txt
[ "$(status -H 'Content-Type: audio/wav' --data-binary @text.txt "$url/v1/predict")" = 422 ] || fail "text as audio"
grep -q '"error":"body: ' body.json || fail "422 message: $(cat body.json)"
[ "$(status -H 'Content-Type: text/plain' --data-binary @text.txt "$url/v1/predict")" = 415 ] || fail "text/plain"
[ "$(status -F "audio=@$clip" "$url/v1/fuse")" = 400 ] || fail "fuse without an image"
[ "$(status "$url/v1/nothing")" = 404 ] || fail "unknown path"
stop

# A token, and a body limit.
start --token s3cret --max-body 4096
[ "$(status "$url/health")" = 401 ] || fail "no token: $(cat body.json)"
[ "$(status -H 'Authorization: Bearer wrong' "$url/health")" = 401 ] || fail "wrong token"
[ "$(status -H 'Authorization: Bearer s3cret' "$url/health")" = 200 ] || fail "right token"
[ "$(status -H 'Authorization: Bearer s3cret' -H 'Content-Type: audio/wav' --data-binary @"$clip" "$url/v1/predict")" \
    = 413 ] || fail "body over --max-body: $(cat body.json)"
stop

# --max-queue 1: while a long clip (a minute) is scored, other requests are turned away with 503 and Retry-After.
sox "$clip" long.wav repeat 15
start --max-queue 1 --threads 4
clients=()
for i in 1 2 3 4; do
    curl -s -o "q$i.json" -D "q$i.head" -w '%{http_code}\n' -H 'Content-Type: audio/wav' --data-binary @long.wav \
        "$url/v1/predict" > "q$i.code" &
    clients+=($!)
done
wait "${clients[@]}" 
codes=$(cat q?.code | sort | tr '\n' ' ')
[[ "$codes" == *200* && "$codes" == *503* ]] || fail "--max-queue 1 with 4 requests at once: $codes"
grep -qi '^Retry-After: 1' $(grep -l 503 q?.code | head -1 | sed 's/code/head/') || fail "503 without Retry-After"
stop
echo "emo-serve: OK"
