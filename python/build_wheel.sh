#!/usr/bin/env bash
# Builds the samverkan wheel around a built extension, offline:
#   python/build_wheel.sh build/samverkan.so OUTDIR
# Uses the system's setuptools and wheel (python3-setuptools, python3-wheel)
# without build isolation, so nothing is downloaded. bundle_libs.py (with
# patchelf) copies every library the extension needs beyond glibc, libstdc++
# and libgcc_s into samverkan/libs/, so the wheel loads on any x86_64 Linux
# with glibc >= this system's (2.36 on Debian 12); it is tagged
# py3-none-manylinux_<glibc>_<arch>: the .so is a SQLite extension, not a
# CPython module, so any Python 3 with a usable sqlite3 can load it.
set -euo pipefail
ext=$(realpath "$1")
out=$(mkdir -p "$2" && realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -r "$here/pyproject.toml" "$here/setup.py" "$here/README.md" "$here/samverkan" "$stage/"
# Debug information stays in the build tree; the symbols stay for backtraces.
objcopy --strip-debug "$ext" "$stage/samverkan/samverkan.so"
plat=$(/usr/bin/python3 "$here/bundle_libs.py" "$stage/samverkan")
SAMVERKAN_WHEEL_PLAT=$plat \
  /usr/bin/python3 -m pip wheel --no-deps --no-build-isolation --no-index -q -w "$out" "$stage"
ls "$out"/samverkan-*-py3-none-"$plat".whl
