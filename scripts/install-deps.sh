#!/usr/bin/env bash
# Installs what Samverkan needs to build and test, from Debian 12's packages.
# Safe to run again: it installs only what is missing. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  librocksdb-dev libboost-graph-dev libfmt-dev nlohmann-json3-dev libutf8proc-dev libabsl-dev
  libre2-dev
  libcli11-dev libexpat1-dev
  libsqlite3-dev sqlite3
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  python3 python3-pytest python3-networkx python3-numpy python3-scipy python3-igraph python3-pandas
  python3-venv python3-pip python3-setuptools python3-wheel patchelf
  debootstrap
  chromium fonts-dejavu-core
  libxml2-utils
  rocksdb-tools
)
# Every package the tests need is also listed, with what needs it, in
# tests/check_test_deps.py, which scripts/test.sh runs first.

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
