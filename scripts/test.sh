#!/usr/bin/env bash
# Builds (if needed) and runs every test: Catch2 unit/integration tests and the programs end to end.
# Real data is read from ../shared/data (or $EMO_DATA_DIR); under CI=true it must be there.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
    cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build_dir" -j "$(nproc)"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)"
