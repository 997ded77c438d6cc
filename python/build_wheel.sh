#!/usr/bin/env bash
# Builds the samverkan wheel around a built extension, offline:
#   python/build_wheel.sh build/samverkan.so OUTDIR
# Uses the system's setuptools and wheel (python3-setuptools, python3-wheel)
# without build isolation, so nothing is downloaded.
set -euo pipefail
ext=$(realpath "$1")
out=$(mkdir -p "$2" && realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -r "$here/pyproject.toml" "$here/setup.py" "$here/README.md" "$here/samverkan" "$stage/"
cp "$ext" "$stage/samverkan/samverkan.so"
/usr/bin/python3 -m pip wheel --no-deps --no-build-isolation --no-index -q -w "$out" "$stage"
ls "$out"/samverkan-*.whl
