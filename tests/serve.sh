#!/usr/bin/env bash
# emo-serve on loopback: health, a clip and a face as the body and as multipart, fusion, the same answer as
# emo-predict, bad input as 4xx with emo's message, the token, the body limit, feedback that emo-train reads, a
# live stream of audio chunks and frames with a result per window, slow senders and garbage, and a clean stop.
# Usage: serve.sh BUILD_APPS_DIR CLIP FACE WORK_DIR
set -euo pipefail
bin=$1 clip=$2 face=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; [ -f serve.log ] && cat serve.log >&2; exit 1; }

start() {  # start ARGS...: a server on a free port; sets $url and $pid
    : > serve.out   # exists before the server's shell opens it, so the first read below cannot fail
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
trap 'kill "${pid:-}" 2> /dev/null || true' EXIT

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
[ "$(status -F label=happy -F "file=@$clip" "$url/v1/feedback")" = 503 ] || fail "feedback without --feedback-dir"
# Garbage instead of HTTP, then a slow sender: the server answers 4xx and goes on serving.
exec 3<> "/dev/tcp/127.0.0.1/${url##*:}"
printf '\x00\xff garbage \r\n\r\n' >&3
head -c 12 <&3 | grep -q '^HTTP/1.1 4' || fail "garbage request line: no 4xx"
exec 3<&-
[ "$(status "$url/health")" = 200 ] || fail "/health after garbage"
stop

# Feedback: a correction by the id of a prediction, and with the input sent along (a face with its box); the CSV
# is what emo-train --feedback reads, the inputs are named by content hash.
start --feedback-dir fb
curl -s -o body.json -D head.txt -H 'Content-Type: audio/wav' --data-binary @"$clip" "$url/v1/predict"
id=$(sed -n 's/^Emo-Input-Id: \([0-9a-f]*\).*/\1/Ip' head.txt)
[ ${#id} -eq 32 ] || fail "no Emo-Input-Id header: $(cat head.txt)"
[ "$(status -F label=Anger -F "id=$id" "$url/v1/feedback")" = 201 ] || fail "feedback by id: $(cat body.json)"
grep -q "\"csv\":\"speech.csv\",\"file\":\"$id.wav\",\"label\":\"angry\",\"rows\":1" body.json || fail "feedback reply: $(cat body.json)"
cmp -s "fb/$id.wav" "$clip" || fail "kept input differs from the clip"
[ "$(status -F label=happy -F "file=@$face;type=image/png" -F x=0 -F y=0 -F width=48 -F height=48 \
    "$url/v1/feedback")" = 201 ] || fail "feedback with a file: $(cat body.json)"
[ "$(status -F 'label=a,b' -F "id=$id" "$url/v1/feedback")" = 400 ] || fail "a label that is no word"
[ "$(status -F label=happy -F id=0123 "$url/v1/feedback")" = 404 ] || fail "an unknown id"
[ "$(status -F label=happy -F "file=@text.txt;type=text/plain" "$url/v1/feedback")" = 415 ] || fail "text as input"
[ "$(wc -l < fb/speech.csv)" -eq 2 ] || fail "speech.csv: $(cat fb/speech.csv)"
grep -q "^$id.wav,angry,,,,$" fb/speech.csv || fail "speech.csv row: $(cat fb/speech.csv)"
grep -q '^[0-9a-f]*\.png,happy,0,0,48,48$' fb/face.csv || fail "face.csv row: $(cat fb/face.csv)"
"$bin/emo-train" --quiet --init "$bin/../../models/speech.pt" --feedback fb/speech.csv --set train.epochs=1 \
    --set train.threads=1 --out finetuned 2> train.log || { cat train.log >&2; fail "emo-train --feedback"; }
stop

# A live stream: 6 s of audio in 0.5 s chunks and a frame a second; one result per window as server-sent events,
# with speech, face and fused scores, the last window shorter, then "end".
start --request-timeout 2
sox "$clip" -t raw -e signed -b 16 -r 16000 -c 1 clip.raw
for _ in 1 2 3 4 5 6; do cat clip.raw; done > repeated.raw
head -c 192000 repeated.raw > six.raw
[ "$(status -X POST "$url/v1/streams?inputs=audio,video&rate=16000&hop=1")" = 201 ] || fail "open: $(cat body.json)"
sid=$(sed 's/.*"id":"\([0-9a-f]*\)".*/\1/' body.json)
grep -q '"window":2.5' body.json || fail "open reply: $(cat body.json)"
curl -s -N "$url/v1/streams/$sid/events" > events.txt &
reader=$!
split -b 16000 six.raw chunk.
t=0
for c in chunk.*; do
    [ "$(status -H 'Content-Type: audio/L16;rate=16000' --data-binary @"$c" "$url/v1/streams/$sid/audio")" = 200 ] \
        || fail "audio chunk: $(cat body.json)"
    if [ $((t % 2)) -eq 0 ]; then
        [ "$(status -H 'Content-Type: image/png' --data-binary @"$face" "$url/v1/streams/$sid/frame")" = 200 ] \
            || fail "frame: $(cat body.json)"
    fi
    t=$((t + 1))
done
[ "$(status -H 'Content-Type: image/png' --data-binary @text.txt "$url/v1/streams/$sid/frame")" = 422 ] \
    || fail "a frame that is no image"
[ "$(status -H 'Content-Type: image/png' --data-binary @"$face" "$url/v1/streams/$sid/frame?t=0.5")" = 422 ] \
    || fail "a frame before the last"
[ "$(status -X POST "$url/v1/streams/$sid/end")" = 200 ] || fail "end: $(cat body.json)"
wait "$reader"
windows=$(grep -c '^event: window' events.txt)
[ "$windows" -eq 5 ] || fail "6 s at window 2.5 s, hop 1 s: want 5 windows, got $windows: $(cat events.txt)"
[ "$(grep '^data: ' events.txt | grep -c '"face":{"label"')" -eq 5 ] || fail "a window without the face: $(cat events.txt)"
grep '^data: {"file"' events.txt | head -1 | grep -q '"speech":{"label"' || fail "no speech scores"
grep -q '"start":4.0,"end":6.0' events.txt || fail "the last window (4-6 s): $(cat events.txt)"
tail -2 events.txt | grep -q '^data: {}' && grep -q '^event: end' events.txt || fail "no end event"
[ "$(status -H 'Content-Type: audio/L16' --data-binary @chunk.aa "$url/v1/streams/$sid/audio")" = 422 ] \
    || fail "audio to an ended stream: $(cat body.json)"
[ "$(status -X POST "$url/v1/streams?inputs=audio&rate=7")" = 400 ] || fail "a rate of 7 Hz"
# A sender slower than --request-timeout 2: 408, and the server goes on.
head -c 20000 six.raw > slow.raw
[ "$(status --limit-rate 4k -H 'Content-Type: audio/wav' --data-binary @slow.raw "$url/v1/predict")" = 408 ] \
    || fail "slow sender: $(cat body.json)"
[ "$(status "$url/health")" = 200 ] || fail "/health after a slow sender"
# SIGTERM while a reader waits on a stream's events: the reader gets "end" and the server exits at once.
[ "$(status -X POST "$url/v1/streams?inputs=audio")" = 201 ] || fail "open a second stream: $(cat body.json)"
sid=$(sed 's/.*"id":"\([0-9a-f]*\)".*/\1/' body.json)
curl -s -N "$url/v1/streams/$sid/events" > waiting.txt &
reader=$!
sleep 0.5
SECONDS=0
stop
wait "$reader" || true
[ "$SECONDS" -le 3 ] || fail "SIGTERM with a waiting stream reader took $SECONDS s"
grep -q '^event: end' waiting.txt || fail "the waiting reader got no end: $(cat waiting.txt)"

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
