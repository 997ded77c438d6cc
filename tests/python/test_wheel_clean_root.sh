#!/usr/bin/env bash
# Slow tier (not in ctest): the wheel installs and loads in a clean Debian 12
# root that has only python3 (debootstrap --variant=minbase --include=python3),
# none of the libraries the extension was built with.
#   tests/python/test_wheel_clean_root.sh build/samverkan.so
# Needs root (debootstrap, chroot) and, the first time, the Debian mirror; the
# root is made once and kept in $SAMVERKAN_CLEAN_ROOT
# (default /var/cache/samverkan/bookworm-python3, about 260 MB, ~1-5 minutes).
set -euo pipefail
ext=$(realpath "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
root=${SAMVERKAN_CLEAN_ROOT:-/var/cache/samverkan/bookworm-python3}
mirror=${SAMVERKAN_DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [ ! -x "$root/usr/bin/python3" ]; then
  echo "making a clean Debian 12 root with python3 in $root"
  rm -rf "$root.tmp"
  mkdir -p "$(dirname "$root")"
  debootstrap --variant=minbase --include=python3 bookworm "$root.tmp" "$mirror" >/dev/null
  mv "$root.tmp" "$root"
fi
# The root must not have what the wheel bundles, or the test proves nothing.
for lib in librocksdb libfmt libutf8proc libre2 libabsl_hash libsnappy; do
  if compgen -G "$root/usr/lib/x86_64-linux-gnu/$lib.so*" >/dev/null; then
    echo "FAIL: $root has $lib; it is not a clean root" >&2
    exit 1
  fi
done

work=$(mktemp -d "$root/tmp/wheel.XXXXXX")
trap 'rm -rf "$work"' EXIT
wheel=$("$repo/python/build_wheel.sh" "$ext" "$work/dist" 2>/dev/null | tail -1)
case "$wheel" in
  */samverkan-*-py3-none-manylinux_2_36_x86_64.whl) ;;
  *) echo "FAIL: wheel not tagged py3-none-manylinux_2_36_x86_64: $wheel" >&2; exit 1 ;;
esac
inside=${work#"$root"}
# A root with only python3 has no pip: install the wheel as pip does, by
# unpacking it into a directory on sys.path.
chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp /usr/bin/python3 - \
  "$inside/dist/$(basename "$wheel")" "$inside" <<'PY'
import sqlite3, sys, zipfile
wheel, work = sys.argv[1], sys.argv[2]
zipfile.ZipFile(wheel).extractall(work + "/site")
for name in zipfile.ZipFile(wheel).namelist():  # zipfile drops the x bit
    if ".so" in name:
        import os
        os.chmod(f"{work}/site/{name}", 0o755)
sys.path.insert(0, work + "/site")
import samverkan
conn = sqlite3.connect(work + "/t.db")
conn.enable_load_extension(True)
samverkan.load(conn)
conn.execute(f"CREATE VIRTUAL TABLE kg USING samverkan(path='{work}/t.kg')")
conn.execute("INSERT INTO kg_nodes(key, kind, name) VALUES ('org:oru', 'actor', 'Örebro universitet')")
print(conn.execute("SELECT kg_version()").fetchone()[0])
print(conn.execute("SELECT key FROM kg_find('kg', 'orebro universitet')").fetchone()[0])
print(samverkan.cypher(conn, "MATCH (a:actor) RETURN a.name AS name"))
PY
echo "PASS: the wheel loads in a clean Debian 12 root with only python3"
