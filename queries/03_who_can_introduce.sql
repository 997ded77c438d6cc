-- Who can introduce A to B?
--
-- Question:   Which actors and people are close to both A and B, and so
--             could introduce one to the other?
-- Parameters: :from  the key of A
--             :to    the key of B
-- Example:    :from = 'org:malmo-stad', :to = 'org:idrott-utan-granser'
-- Columns:    introducer, name, kind, hops_from, hops_to (edges from A and
--             from B, at most 2 each), ordered by hops_from + hops_to.
-- Notes:      Follows every edge type of the data model but located_in (a
--             shared region is not an acquaintance) and the sample's own
--             relations (features, founded_at, interviewed, leads,
--             organises); extend the list in both kg_neighbors calls for
--             your graph's types.
WITH
  near_a AS (
    SELECT key, hops FROM kg_neighbors('kg', :from, 2, 'both',
      'participates_in,funds,part_of,works_at,hosts,partners_with,features,founded_at,interviewed,leads,organises',
      'actor,person')),
  near_b AS (
    SELECT key, hops FROM kg_neighbors('kg', :to, 2, 'both',
      'participates_in,funds,part_of,works_at,hosts,partners_with,features,founded_at,interviewed,leads,organises',
      'actor,person'))
SELECT a.key AS introducer, n.name, n.kind, a.hops AS hops_from, b.hops AS hops_to
  FROM near_a a
  JOIN near_b b ON b.key = a.key
  JOIN kg_nodes n ON n.key = a.key
 WHERE a.key NOT IN (:from, :to)
 ORDER BY a.hops + b.hops, a.key;
