"""A graph, or its projection onto actors, read in bulk into a pandas
DataFrame, a NetworkX graph or an igraph Graph.

Every function reads with one SQL statement per table and builds the
structure from whole lists of rows (no query per node or edge), so an
800k-tie projection takes seconds, not minutes. Two selections:

- via=None (default): the graph as stored, every node of kg_nodes and every
  edge of kg_edges (directed, several edges per pair possible), optionally
  only edges of some `types` and valid on a date or in a year;
- via="project" (a node kind): kg_projection's ties between `keep` nodes
  (default actors) that share a `via` node, weighted by how many they share,
  undirected; every `keep` node is a node, tied or not.
"""
from __future__ import annotations

import json
import re
import sqlite3
from typing import TYPE_CHECKING, Any, List, Optional, Sequence, Tuple, Union

if TYPE_CHECKING:
    import igraph
    import networkx
    import pandas

Names = Union[str, Sequence[str], None]

NODE_COLUMNS: Tuple[str, ...] = ("key", "kind", "name", "sector")
EDGE_COLUMNS: Tuple[str, ...] = ("src", "dst", "type", "weight", "valid_from", "valid_to",
                                 "id")
TIE_COLUMNS: Tuple[str, ...] = ("actor_a", "actor_b", "weight")

_GRAPH = re.compile(r"(?:([A-Za-z_][A-Za-z0-9_]*)\.)?([A-Za-z_][A-Za-z0-9_]*)")


def _table(graph: str, part: str) -> str:
    """The quoted name of the graph's table kg_<part> (or aux.kg_<part>)."""
    m = _GRAPH.fullmatch(graph)
    if not m:
        raise ValueError(f"graph must name a samverkan table, as 'kg' or 'aux.kg': {graph!r}")
    schema, name = m.groups()
    table = f'"{name}_{part}"'
    return f'"{schema}".{table}' if schema else table


def _list(names: Names) -> List[str]:
    if names is None:
        return []
    return [names] if isinstance(names, str) else list(names)


def _node_rows(conn: sqlite3.Connection, graph: str, kind: Optional[str]) -> List[tuple]:
    sql = f"SELECT key, kind, name, sector FROM {_table(graph, 'nodes')}"
    if kind is None:
        return conn.execute(sql + " ORDER BY rowid").fetchall()
    return conn.execute(sql + " WHERE kind = ? ORDER BY rowid", (kind,)).fetchall()


def _edge_rows(conn: sqlite3.Connection, graph: str, via: Optional[str], keep: str,
               types: Names, valid_on: Optional[str], year: Optional[int]) -> List[tuple]:
    if via is not None:
        types_arg = json.dumps(_list(types)) if types is not None else None
        return conn.execute("SELECT actor_a, actor_b, weight FROM kg_projection(?, ?, ?, ?, ?, ?)",
                            (graph, keep, via, types_arg, valid_on, year)).fetchall()
    where, args = [], []
    if types is not None:
        names = _list(types)
        where.append(f"type IN ({', '.join('?' * len(names))})" if names else "0")
        args += names
    # As the analytics functions' valid_on and year: an edge without dates
    # is valid on every day.
    if valid_on is not None:
        where.append("(valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to >= ?)")
        args += [valid_on, valid_on]
    if year is not None:
        where.append("(valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to >= ?)")
        args += [f"{int(year):04d}-12-31", f"{int(year):04d}-01-01"]
    sql = (f"SELECT src, dst, type, weight, valid_from, valid_to, rowid "
           f"FROM {_table(graph, 'edges')}")
    if where:
        sql += " WHERE " + " AND ".join(where)
    return conn.execute(sql, args).fetchall()


def _need(module: str, package: str, caller: str) -> Any:
    try:
        return __import__(module)
    except ImportError as e:
        raise ImportError(f"samverkan.{caller} needs {module} (Debian: apt install "
                          f"{package}; or pip install {module})") from e


def to_dataframe(conn: sqlite3.Connection, graph: str = "kg", *, nodes: bool = False,
                 via: Optional[str] = None, keep: str = "actor", types: Names = None,
                 valid_on: Optional[str] = None, year: Optional[int] = None
                 ) -> "pandas.DataFrame":
    """The edges of graph table `graph` as a pandas DataFrame, columns
    src, dst, type, weight, valid_from, valid_to, id (the edge's rowid); with
    `via`, the projection's ties, columns actor_a, actor_b, weight. With
    nodes=True, the nodes instead: key, kind, name, sector (with `via`,
    only the `keep` nodes). `types` (a name or a list), `valid_on` (an ISO
    date) and `year` select edges as the analytics functions' arguments do.
    NULLs are None (NaN in the weight column). Needs pandas."""
    pd = _need("pandas", "python3-pandas", "to_dataframe")
    if nodes:
        return pd.DataFrame.from_records(_node_rows(conn, graph, keep if via else None),
                                         columns=list(NODE_COLUMNS))
    rows = _edge_rows(conn, graph, via, keep, types, valid_on, year)
    columns = TIE_COLUMNS if via is not None else EDGE_COLUMNS
    frame = pd.DataFrame.from_records(rows, columns=list(columns))
    frame["weight"] = frame["weight"].astype("float64")
    return frame


def to_networkx(conn: sqlite3.Connection, graph: str = "kg", *, via: Optional[str] = None,
                keep: str = "actor", types: Names = None, valid_on: Optional[str] = None,
                year: Optional[int] = None) -> "networkx.Graph":
    """Graph table `graph` as a NetworkX graph whose nodes are the node keys,
    with attributes kind, name, sector. Without `via`: a MultiDiGraph with
    one edge per stored edge, keyed by its rowid, attributes type, weight,
    valid_from, valid_to. With `via`: the projection as an undirected Graph,
    attribute weight (shared `via` nodes). `types`, `valid_on` and `year`
    as in to_dataframe. Needs networkx."""
    nx = _need("networkx", "python3-networkx", "to_networkx")
    g = nx.Graph() if via is not None else nx.MultiDiGraph()
    g.add_nodes_from((k, {"kind": kind, "name": name, "sector": sector})
                     for k, kind, name, sector in _node_rows(conn, graph,
                                                             keep if via else None))
    rows = _edge_rows(conn, graph, via, keep, types, valid_on, year)
    if via is not None:
        g.add_weighted_edges_from(rows)
    else:
        g.add_edges_from((s, d, rid, {"type": t, "weight": w, "valid_from": vf, "valid_to": vt})
                         for s, d, t, w, vf, vt, rid in rows)
    return g


def to_igraph(conn: sqlite3.Connection, graph: str = "kg", *, via: Optional[str] = None,
              keep: str = "actor", types: Names = None, valid_on: Optional[str] = None,
              year: Optional[int] = None) -> "igraph.Graph":
    """Graph table `graph` as an igraph Graph, vertices in rowid order with
    attributes name (the key, so g.vs.find(name=key) works), label (the
    node's name), kind and sector. Without `via`: directed, one edge per
    stored edge, attributes type, weight, valid_from, valid_to, id. With
    `via`: the projection, undirected, attribute weight. `types`,
    `valid_on` and `year` as in to_dataframe. Needs igraph
    (python3-igraph)."""
    ig = _need("igraph", "python3-igraph", "to_igraph")
    node_rows = _node_rows(conn, graph, keep if via else None)
    index = {row[0]: i for i, row in enumerate(node_rows)}
    rows = _edge_rows(conn, graph, via, keep, types, valid_on, year)
    g = ig.Graph(n=len(node_rows), edges=[(index[r[0]], index[r[1]]) for r in rows],
                 directed=via is None)
    for attr, i in (("name", 0), ("kind", 1), ("label", 2), ("sector", 3)):
        g.vs[attr] = [row[i] for row in node_rows]
    names = ("weight",) if via is not None else ("type", "weight", "valid_from", "valid_to", "id")
    for i, attr in enumerate(names, start=2):  # after the two ends
        g.es[attr] = [row[i] for row in rows]
    return g
