#!/usr/bin/env bash
# The slow tier: the checks too long for every CI run, run before an issue
# is resolved. scripts/test.sh (the quick tier, what .ci/run runs) first:
# this reuses its build/ and build-asan/ and builds what is missing.
#
#   1. large pictures (ctest label `slow`: tests/pictures/test_large_pictures.py,
#      a 96,000-node network drawn as SVG and HTML, reported on, the pages
#      opened in chromium; test_real_network.py on all of Horizon 2020,
#      67,491 nodes, about 2 min, skipped while its data file is not
#      vendored)                                             about 4.5 min
#   2. under ASan + UBSan, the engine's full fault-injection sweep (every
#      write, sync, rename and creation failed in turn; the quick tier
#      fails every 4th there, and every one in the -Werror build) and all
#      100 kill -9 trials of the two-phase commit (the quick tier: 25 there,
#      100 in the -Werror build)                             about 8 min
#   3. long fuzzing: each of the six parsers (CSV, JSON Lines, case JSON,
#      GraphML, properties, Cypher) for SAMVERKAN_SLOW_FUZZ_SECONDS
#      (default 300; the quick tier gives each 5 s)         about 31 min
#   4. the Python wheel installed and loaded in a clean Debian 12 root with
#      only python3 (tests/python/test_wheel_clean_root.sh; needs root, and
#      the Debian mirror the first time)                     about 2 min
#                                                            ----------
#                                                      about 44 minutes
# on a 2-core machine once scripts/test.sh has built build/ and build-asan/
# (building them here instead adds what the quick tier spends on it).
# Figures from the parts run one by one on a shared 2-core machine, not
# from a run of the whole: (1) took 2 min 16 s; in the -Werror build the
# sweep took 47 s and the kill -9 trials 77 s, and the sanitizers cost 3-10
# times that; (3) is 6 x 300 s of fuzzing plus a minute of building.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}
seconds=${SAMVERKAN_SLOW_FUZZ_SECONDS:-300}

/usr/bin/python3 tests/check_test_deps.py

build() {  # build-dir, extra cmake args...
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja -DSAMVERKAN_WERROR=ON "$@" >/dev/null
  ninja -C "$dir" -j "$jobs"
}

echo "== large pictures"
build build -DSAMVERKAN_BUILD_BENCH=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
ctest --test-dir build --output-on-failure -j "$jobs" --label-regex slow

echo "== the full fault-injection sweep under ASan + UBSan"
build build-asan -DCMAKE_BUILD_TYPE=Debug -DSAMVERKAN_SANITIZE=ON -DSAMVERKAN_BUILD_BENCH=OFF
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
SAMVERKAN_FAULT_STRIDE=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" --tests-regex 'FaultInjection'
echo "== all kill -9 trials of the two-phase commit under ASan + UBSan"
# ctest gives Python the sanitizer runtime (LD_PRELOAD) and the 100 trials.
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure --tests-regex '^sqlite_kill_trials$'

echo "== fuzzing each parser for ${seconds}s"
if ! command -v clang++ >/dev/null; then
  echo "clang++ is missing (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
tests/importers/fuzz/build_and_run.sh build/fuzz "$seconds" \
  "$PWD/build/engine/libsamverkan_engine.a"

echo "== the wheel in a clean Debian 12 root"
tests/python/test_wheel_clean_root.sh build/samverkan.so

echo "== the slow tier passed"
