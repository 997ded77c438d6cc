"""The map: README's "What is where" and docs/architecture.md's "The map"
name every top-level and second-level folder of the tree, one line each,
and nothing that is not there.

The folders are read from the tree itself (git's index when this is a
checkout, else the directory), so the check follows folders as they move.

    /usr/bin/python3 -m pytest -q tests/test_map.py      (ctest: test_map)
    /usr/bin/python3 tests/test_map.py [SOURCE_DIR]     (the list of problems)
"""
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What a directory walk skips (what .gitignore keeps out of a checkout).
NOT_SOURCE = re.compile(r"^(build.*|\.git|__pycache__|node_modules|dist|.*\.egg-info|.*\.kg)$")


def folders(root):
    """Every folder at depth 1 and 2 that holds a file, as 'a/' and 'a/b/'."""
    try:
        files = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], check=True,
                               capture_output=True, text=True).stdout.split("\0")
    except (OSError, subprocess.CalledProcessError):
        files = []
        for dirpath, dirnames, filenames in os.walk(root):
            rel = Path(dirpath).relative_to(root)
            dirnames[:] = [d for d in dirnames if not NOT_SOURCE.match(d)
                           and not (rel == Path("bench") and d == "data")]
            files += [str(rel / f) for f in filenames]
    found = set()
    for f in files:
        parts = f.split("/")[:-1]  # the file's folders
        for depth in (1, 2):
            if len(parts) >= depth:
                found.add("/".join(parts[:depth]) + "/")
    return found


def listed(text, line_pattern):
    """The folders named at the start of the map's lines."""
    return [m.group(1) for m in re.finditer(line_pattern, text, re.MULTILINE)]


def section(path, heading):
    """The text under `heading` up to the next heading of its level."""
    text = path.read_text()
    assert heading + "\n" in text, f"{path} has no section '{heading}'"
    return text.split(heading + "\n", 1)[1].split("\n## ", 1)[0]


def readme_map(root):
    return listed(section(root / "README.md", "## What is where"), r"^\| `([^`]+/)` \|")


def architecture_map(root):
    return listed(section(root / "docs" / "architecture.md", "## The map"),
                  r"^\s*- `([^`]+/)` — ")


def problems(root, where, names):
    tree = folders(root)
    out = [f"{where}: folder {f} is not on the map" for f in sorted(tree - set(names))]
    out += [f"{where}: {f} is on the map, but there is no such folder"
            for f in sorted(set(names) - tree)]
    out += [f"{where}: {f} is listed twice" for f in sorted({n for n in names
                                                             if names.count(n) > 1})]
    return out


def test_readme_maps_every_folder():
    assert problems(ROOT, "README.md", readme_map(ROOT)) == []


def test_architecture_maps_every_folder():
    assert problems(ROOT, "docs/architecture.md", architecture_map(ROOT)) == []


def test_a_folder_missing_from_the_map_is_found(tmp_path):
    # The check itself: a new folder in a tree whose map lacks it.
    (tmp_path / "engine" / "storage").mkdir(parents=True)
    (tmp_path / "engine" / "storage" / "x.cc").write_text("")
    (tmp_path / "newroom" / "sub").mkdir(parents=True)
    (tmp_path / "newroom" / "sub" / "y.cc").write_text("")
    names = ["engine/", "engine/storage/", "gone/"]
    assert problems(tmp_path, "map", names) == [
        "map: folder newroom/ is not on the map",
        "map: folder newroom/sub/ is not on the map",
        "map: gone/ is on the map, but there is no such folder",
    ]


if __name__ == "__main__":
    root = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT
    found = (problems(root, "README.md", readme_map(root))
             + problems(root, "docs/architecture.md", architecture_map(root)))
    for p in found:
        print(p, file=sys.stderr)
    sys.exit(1 if found else 0)
