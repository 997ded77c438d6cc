-- Partner suggestions: two steps away, another sector, same region, not yet
-- collaborating
--
-- Question:   Whom could this actor work with? Actors its partners work
--             with, in another sector, in the same region (its own region,
--             or another in the same county), that it does not work with yet.
-- Parameters: :actor  the actor's key
-- Example:    :actor = 'org:malmo-stad'
-- Columns:    candidate, name, sector, common (partners in common), via (their
--             keys), region (where the candidate is).
-- Notes:      Two actors work together when they share a project
--             (kg_projection) or an edge joins them directly. An actor's
--             regions are those it is located_in, or else those of its
--             projects.
WITH RECURSIVE
  tie(a, b) AS (
    SELECT actor_a, actor_b FROM kg_projection('kg')
    UNION SELECT actor_b, actor_a FROM kg_projection('kg')
    UNION SELECT e.src, e.dst FROM kg_edges e
      JOIN kg_nodes s ON s.key = e.src AND s.kind = 'actor'
      JOIN kg_nodes d ON d.key = e.dst AND d.kind = 'actor'
     WHERE e.src <> e.dst
    UNION SELECT e.dst, e.src FROM kg_edges e
      JOIN kg_nodes s ON s.key = e.src AND s.kind = 'actor'
      JOIN kg_nodes d ON d.key = e.dst AND d.kind = 'actor'
     WHERE e.src <> e.dst),
  home(actor, region) AS (
    SELECT e.src, e.dst FROM kg_edges e WHERE e.type = 'located_in'
    UNION
    SELECT e.src, l.dst FROM kg_edges e
      JOIN kg_edges l ON l.src = e.dst AND l.type = 'located_in'
     WHERE e.type IN ('participates_in', 'funds')
       AND NOT EXISTS (SELECT 1 FROM kg_edges x WHERE x.src = e.src AND x.type = 'located_in')),
  county(region) AS (
    SELECT region FROM home WHERE actor = :actor
    UNION
    SELECT e.dst FROM home JOIN kg_edges e ON e.src = home.region
     WHERE home.actor = :actor AND e.type = 'part_of'),
  area(region) AS (
    SELECT region FROM county
    UNION
    SELECT e.src FROM area JOIN kg_edges e ON e.dst = area.region WHERE e.type = 'part_of'),
  me(sector) AS (SELECT sector FROM kg_nodes WHERE key = :actor),
  two_steps(candidate, mid) AS (
    SELECT DISTINCT t2.b, t1.b FROM tie t1 JOIN tie t2 ON t2.a = t1.b
     WHERE t1.a = :actor AND t2.b <> :actor
       AND t2.b NOT IN (SELECT b FROM tie WHERE a = :actor))
SELECT s.candidate, n.name, n.sector, count(*) AS common, group_concat(s.mid, ',') AS via,
       (SELECT min(h.region) FROM home h WHERE h.actor = s.candidate
           AND h.region IN (SELECT region FROM area)) AS region
  FROM (SELECT * FROM two_steps ORDER BY candidate, mid) s
  JOIN kg_nodes n ON n.key = s.candidate
 WHERE n.kind = 'actor' AND n.sector IS NOT NULL
   AND n.sector IS NOT (SELECT sector FROM me)
   AND EXISTS (SELECT 1 FROM home h WHERE h.actor = s.candidate
                  AND h.region IN (SELECT region FROM area))
 GROUP BY s.candidate
 ORDER BY common DESC, s.candidate;
