# Sourced by scripts/sanitize.sh and scripts/fuzz.sh. sanitizer_build KIND configures and builds
# emo with a sanitizer in its own folder (build-asan, build-tsan) and prints that folder.
# The address build uses clang and carries the libFuzzer harnesses (fuzz/), so fuzzing and the
# AddressSanitizer tests share one build.
sanitizer_build() {
    local kind=$1 dir
    case $kind in
        address) dir=build-asan ;;
        thread) dir=build-tsan ;;
        *) echo "unknown sanitizer '$kind' (address or thread)" >&2; return 2 ;;
    esac
    local flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DEMO_SANITIZE="$kind" -DEMO_BUILD_BENCH=OFF)
    if [[ $kind == address ]]; then
        command -v clang++-14 > /dev/null || { echo "clang++-14 missing: run scripts/setup.sh" >&2; return 2; }
        flags+=(-DCMAKE_CXX_COMPILER=clang++-14 -DEMO_FUZZ=ON)
    fi
    # Called inside $(...), where bash drops set -e: a failed step must return on its own, or the
    # tests would run against programs that were never built.
    cmake -S . -B "$dir" "${flags[@]}" >&2 || return 1
    cmake --build "$dir" -j "$(nproc)" >&2 || return 1
    echo "$dir"
}
