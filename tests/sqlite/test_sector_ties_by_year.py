"""kg_sector_ties_by_year against the same count made in Python from
kg_nodes and kg_edges, year by year."""
import random
from collections import Counter
from itertools import combinations

import pytest

from conftest import rows


def build(db, seed):
    rng = random.Random(seed)
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='years.kg')")
    sectors = ["academia", "business", "public", None]
    db.execute("BEGIN")
    for i in range(25):
        db.execute("INSERT INTO kg_nodes(key, kind, sector) VALUES (?, 'actor', ?)",
                   (f"a{i}", rng.choice(sectors)))
    for i in range(10):
        db.execute("INSERT INTO kg_nodes(key, kind) VALUES (?, 'project')", (f"p{i}",))
    for rank in range(100):
        start = rng.randint(2001, 2015)
        valid_from = f"{start}-{rng.randint(1, 12):02d}-01" if rng.random() < 0.8 else None
        valid_to = f"{start + rng.randint(1, 4)}-{rng.randint(1, 12):02d}-28" \
            if rng.random() < 0.8 else None
        if rng.random() < 0.5:
            edge = (f"a{rng.randrange(25)}", "participates_in", f"p{rng.randrange(10)}")
        else:
            edge = (f"a{rng.randrange(25)}", "knows", f"a{rng.randrange(25)}")
        db.execute("INSERT INTO kg_edges(src, type, dst, rank, valid_from, valid_to) "
                   "VALUES (?, ?, ?, ?, ?, ?)", (*edge, rank, valid_from, valid_to))
    db.execute("COMMIT")


def counted_in_python(db, first, last, via=None, types=None):
    """{(year, group_a, group_b): ties}, as the function's comment defines it."""
    sector = dict(rows(db, "SELECT key, sector FROM kg_nodes"))
    kind = dict(rows(db, "SELECT key, kind FROM kg_nodes"))
    edges = [(s, d, int(f[:4]) if f else None, int(t[:4]) if t else None)
             for s, typ, d, f, t in rows(db, "SELECT src, type, dst, valid_from, valid_to "
                                             "FROM kg_edges")
             if types is None or typ in types]
    out = Counter()
    for year in range(first, last + 1):
        valid = [(s, d) for s, d, f, t in edges
                 if (f is None or f <= year) and (t is None or year <= t)]
        if via is None:
            ties = {tuple(sorted(e)) for e in valid if e[0] != e[1]}
        else:
            members = {}
            for s, d in valid:
                for p, x in ((s, d), (d, s)):
                    if kind[p] == via and kind[x] != via:
                        members.setdefault(p, set()).add(x)
            ties = {tuple(sorted(pair)) for m in members.values()
                    for pair in combinations(m, 2)}
        for a, b in ties:
            if sector[a] and sector[b]:
                out[(year, *sorted((sector[a], sector[b])))] += 1
    return dict(out)


def function_rows(db, sql, params=()):
    return {(y, a, b): n for y, a, b, n in rows(db, sql, params)}


@pytest.mark.parametrize("seed", [1, 2])
def test_agrees_with_a_count_in_python(connect, seed):
    db = connect()
    build(db, seed)
    first, last = rows(db, """
        SELECT min(y), max(y) FROM (
          SELECT CAST(substr(valid_from, 1, 4) AS INTEGER) AS y FROM kg_edges
          UNION ALL SELECT CAST(substr(valid_to, 1, 4) AS INTEGER) FROM kg_edges)""")[0]
    got = function_rows(db, "SELECT * FROM kg_sector_ties_by_year('kg')")
    assert got and got == counted_in_python(db, first, last)
    got = function_rows(db, "SELECT * FROM kg_sector_ties_by_year('kg', 'sector', 'project')")
    assert got and got == counted_in_python(db, first, last, via="project")
    got = function_rows(db, "SELECT * FROM kg_sector_ties_by_year('kg', 'sector', NULL, 1999, "
                            "2003, NULL, 'knows')")
    assert got == counted_in_python(db, 1999, 2003, types={"knows"})
    got = function_rows(db, "SELECT calendar_year, group_a, group_b, ties "
                            "FROM kg_sector_ties_by_year('kg') WHERE year = 2008")
    assert got == counted_in_python(db, 2008, 2008)


def test_arguments_are_checked(db):
    with pytest.raises(Exception, match="first_year must be an integer year"):
        rows(db, "SELECT * FROM kg_sector_ties_by_year('kg', 'sector', NULL, 2020.5)")
    with pytest.raises(Exception, match="via"):
        rows(db, "SELECT * FROM kg_sector_ties_by_year('kg', 'sector', 'nosuchkind')")
    # The small graph: MSI and Örebro universitet share the project from 2020.
    assert rows(db, "SELECT * FROM kg_sector_ties_by_year('kg', 'sector', 'project') "
                    "WHERE group_a = 'academia' AND group_b = 'nonprofit'") == \
        [(2020, "academia", "nonprofit", 1), (2021, "academia", "nonprofit", 1),
         (2022, "academia", "nonprofit", 1)]
