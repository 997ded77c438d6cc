#!/usr/bin/env bash
# build_and_run.sh BUILD_DIR SECONDS_EACH [ENGINE_LIB]
# Builds the fuzz targets with clang (this directory's CMakeLists.txt) into
# BUILD_DIR, then runs each for SECONDS_EACH seconds, seeded with the files of
# its format from ../bad/ and the sample case files (fuzz_cypher: with the
# queries of the openCypher TCK, ../../tck/features). Fails on any crash,
# leak, out-of-memory or timeout the fuzzer finds. fuzz_cypher is built and
# run when ENGINE_LIB, the main build's libsamverkan_engine.a, is given.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$1 seconds=$2 engine=${3:-}
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
  "${launcher[@]}" -DSV_ENGINE_LIB="$engine" >/dev/null
ninja -C "$build" -j "${JOBS:-2}" >"$build/build.log" || { tail -n 30 "$build/build.log" >&2; exit 1; }
targets=(csv jsonl case graphml props)
if [ -n "$engine" ]; then targets+=(cypher); fi
for reader in "${targets[@]}"; do
  corpus=$(mktemp -d)
  case $reader in
    csv) cp "$here"/../bad/*.csv "$corpus"/ ;;
    jsonl) cp "$here"/../bad/*.jsonl "$corpus"/ ;;
    case) cp "$here"/../bad/*.json "$here"/../../../data/sample/*.json "$corpus"/ 2>/dev/null || true ;;
    graphml) cp "$here"/../bad/*.graphml "$corpus"/ ;;
    props) printf '{"a":{"b":[1,2,{"c":null}]},"x":1.5}\0{"a":{"b":null},"d":"\\u00e5"}' >"$corpus/seed" ;;
    cypher) python3 "$here/tck_seeds.py" "$here/../../tck/features" "$corpus" >/dev/null ;;
  esac
  echo "== fuzz_$reader for ${seconds}s"
  status=0
  "$build/fuzz_$reader" -max_total_time="$seconds" -max_len=16384 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$build/crash-$reader-" "$corpus" >"$build/$reader.log" 2>&1 ||
    status=$?
  tail -n 2 "$build/$reader.log"
  rm -rf "$corpus"
  if [ "$status" != 0 ]; then
    echo "fuzz_$reader failed; see $build/$reader.log" >&2
    exit 1
  fi
done
