"""docs/sql-reference.md and docs/cypher.md are generated from the built
extension; they must be up to date. Regenerate with:
    /usr/bin/python3 scripts/gen_sql_reference.py --ext build/samverkan --out docs/sql-reference.md
    /usr/bin/python3 scripts/gen_cypher_reference.py --ext build/samverkan --out docs/cypher.md
"""
import subprocess

import pytest

from conftest import REPO


@pytest.mark.parametrize("generator, doc", [("gen_sql_reference.py", "sql-reference.md"),
                                            ("gen_cypher_reference.py", "cypher.md")])
def test_generated_reference_is_current(ext, tmp_path, generator, doc):
    out = tmp_path / doc
    subprocess.run(["/usr/bin/python3", str(REPO / "scripts" / generator),
                    "--ext", ext, "--out", str(out)], check=True, timeout=60)
    committed = (REPO / "docs" / doc).read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == committed, f"docs/{doc} is stale"
