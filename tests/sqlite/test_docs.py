"""docs/sql-reference.md and docs/cypher.md are generated from the built
extension; they must be up to date. Regenerate with:
    /usr/bin/python3 sqlite-ext/gen_sql_reference.py --ext build/samverkan --out docs/sql-reference.md
    /usr/bin/python3 sqlite-ext/gen_cypher_reference.py --ext build/samverkan --out docs/cypher.md
"""
import subprocess

from conftest import REPO


def test_sql_reference_is_current(ext, tmp_path):
    out = tmp_path / "sql-reference.md"
    subprocess.run(["/usr/bin/python3", str(REPO / "sqlite-ext" / "gen_sql_reference.py"),
                    "--ext", ext, "--out", str(out)], check=True, timeout=60)
    committed = (REPO / "docs" / "sql-reference.md").read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == committed, "docs/sql-reference.md is stale"


def test_cypher_reference_is_current(ext, tmp_path):
    out = tmp_path / "cypher.md"
    subprocess.run(["/usr/bin/python3", str(REPO / "sqlite-ext" / "gen_cypher_reference.py"),
                    "--ext", ext, "--out", str(out)], check=True, timeout=60)
    committed = (REPO / "docs" / "cypher.md").read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == committed, "docs/cypher.md is stale"
