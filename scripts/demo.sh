#!/usr/bin/env bash
# The demo, from a fresh Debian 12 machine (as root, or with sudo):
#   1. installs missing packages (scripts/install-deps.sh),
#   2. configures and builds the extension in build/ (reused if it exists),
#   3. builds a fresh sample graph in build/demo/ from data/sample/*.json,
#      the case files made from the page "Hur kan offentlig sektor samverka
#      mer med sociala företag?" (Mötesplats Social Innovation, 2020),
#   4. answers the page's questions in SQL through the sqlite3 shell
#      (data/sample/demo.sql): who the social enterprises are and how they
#      connect to the public sector, who works with them in my region, whom
#      to contact there, how Vinnova reaches Idrott Utan Gränser, name lookup,
#   5. draws the sample graph (build/demo/msi.svg, build/demo/msi.html) and
#      writes its report (build/demo/report.html) with kg_export.
# Works from any directory. Environment: JOBS (default 2), BUILD_DIR
# (default build).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
jobs=${JOBS:-2}
build=${BUILD_DIR:-build}
case $build in /*) ;; *) build="$repo/$build" ;; esac

scripts/install-deps.sh

if [ ! -f "$build/build.ninja" ]; then
  echo "== configuring $build"
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
echo "== building the extension ($build/samverkan.so)"
# samverkan.so, the file: the bare name `samverkan` is also the CLI's output.
log="$build/demo-build.log"
if ! ninja -C "$build" -j "$jobs" samverkan.so >"$log" 2>&1; then
  cat "$log"
  exit 1
fi
tail -n 1 "$log"

demo="$build/demo"
rm -rf "$demo"
mkdir -p "$demo"
files=("$repo"/data/sample/[0-9]*.json)   # numbered: imported in this order
echo "== importing ${#files[@]} case files into $demo/msi.kg"
{
  echo ".bail on"
  echo ".load $build/samverkan"
  echo "CREATE VIRTUAL TABLE kg USING samverkan(path='msi.kg');"
  for f in "${files[@]}"; do
    printf "SELECT '%s' AS file, kg_import('kg', '%s', 'case') AS imported;\n" \
      "${f#"$repo"/}" "${f//\'/\'\'}"
  done
  echo "SELECT nodes, edges FROM kg;"
} | sqlite3 -list -separator '  ' "$demo/msi.db"

echo "== the page's questions, answered in SQL (data/sample/demo.sql)"
sqlite3 -bail -cmd ".load $build/samverkan" "$demo/msi.db" ".read $repo/data/sample/demo.sql"

echo "== pictures of the sample graph (kg_export: svg, html, report)"
sqlite3 -bail -list -cmd ".load $build/samverkan" "$demo/msi.db" <<SQL
SELECT 'msi.svg     ', kg_export('kg', 'svg', '$demo/msi.svg');
SELECT 'msi.html    ', kg_export('kg', 'html', '$demo/msi.html', '{"color":"community"}');
SELECT 'report.html ', kg_export('kg', 'report', '$demo/report.html');
SQL

cat <<EOF

== open the pictures: $demo/msi.html (interactive), $demo/msi.svg, $demo/report.html

== explore the graph yourself:
   sqlite3 -cmd '.load $build/samverkan' $demo/msi.db
EOF
