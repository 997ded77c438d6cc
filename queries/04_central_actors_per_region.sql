-- Most central actors per region
--
-- Question:   Which actors are the most central in each region's
--             collaboration network?
-- Parameters: :top  how many actors per region
-- Example:    :top = 3
-- Columns:    region, region_name, place (1 = most central), actor, name,
--             sector, pagerank (rounded to 4 places), degree (distinct
--             neighbours).
-- Notes:      PageRank (damping 0.85, edges undirected) over actors,
--             projects, people and events: regions and sources are left out
--             so that sharing a region or a source does not make actors
--             central. An actor's region is the one it is located_in.
WITH
  centrality AS (
    SELECT p.key, p.rank, d.neighbors
      FROM kg_pagerank('kg', 0.85, 100, 1e-6, NULL, 'both', NULL, 'actor,project,person,event') p
      JOIN kg_degree('kg', 'actor,project,person,event') d ON d.key = p.key),
  placed AS (
    SELECT e.dst AS region, c.key, c.rank, c.neighbors,
           row_number() OVER (PARTITION BY e.dst ORDER BY c.rank DESC, c.key) AS place
      FROM centrality c
      JOIN kg_nodes a ON a.key = c.key AND a.kind = 'actor'
      JOIN kg_edges e ON e.src = c.key AND e.type = 'located_in')
SELECT p.region, r.name AS region_name, p.place, p.key AS actor, a.name, a.sector,
       round(p.rank, 4) AS pagerank, p.neighbors AS degree
  FROM placed p
  JOIN kg_nodes r ON r.key = p.region
  JOIN kg_nodes a ON a.key = p.key
 WHERE p.place <= :top
 ORDER BY p.region, p.place;
