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

# The precision `--precision auto` trains in on this processor (lib/core/precision.cpp): bf16 where the
# CPU has AMX-BF16 or AVX512-BF16 (and EMO_CPU_BF16 does not say 0), fp32 elsewhere.
auto_precision() {
    if [[ ${EMO_CPU_BF16:-} != 0 ]] && grep -qwE 'amx_bf16|avx512_bf16' /proc/cpuinfo; then echo bf16; else echo fp32; fi
}
# Fails unless the run directory $1 says it trained in precision $2.
expect_precision() {
    grep -q "\"precision\": *\"$2\"" "$1/validation.json" || { echo "FAIL: $1 did not train in $2" >&2; exit 1; }
}
