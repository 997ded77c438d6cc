#!/usr/bin/env python3
"""Makes the extension in a staged package self-contained, as auditwheel
repair does for manylinux wheels, with Debian's patchelf:

    bundle_libs.py STAGED_PACKAGE_DIR     (holds samverkan.so)

Every library `ldd` lists beyond glibc, libstdc++ and libgcc_s (RocksDB and
its compressors, fmt, utf8proc, Abseil, RE2, expat, ...) is copied into
samverkan/libs/ under a name with a hash of its contents
(librocksdb-1a2b3c4d.so.7.8), and every DT_NEEDED entry is rewritten to
those names, with the run path $ORIGIN/libs on the extension and $ORIGIN on
each bundled library. The renaming is why this is not just an rpath: Python
itself may already have loaded the system's libz, libbz2 or libexpat (its
zlib, bz2 and pyexpat modules), and the dynamic linker reuses a loaded
library of the same soname, whatever its version.

Checks that no file needs a glibc newer than this system's (the wheel is
tagged for it) and prints, last, the platform tag:
manylinux_<major>_<minor>_<arch>."""
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys

# What a manylinux wheel may take from the system (PEP 600: glibc and the
# GCC runtime). Everything else is bundled. The sanitizer runtimes of an
# ASan/UBSan build (the test suite's second run) stay too: there must be
# one copy of them, the one preloaded; such a wheel is for the tests only.
SYSTEM = re.compile(r"^(linux-vdso|ld-linux[-.\w]*|libc|libm|libpthread|libdl|librt|"
                    r"libutil|libresolv|libstdc\+\+|libgcc_s|libasan|libubsan)\.so")


def ldd(path):
    """(soname, resolved path) of every library `path` needs, transitively."""
    out = subprocess.run(["ldd", path], check=True, capture_output=True, text=True).stdout
    libs = []
    for line in out.splitlines():
        m = re.match(r"\s*(\S+) => (.*?)(?: \(0x[0-9a-f]+\))?$", line)
        if not m:
            continue
        if m.group(2) == "not found":
            sys.exit(f"bundle_libs: {path} needs {m.group(1)}, which ldd does not find")
        libs.append((m.group(1), m.group(2)))
    return libs


def needed(path):
    out = subprocess.run(["patchelf", "--print-needed", path], check=True,
                         capture_output=True, text=True).stdout
    return out.split()


def versions(path, prefix):
    """The highest symbol version `prefix`_x.y[.z] that `path` requires."""
    out = subprocess.run(["objdump", "-T", path], check=True, capture_output=True,
                         text=True).stdout
    found = {tuple(int(x) for x in v.split("."))
             for v in re.findall(re.escape(prefix) + r"_([0-9.]+)\)?\s", out)}
    return max(found, default=())


def hashed_name(soname, path):
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()[:8]
    stem, dot, rest = soname.partition(".so")
    return f"{stem}-{digest}{dot}{rest}"


def main():
    pkg = sys.argv[1]
    ext = os.path.join(pkg, "samverkan.so")
    libdir = os.path.join(pkg, "libs")
    os.makedirs(libdir, exist_ok=True)

    bundled = {}  # system soname -> bundled file name
    for soname, path in ldd(ext):
        if SYSTEM.match(soname):
            continue
        new = hashed_name(soname, path)
        shutil.copyfile(path, os.path.join(libdir, new))
        bundled[soname] = new

    files = [ext] + [os.path.join(libdir, n) for n in bundled.values()]
    for f in files:
        os.chmod(f, 0o755)
        args = []
        for old in needed(f):
            if old in bundled:
                args += ["--replace-needed", old, bundled[old]]
        if args:
            subprocess.run(["patchelf", *args, f], check=True)
        rpath = "$ORIGIN/libs" if f == ext else "$ORIGIN"
        subprocess.run(["patchelf", "--set-rpath", rpath, f], check=True)
        if f != ext:
            subprocess.run(["patchelf", "--set-soname", os.path.basename(f), f], check=True)

    # What the self-contained extension now takes from the system.
    left = sorted({s for s, p in ldd(ext) if not p.startswith(os.path.abspath(libdir))})
    stray = [s for s in left if not SYSTEM.match(s)]
    if stray:
        sys.exit(f"bundle_libs: still taken from the system: {', '.join(stray)}")

    glibc = tuple(int(x) for x in platform.libc_ver()[1].split("."))
    need_glibc = max(versions(f, "GLIBC") for f in files)
    need_cxx = max(versions(f, "GLIBCXX") for f in files)
    if need_glibc > glibc:
        sys.exit(f"bundle_libs: needs GLIBC_{'.'.join(map(str, need_glibc))}, "
                 f"newer than this system's {platform.libc_ver()[1]}")
    print(f"bundled {len(bundled)} libraries: {', '.join(sorted(bundled))}", file=sys.stderr)
    print(f"from the system: {', '.join(left)}; needs GLIBC_"
          f"{'.'.join(map(str, need_glibc))} and GLIBCXX_{'.'.join(map(str, need_cxx))}",
          file=sys.stderr)
    print(f"manylinux_{glibc[0]}_{glibc[1]}_{platform.machine()}")


if __name__ == "__main__":
    main()
