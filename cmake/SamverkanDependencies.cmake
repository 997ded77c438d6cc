# Every dependency comes from Debian's packages (see scripts/install-deps.sh and
# docs/dependencies.md for why each one was chosen).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(absl REQUIRED)

# Debian's librocksdb-dev ships a pkg-config file but no CMake package.
pkg_check_modules(ROCKSDB REQUIRED IMPORTED_TARGET rocksdb)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
# Cypher's =~: a regular-expression engine that runs in linear time.
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
