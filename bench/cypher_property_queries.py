"""The property-heavy group of cypher_bench.py (issue 19): questions that read
properties across the whole graph, as an analyst asks them.

They need a graph generated with `gen_collab_graph.py SIZE OUT --props`:
actors carry a `country`, participations a `role`, a `contribution` (euros)
and `valid_from`/`valid_to` dates. In Samverkan the dates are the edges' own
validity, DATE values in Cypher, which a string never equals; in Kùzu they
are STRING columns. So the queries below are written with ISO text, as Kùzu
runs them, and Samverkan's text is made from them by `samverkan_text`:
date('...') around each date literal, and a year read as `.year`.

Each entry: (name, Samverkan Cypher, Kùzu Cypher or None for "the same
text"). Every query returns whole rows, compared row by row (numbers to 8
significant digits: sums of doubles differ in the last bits with the order
of addition). Ties in ORDER BY ... LIMIT are broken by name, which both
systems hold as the same string. The list was fixed before any of it was run.
"""
from __future__ import annotations

import re

PARTICIPATES = "MATCH (a:actor)-[e:participates_in]->(p:project)"

# (name, cypher, kuzu twin or None)
QUERIES: list[tuple[str, str, str | None]] = [
    # --- edge properties over all participations ------------------------------------------
    ("count(e.role)",
     "MATCH ()-[e:participates_in]->() RETURN count(e.role) AS n", None),
    ("count(DISTINCT e.role)",
     "MATCH ()-[e:participates_in]->() RETURN count(DISTINCT e.role) AS n", None),
    ("participations by role",
     "MATCH ()-[e:participates_in]->() RETURN e.role AS role, count(*) AS n ORDER BY role", None),
    ("sum(e.contribution)",
     "MATCH ()-[e:participates_in]->() RETURN sum(e.contribution) AS total", None),
    ("avg contribution by role",
     "MATCH ()-[e:participates_in]->() RETURN e.role AS role, avg(e.contribution) AS mean "
     "ORDER BY role", None),
    ("max contribution by role",
     "MATCH ()-[e:participates_in]->() RETURN e.role AS role, max(e.contribution) AS top, "
     "min(e.contribution) AS bottom ORDER BY role", None),
    ("date extremes",
     "MATCH ()-[e:participates_in]->() RETURN min(e.valid_from) AS first, "
     "max(e.valid_to) AS last", None),
    ("started in 2015",
     "MATCH ()-[e:participates_in]->() WHERE e.valid_from >= '2015-01-01' "
     "AND e.valid_from < '2016-01-01' RETURN count(*) AS n", None),
    ("running on 2020-06-30",
     "MATCH ()-[e:participates_in]->() WHERE e.valid_from <= '2020-06-30' "
     "AND e.valid_to > '2020-06-30' RETURN count(*) AS n", None),
    ("still running in 2025",
     "MATCH ()-[e:participates_in]->() WHERE e.valid_to > '2025-01-01' RETURN count(*) AS n", None),
    ("participations by start year",
     "MATCH ()-[e:participates_in]->() RETURN left(e.valid_from, 4) AS year, count(*) AS n "
     "ORDER BY year", None),
    ("contribution over 1M",
     "MATCH ()-[e:participates_in]->() WHERE e.contribution > 1000000 RETURN count(*) AS n", None),
    ("coordinators with 50k-100k",
     "MATCH ()-[e:participates_in]->() WHERE e.role = 'coordinator' AND "
     "e.contribution >= 50000 AND e.contribution <= 100000 RETURN count(*) AS n", None),
    ("small partner shares",
     "MATCH ()-[e:participates_in]->() WHERE e.role IN ['partner', 'third_party'] "
     "AND e.contribution < 20000 RETURN count(*) AS n, sum(e.contribution) AS total", None),
    ("sum(e.weight)",
     "MATCH ()-[e:participates_in]->() RETURN sum(e.weight) AS total", None),
    ("avg weight of partners",
     "MATCH ()-[e:participates_in {role: 'partner'}]->() RETURN avg(e.weight) AS mean", None),
    ("10 largest contributions",
     PARTICIPATES + " RETURN a.name AS actor, p.name AS project, e.contribution AS c "
     "ORDER BY c DESC, actor, project LIMIT 10", None),
    ("10 earliest coordinations",
     PARTICIPATES + " WHERE e.role = 'coordinator' RETURN a.name AS actor, p.name AS project, "
     "e.valid_from AS start ORDER BY start, actor, project LIMIT 10", None),
    # --- node properties ------------------------------------------------------------------
    ("actors by sector",
     "MATCH (a:actor) RETURN a.sector AS sector, count(*) AS n ORDER BY sector", None),
    ("actors by country, top 10",
     "MATCH (a:actor) RETURN a.country AS country, count(*) AS n "
     "ORDER BY n DESC, country LIMIT 10", None),
    ("actors in MT",
     "MATCH (a:actor {country: 'MT'}) RETURN count(a) AS n", None),
    ("count(DISTINCT a.country)",
     "MATCH (a:actor) RETURN count(DISTINCT a.country) AS n", None),
    ("academia in DE or FR",
     "MATCH (a:actor) WHERE a.sector = 'academia' AND a.country IN ['DE', 'FR'] "
     "RETURN count(*) AS n", None),
    ("names starting actor_12",
     "MATCH (a:actor) WHERE a.name STARTS WITH 'actor_12' RETURN count(*) AS n", None),
    ("names by prefix and sector",
     "MATCH (a:actor) WHERE a.name STARTS WITH 'actor_9' RETURN a.sector AS sector, "
     "count(*) AS n ORDER BY sector", None),
    ("project names containing 777",
     "MATCH (p:project) WHERE p.name CONTAINS '777' RETURN count(*) AS n", None),
    ("first 10 public actors in SE",
     "MATCH (a:actor {country: 'SE', sector: 'public'}) RETURN a.name AS name "
     "ORDER BY name LIMIT 10", None),
    ("last 5 project names",
     "MATCH (p:project) RETURN p.name AS name ORDER BY name DESC LIMIT 5", None),
    # --- joins through participations and projects ---------------------------------------
    ("participations by sector",
     PARTICIPATES + " RETURN a.sector AS sector, count(e) AS n ORDER BY sector", None),
    ("contribution by country, top 10",
     PARTICIPATES + " RETURN a.country AS country, sum(e.contribution) AS total "
     "ORDER BY total DESC, country LIMIT 10", None),
    ("avg contribution by sector",
     PARTICIPATES + " RETURN a.sector AS sector, avg(e.contribution) AS mean ORDER BY sector",
     None),
    ("coordinations by country, top 10",
     PARTICIPATES + " WHERE e.role = 'coordinator' RETURN a.country AS country, count(*) AS n "
     "ORDER BY n DESC, country LIMIT 10", None),
    ("projects with most coordinators",
     "MATCH (a:actor)-[e:participates_in {role: 'coordinator'}]->(p:project) "
     "RETURN p.name AS project, count(*) AS n ORDER BY n DESC, project LIMIT 10", None),
    ("projects with largest budget",
     PARTICIPATES + " RETURN p.name AS project, sum(e.contribution) AS total "
     "ORDER BY total DESC, project LIMIT 10", None),
    ("actors with most coordinations",
     PARTICIPATES + " WHERE e.role = 'coordinator' RETURN a.name AS actor, count(*) AS n "
     "ORDER BY n DESC, actor LIMIT 10", None),
    ("MT participations since 2020",
     "MATCH (a:actor {country: 'MT'})-[e:participates_in]->(p:project) "
     "WHERE e.valid_from >= '2020-01-01' RETURN count(*) AS n, sum(e.contribution) AS total",
     None),
    ("DE academia coordinating",
     "MATCH (a:actor {sector: 'academia', country: 'DE'})-[e:participates_in]->(p:project) "
     "WHERE e.role = 'coordinator' RETURN count(DISTINCT p) AS n", None),
    ("MT-CY co-participations",
     "MATCH (a:actor {country: 'MT'})-[:participates_in]->(p:project)"
     "<-[:participates_in]-(b:actor {country: 'CY'}) RETURN count(*) AS n", None),
    ("business coordinator, academic partner",
     "MATCH (a:actor {sector: 'business'})-[e1:participates_in {role: 'coordinator'}]->"
     "(p:project)<-[e2:participates_in {role: 'partner'}]-(b:actor {sector: 'academia'}) "
     "WHERE e2.valid_from >= e1.valid_from RETURN count(*) AS n", None),
    ("countries per region, first 10",
     "MATCH (a:actor)-[:located_in]->(r:region) RETURN r.name AS region, "
     "count(DISTINCT a.country) AS n ORDER BY region LIMIT 10", None),
    ("regions by contribution, top 5",
     "MATCH (r:region)<-[:located_in]-(a:actor)-[e:participates_in]->(:project) "
     "RETURN r.name AS region, sum(e.contribution) AS total ORDER BY total DESC, region LIMIT 5",
     None),
    ("actors with largest totals",
     PARTICIPATES + " WHERE e.valid_from >= '2018-01-01' RETURN a.name AS actor, "
     "sum(e.contribution) AS total ORDER BY total DESC, actor LIMIT 10", None),
]


_DATE_LITERAL = re.compile(r"'(\d{4}-\d{2}-\d{2})'")


def samverkan_text(query: str) -> str:
    """The query with its dates as Samverkan's Cypher reads them."""
    query = _DATE_LITERAL.sub(r"date('\1')", query)
    return query.replace("left(e.valid_from, 4)", "toString(e.valid_from.year)")


def property_operations() -> list[dict]:
    """The group as cypher_bench.py operations (no kg_* SQL counterpart)."""
    return [{"name": name, "group": "properties",
             "cypher": [(samverkan_text(q), {})], "kuzu": [(kz or q, {})], "sql": [],
             "answer": "rows"}
            for name, q, kz in QUERIES]
