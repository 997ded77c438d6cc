-- Communities and their sector make-up
--
-- Question:   Which groups of actors work closely together (Louvain
--             communities), and which sectors make up each?
-- Parameters: :min_actors  leave out communities with fewer actors
-- Example:    :min_actors = 2
-- Columns:    community, nodes (all kinds), actors, academia, business,
--             public, nonprofit, members (actor names), modularity (of the
--             whole partition, rounded to 4 places).
-- Notes:      Louvain (seed 42, resolution 1) on actors, projects, people
--             and events with edges undirected; regions and sources are left
--             out so that they do not pull communities together.
WITH c AS (
  SELECT c.community, c.size, c.modularity, n.kind, n.sector, n.name
    FROM kg_communities('kg', 1, 42, NULL, 'actor,project,person,event') c
    JOIN kg_nodes n ON n.key = c.key
   ORDER BY c.community, n.name)
SELECT community, size AS nodes,
       count(*) FILTER (WHERE kind = 'actor') AS actors,
       count(*) FILTER (WHERE sector = 'academia') AS academia,
       count(*) FILTER (WHERE sector = 'business') AS business,
       count(*) FILTER (WHERE sector = 'public') AS public,
       count(*) FILTER (WHERE sector = 'nonprofit') AS nonprofit,
       group_concat(name, '; ') FILTER (WHERE kind = 'actor') AS members,
       round(modularity, 4) AS modularity
  FROM c
 GROUP BY community
HAVING actors >= :min_actors
 ORDER BY actors DESC, community;
