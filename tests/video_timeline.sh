#!/usr/bin/env bash
# Videos end to end: the test builds its own clips with FFmpeg from a FER2013 face and a RAVDESS clip
# of known emotion (with sound, without an audio track, without a face, in mp4/mkv/webm/avi) and
# checks the timeline emo-predict and emo-fuse print.
# Usage: video_timeline.sh BUILD_APPS_DIR DATA_DIR WORK_DIR
set -euo pipefail
apps=$1 data=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
face=$data/fer2013/publictest/happy/PublicTest_10130075.png
clip=$data/ravdess/Actor_19/03-01-05-02-01-01-19.flac   # angry, strong intensity
frame="scale=192:192,pad=640:480:224:144:gray,format=yuv420p"
ff() { ffmpeg -v error -y "$@"; }

ff -loop 1 -t 5 -i "$face" -i "$clip" -vf "$frame" -r 25 -c:v libx264 -c:a aac -t 5 with_sound.mp4
ff -loop 1 -t 5 -i "$face" -vf "$frame" -r 25 -c:v libx264 -an silent_film.mkv
ff -f lavfi -i "color=gray:size=640x480:rate=25" -i "$clip" -c:v libvpx -b:v 200k -c:a libopus -t 4 no_face.webm
ff -loop 1 -t 3 -i "$face" -i "$clip" -vf "$frame" -r 25 -c:v mpeg4 -c:a pcm_s16le -t 3 old.avi
head -c 20000 with_sound.mp4 > truncated.mp4

# With sound: 5 s in 2.5 s segments; the face in every segment, speech where the actor speaks.
"$apps/emo-predict" --json with_sound.mp4 > with_sound.json
[[ $(grep -c '"start"' with_sound.json) == 2 ]] || fail "with_sound.mp4: expected 2 segments: $(cat with_sound.json)"
head -1 with_sound.json | grep -q '"start":0.0,"end":2.5,"face":{"label":"happy"' || fail "first segment: $(head -1 with_sound.json)"
head -1 with_sound.json | grep -q '"speech":{"label":"[a-z]*"' || fail "no speech in the first segment"
# One face, the same in both segments: track 1, seen in each segment's 5 sampled frames.
for seg in 1 2; do
    sed -n "${seg}p" with_sound.json | grep -q '"faces":\[{"track":1,"frames":5,"box":\[[0-9,]*\],"label":"happy"' ||
        fail "segment $seg: tracked face: $(sed -n "${seg}p" with_sound.json)"
done
tail -1 with_sound.json | grep -q '"face_tracks":1' || fail "summary face tracks: $(tail -1 with_sound.json)"
tail -1 with_sound.json | grep -q '"summary":{"duration":5.0,"segments":2,"segments_with_face":2,"segments_with_speech":[12],"audio":true,"video":true' ||
    fail "summary: $(tail -1 with_sound.json)"

# No audio track: faces only, and it says so.
"$apps/emo-predict" --json silent_film.mkv > silent_film.json 2> silent_film.log
grep -q '"speech":null' silent_film.json || fail "silent_film.mkv has speech?"
grep -q '"fused":{"label":"happy"' silent_film.json || fail "silent_film.mkv: fused should follow the face"
grep -q '"notes":\["no audio track: faces only"\]' silent_film.json || fail "silent_film.mkv: note missing"
grep -q "no audio track" silent_film.log || fail "silent_film.mkv: no warning on stderr"

# No face: speech only, and it says so.
"$apps/emo-predict" --json no_face.webm > no_face.json 2> /dev/null
grep -q '"face":null,"faces":\[\],"speech":{"label"' no_face.json || fail "no_face.webm: $(head -1 no_face.json)"
grep -q 'no face visible' no_face.json || fail "no_face.webm: note missing"

# avi with PCM sound; text and CSV; emo-fuse on a video gives the same timeline.
"$apps/emo-predict" old.avi > old.txt
grep -qP '^old.avi\t0.00-2.50\tface happy [0-9.]+\tspeech [a-z]+ [0-9.]+\tfused [a-z]+ [0-9.]+$' old.txt || fail "old.avi: $(cat old.txt)"
grep -qP '^old.avi\tsummary\t[a-z]+ [0-9.]+\t\(2 segments, 2 with a face' old.txt || fail "old.avi summary: $(cat old.txt)"
"$apps/emo-predict" --csv old.avi > old.csv
head -1 old.csv | grep -q '^file,segment,start,end,face_label,face_confidence,speech_label,speech_confidence,fused_label,fused_confidence,neutral,' ||
    fail "CSV header: $(head -1 old.csv)"
grep -q '^old.avi,summary,0,3,' old.csv || fail "CSV summary row: $(cat old.csv)"
"$apps/emo-fuse" --json with_sound.mp4 | diff - with_sound.json || fail "emo-fuse and emo-predict timelines differ"

# A recording longer than 5 minutes is streamed as a timeline too (speech only).
ff -stream_loop 200 -i "$clip" -t 330 -ac 1 -ar 16000 long_talk.wav
"$apps/emo-predict" long_talk.wav > long_talk.txt 2> long_talk.log
grep -qP '^long_talk.wav\tsummary\t[a-z]+ [0-9.]+\t\(132 segments, 0 with a face, 132 with speech; 0 face tracks by [a-z]+\)' long_talk.txt ||
    fail "long_talk.wav: $(tail -2 long_talk.txt)"
grep -q "no video stream: speech only" long_talk.log || fail "long_talk.wav: no note"

# A mix of a video and an audio clip in one call; then a broken video: exit 3, named.
"$apps/emo-predict" with_sound.mp4 "$clip" > mixed.txt
grep -q "^$clip	angry" mixed.txt || grep -qP "^\Q$clip\E\t[a-z]+\t" mixed.txt || fail "mixed call lost the clip: $(cat mixed.txt)"
grep -q "^with_sound.mp4	summary" mixed.txt || fail "mixed call lost the video"
set +e
"$apps/emo-predict" truncated.mp4 > truncated.out 2>&1
code=$?
set -e
[[ $code == 3 ]] || fail "truncated.mp4: exit code $code, expected 3: $(cat truncated.out)"
grep -q "truncated.mp4" truncated.out || fail "truncated.mp4 not named: $(cat truncated.out)"
set +e
"$apps/emo-predict" --detect-side 10 with_sound.mp4 > detect_side.out 2>&1
code=$?
set -e
[[ $code == 2 ]] || fail "--detect-side 10: exit code $code, expected 2: $(cat detect_side.out)"
grep -q -- "--detect-side: expected 64..8192 pixels" detect_side.out || fail "--detect-side not named: $(cat detect_side.out)"
echo "videos: timelines, missing audio, missing face, four containers, CSV, emo-fuse, broken file: all as expected"
