-- The demo session: questions from the page "Hur kan offentlig sektor samverka
-- mer med sociala företag?" (Mötesplats Social Innovation, 2020), answered from
-- the sample graph built from data/sample/*.json.
--
-- Run it in the sqlite3 shell with the extension loaded and graph 'kg' open:
--   .load ./build/samverkan
--   CREATE VIRTUAL TABLE kg USING samverkan(path='msi.kg');
--   .read data/sample/demo.sql
-- scripts/demo.sh does all of this.
.headers on
.mode box --wrap 90

.print
.print "-- What is in the graph? Nodes by kind and sector (each cites the page: source src:msi-offentlig-sektor)."
SELECT kind, coalesce(sector, '') AS sector, count(*) AS nodes,
       CASE WHEN kind = 'source' THEN '(the page)'
            ELSE sum(sources LIKE '%"src:msi-offentlig-sektor"%') END AS citing_the_page
FROM kg_nodes GROUP BY kind, sector ORDER BY kind, sector;

.print
.print "-- 1. Who are the social enterprises and nonprofits, what do they do, since when?"
SELECT n.name AS organisation, n.props ->> 'form' AS form,
       p.name AS project, coalesce(substr(e.valid_from, 1, 4), '') AS since,
       coalesce((SELECT group_concat(r.name, ', ')
                 FROM kg_edges l JOIN kg_nodes r ON r.key = l.dst
                 WHERE l.src = p.key AND l.type = 'located_in'), '') AS place
FROM kg_nodes n
JOIN kg_edges e ON e.src = n.key AND e.type = 'participates_in'
JOIN kg_nodes p ON p.key = e.dst
WHERE n.kind = 'actor' AND n.sector = 'nonprofit'
ORDER BY n.name, e.valid_from IS NULL, e.valid_from, p.name;

.print
.print "-- 1b. ... and how are they connected to the public sector? (shortest paths; ← = edge points back)"
SELECT se.name AS social_enterprise, pu.name AS public_actor,
       (SELECT group_concat(CASE WHEN sp.step = 0 THEN sp.name
                                 WHEN e.src = sp.key THEN '←' || sp.edge_type || '— ' || sp.name
                                 ELSE '—' || sp.edge_type || '→ ' || sp.name END, ' ')
        FROM kg_shortest_path('kg', se.key, pu.key) sp
        LEFT JOIN kg_edges e ON e.rowid = sp.edge_id) AS connection
FROM kg_nodes se, kg_nodes pu
WHERE se.kind = 'actor' AND se.sector = 'nonprofit'
  AND pu.kind = 'actor' AND pu.sector = 'public'
ORDER BY 1, 2;

.print
.print "-- My regions, typed the way people type them: 'dalarna' (where Mora is) and 'skane'."
CREATE TEMP TABLE my_region AS
WITH typed(q) AS (VALUES ('dalarna'), ('skane'))
SELECT typed.q AS typed, r.key, r.name FROM typed, kg_find('kg', typed.q) r
WHERE r.kind = 'region';
SELECT typed AS you_typed, name AS region, key FROM my_region;

.print
.print "-- 2. Who in my region works with social enterprises? (region ⊃ municipality ⊃ project ← participant)"
SELECT m.name AS region, w.name AS municipality, x.name AS project,
       se.name AS social_enterprise, coalesce(substr(pe.valid_from, 1, 4), '') AS since
FROM my_region m, kg_neighbors('kg', m.key, 3, 'in', 'part_of,located_in') x
JOIN kg_nodes w ON w.key = x.parent
JOIN kg_edges pe ON pe.dst = x.key AND pe.type = 'participates_in'
JOIN kg_nodes se ON se.key = pe.src AND se.sector = 'nonprofit'
WHERE x.kind = 'project'
ORDER BY m.name, w.name, x.name;

.print
.print "-- 2b. Which organisations in my region are linked to social enterprises, and how?"
SELECT m.name AS region, o.name AS organisation, se.name AS social_enterprise,
       (SELECT count(*) - 1 FROM kg_shortest_path('kg', o.key, se.key)) AS hops,
       (SELECT group_concat(sp.edge_type, ', ')
        FROM kg_shortest_path('kg', o.key, se.key) sp WHERE sp.step > 0) AS via_edges
FROM my_region m, kg_neighbors('kg', m.key, 3, 'in', 'part_of,located_in') x
JOIN kg_nodes o ON o.key = x.key AND o.kind = 'actor'
JOIN kg_nodes se ON se.kind = 'actor' AND se.sector = 'nonprofit'
ORDER BY m.name, o.name, se.name;

.print
.print "-- 3. Whom do I contact in my region? region ← located_in ← university —hosts→ MSI node ← works_at person"
.print "--    (no MSI node in the region: the national office)"
WITH place AS (
  SELECT m.key AS region, m.name AS region_name, x.key
  FROM my_region m, kg_neighbors('kg', m.key, 2, 'in', 'part_of', 'region', NULL, 1) x),
contact AS (
  SELECT place.region_name AS region, u.name AS university, nd.name AS msi_node,
         pe.name AS person, w.props ->> 'role' AS role
  FROM place
  JOIN kg_edges l ON l.dst = place.key AND l.type = 'located_in'
  JOIN kg_nodes u ON u.key = l.src AND u.props ->> 'form' = 'university'
  JOIN kg_edges h ON h.src = u.key AND h.type = 'hosts'
  JOIN kg_nodes nd ON nd.key = h.dst AND nd.props ->> 'form' = 'regional_node'
  JOIN kg_edges w ON w.dst = nd.key AND w.type = 'works_at'
  JOIN kg_nodes pe ON pe.key = w.src)
SELECT * FROM contact
UNION ALL
SELECT m.name, '(none)', k.name, pe.name, w.props ->> 'role'
FROM my_region m
JOIN kg_nodes k ON k.key = 'org:msi-nationellt-kansli'
JOIN kg_edges w ON w.dst = k.key AND w.type = 'works_at'
JOIN kg_nodes pe ON pe.key = w.src
WHERE m.name NOT IN (SELECT region FROM contact)
ORDER BY 1, 3, 4;

.print
.print "-- 3b. All regional contacts: which university hosts which MSI node, and who answers there"
SELECT u.name AS university, r.name AS town, nd.name AS msi_node, pe.name AS person,
       w.props ->> 'role' AS role
FROM kg_edges h
JOIN kg_nodes u ON u.key = h.src AND u.props ->> 'form' = 'university'
JOIN kg_nodes nd ON nd.key = h.dst AND nd.props ->> 'form' = 'regional_node'
JOIN kg_edges l ON l.src = u.key AND l.type = 'located_in'
JOIN kg_nodes r ON r.key = l.dst
JOIN kg_edges w ON w.dst = nd.key AND w.type = 'works_at'
JOIN kg_nodes pe ON pe.key = w.src
WHERE h.type = 'hosts'
ORDER BY u.name, pe.name;

.print
.print "-- 4. How is Vinnova connected to Idrott Utan Gränser?"
SELECT sp.step, sp.name, coalesce(sp.edge_type, '') AS via,
       CASE WHEN sp.step = 0 THEN '' WHEN e.src = sp.key THEN '←' ELSE '→' END AS dir
FROM kg_shortest_path('kg', 'org:vinnova', 'org:idrott-utan-granser') sp
LEFT JOIN kg_edges e ON e.rowid = sp.edge_id
ORDER BY sp.step;

.print
.print "-- 5. Name lookup ignores case and å/ä/ö: 'orebro universitet', 'LAXHJALPEN', 'gloria-karin lopez'"
WITH typed(q) AS (VALUES ('orebro universitet'), ('LAXHJALPEN'), ('gloria-karin lopez'))
SELECT typed.q AS you_typed, f.key, f.kind, f.name, coalesce(f.sector, '') AS sector
FROM typed, kg_find('kg', typed.q) f;

.print
.print "-- 6. The survey (December 2019) and the Social Innovation Summit 2020 on the page"
SELECT * FROM (
  SELECT coalesce(n.aliases ->> '$[0]', n.name) AS what, j.key AS fact,
         CASE j.key WHEN 'response_rate' THEN format('%d%% answered', round(100 * j.value))
                    ELSE j.value END AS value
  FROM kg_nodes n, json_each(n.props) j
  WHERE n.kind IN ('survey', 'event')
    AND j.key IN ('conducted', 'respondents', 'invited', 'response_rate', 'areas_listed',
                  'areas_ranked', 'framework', 'valid_from', 'valid_to', 'format', 'website')
  UNION ALL
  SELECT coalesce(n.aliases ->> '$[0]', n.name), 'project lead', p.name
  FROM kg_edges l JOIN kg_nodes p ON p.key = l.src JOIN kg_nodes n ON n.key = l.dst
  WHERE l.type = 'leads' AND n.kind = 'event')
ORDER BY what, fact;
