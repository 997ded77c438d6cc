-- Social enterprises and nonprofits in a region that work with public bodies
--
-- Question:   Which social enterprises and nonprofits in my region work with
--             the public sector, with which public bodies, and how?
-- Parameters: :region  a region key. An actor is in the region when it is
--                      located_in it or in a region inside it (part_of, any
--                      depth), or takes part in a project located there.
-- Example:    :region = 'reg:malmo'
-- Columns:    actor, name, form (props.form), public_body, public_name,
--             how: the type of a direct edge between them (either
--             direction), or 'project:<key>' for a project both take part
--             in or fund.
WITH RECURSIVE
  area(region) AS (
    SELECT :region
    UNION
    SELECT e.src FROM area JOIN kg_edges e ON e.dst = area.region WHERE e.type = 'part_of'),
  candidate(actor) AS (
    SELECT key FROM kg_nodes
     WHERE kind = 'actor' AND (sector = 'nonprofit' OR props ->> 'form' = 'social_enterprise')),
  local(actor) AS (
    SELECT c.actor FROM candidate c JOIN kg_edges e ON e.src = c.actor
     WHERE e.type = 'located_in' AND e.dst IN (SELECT region FROM area)
    UNION
    SELECT c.actor FROM candidate c
      JOIN kg_edges e ON e.src = c.actor AND e.type IN ('participates_in', 'funds')
      JOIN kg_edges l ON l.src = e.dst AND l.type = 'located_in'
     WHERE l.dst IN (SELECT region FROM area)),
  link(actor, other, how) AS (
    SELECT e.src, e.dst, e.type FROM local JOIN kg_edges e ON e.src = local.actor
    UNION
    SELECT e.dst, e.src, e.type FROM local JOIN kg_edges e ON e.dst = local.actor
    UNION
    SELECT a.src, b.src, 'project:' || a.dst
      FROM local
      JOIN kg_edges a ON a.src = local.actor AND a.type IN ('participates_in', 'funds')
      JOIN kg_edges b ON b.dst = a.dst AND b.type IN ('participates_in', 'funds')
     WHERE b.src <> a.src)
SELECT l.actor, n.name, n.props ->> 'form' AS form, p.key AS public_body, p.name AS public_name,
       l.how
  FROM link l
  JOIN kg_nodes p ON p.key = l.other AND p.kind = 'actor' AND p.sector = 'public'
  JOIN kg_nodes n ON n.key = l.actor
 ORDER BY l.actor, p.key, l.how;
