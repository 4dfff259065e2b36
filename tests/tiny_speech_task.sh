# Sourced by the end-to-end training tests: writes clips.csv (the calm (02) and angry (05) clips of
# RAVDESS actors 01..$2, from the folder $1) and tiny.yaml (a small speech config, actor 05 held out).
tiny_speech_task() {
    local ravdess=$1 last_actor=$2
    {
        echo "path,label,speaker"
        for actor in $(seq -w 1 "$last_actor"); do
            for f in "$ravdess"/Actor_$actor/03-01-0[25]-*; do
                [[ $(basename "$f") == 03-01-02-* ]] && label=calm || label=angry
                echo "$f,$label,$actor"
            done
        done
    } > clips.csv
    cat > tiny.yaml <<'EOF2'
modality: speech
model: {channels: [8, 16], dropout: 0.2}
input: {segment_seconds: 2.0}
train: {epochs: 4, batch_size: 16, learning_rate: 0.003, patience: 0, seed: 5, threads: 1}
split: {validation_speakers: ['05']}
EOF2
}
