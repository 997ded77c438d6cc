#!/usr/bin/env python3
"""tck_seeds.py FEATURES_DIR OUT_DIR: writes each query of the openCypher TCK
scenarios (the docstring after "executing query:" or "having executed:") to
a file of its own in OUT_DIR, as seeds for fuzz_cypher. Prints how many."""
import pathlib
import sys


def queries(feature):
    lines = feature.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if line.endswith(("executing query:", "having executed:")) and i + 1 < len(lines) \
                and lines[i + 1].strip() == '"""':
            end = i + 2
            while end < len(lines) and lines[end].strip() != '"""':
                end += 1
            yield "\n".join(l.strip() for l in lines[i + 2:end])
            i = end
        i += 1


def main():
    features, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    seen = set()
    for feature in sorted(features.rglob("*.feature")):
        for q in queries(feature):
            if q not in seen:
                seen.add(q)
                (out / f"tck-{len(seen):05d}").write_text(q, encoding="utf-8")
    print(len(seen))


if __name__ == "__main__":
    main()
