#!/usr/bin/env bash
# Builds emo with a sanitizer in its own folder and runs the tests that fit under it; any sanitizer
# report (in any process a test starts) fails the run.
#   address: AddressSanitizer + UndefinedBehaviorSanitizer (build-asan): the unit tests and the
#            end-to-end program tests, except the long training runs listed in ASAN_SKIP.
#   thread:  ThreadSanitizer (build-tsan): what runs on several threads: batch prediction of clips
#            and images, feature extraction workers, video timelines.
# Usage: scripts/sanitize.sh [address|thread]...   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/sanitizer_build.sh
(($#)) || set -- address thread

# Training end to end takes minutes even uninstrumented; its code paths (loop, checkpoints, data)
# are covered by the unit tests that train small models.
# The full distributed test (7 min under ASan, clean on 2026-12-01) gives way to its quick form.
ASAN_SKIP='install\.package|cli\.train\.(cross_validation|multi_corpus|distributed$)|cli\.experiments\.sweep_resume|fine-tuning on feedback'
TSAN_TESTS='threads|cli\.predict|cli\.video|cli\.fuse\.media|features'

run() {
    local kind=$1 dir
    dir=$(sanitizer_build "$kind")
    local logs=$PWD/$dir/sanitizer-logs
    rm -rf "$logs" && mkdir -p "$logs"
    local select=(-E "$ASAN_SKIP") precision=()
    # oneDNN 2.6's bf16 primitives crashed under ThreadSanitizer on the CI host (SEGV inside libdnnl's
    # primitive creation, 2026-12-02; not reproduced here): the thread build checks emo's threads on the
    # fp32 kernels, whose threading is the same code; the address build runs bf16 wherever auto picks it.
    [[ $kind == thread ]] && select=(-R "$TSAN_TESTS") && precision=(EMO_CPU_BF16=0)
    # Reports go to files, so a report in a child process whose exit code a test ignores still counts.
    # verify_asan_link_order=0: the crash test preloads a small shim (tests/kill_in_save.cpp).
    env "${precision[@]}" EMO_SANITIZED=$kind ASAN_OPTIONS="log_path=$logs/asan:detect_leaks=1:verify_asan_link_order=0:abort_on_error=0" \
    UBSAN_OPTIONS="log_path=$logs/ubsan:print_stacktrace=1:halt_on_error=1" \
    TSAN_OPTIONS="log_path=$logs/tsan:halt_on_error=0:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp" \
    LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
        ctest --test-dir "$dir" --output-on-failure -j "$(nproc)" "${select[@]}" || status=1
    if compgen -G "$logs/*" > /dev/null; then
        cat "$logs"/* >&2
        echo "$kind sanitizer: $(ls "$logs" | wc -l) report(s), in $logs" >&2
        status=1
    else
        echo "$kind sanitizer: no reports"
    fi
}

status=0
for kind in "$@"; do run "$kind"; done
exit "$status"
