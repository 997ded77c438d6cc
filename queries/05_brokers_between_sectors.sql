-- Brokers between sectors
--
-- Question:   Which actors connect others across sectors (Gould-Fernandez
--             brokerage roles)?
-- Parameters: :via  NULL to count direct ties between actors, or a node kind
--                   (e.g. 'project') to tie actors that share one
--             :top  how many brokers
-- Example:    :via = NULL, :top = 10
-- Columns:    actor, name, sector, liaison, itinerant, representative,
--             gatekeeper, coordinator, cross_sector (all roles but
--             coordinator, which stays within one sector).
-- Notes:      Counts open two-paths a - broker - c (a and c not tied), each
--             in both directions since ties are undirected; only actors with
--             a sector take part.
SELECT b.key AS actor, n.name, n.sector,
       coalesce(sum(b.count) FILTER (WHERE b.role = 'liaison'), 0) AS liaison,
       coalesce(sum(b.count) FILTER (WHERE b.role = 'itinerant'), 0) AS itinerant,
       coalesce(sum(b.count) FILTER (WHERE b.role = 'representative'), 0) AS representative,
       coalesce(sum(b.count) FILTER (WHERE b.role = 'gatekeeper'), 0) AS gatekeeper,
       coalesce(sum(b.count) FILTER (WHERE b.role = 'coordinator'), 0) AS coordinator,
       coalesce(sum(b.count) FILTER (WHERE b.role <> 'coordinator'), 0) AS cross_sector
  FROM kg_brokerage('kg', 'sector', :via, 'both', 'actor,project') b
  JOIN kg_nodes n ON n.key = b.key
 GROUP BY b.key
HAVING cross_sector > 0
 ORDER BY cross_sector DESC, b.key
 LIMIT :top;
