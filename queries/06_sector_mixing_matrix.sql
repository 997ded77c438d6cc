-- The sector-mixing matrix
--
-- Question:   How much does each sector collaborate with each other sector,
--             and how open is each sector to the others?
-- Parameters: :via   NULL to count direct ties between actors, or a node
--                    kind (e.g. 'project') to tie actors that share one
--             :year  NULL for all time, or a year: only edges valid then
-- Example:    :via = NULL, :year = NULL
-- Columns:    sector, academia, business, public, nonprofit, other (ties
--             with actors of each sector; the diagonal counts ties within
--             the sector), total, ei_index (Krackhardt-Stern: -1 all ties
--             inside the sector, +1 all across).
SELECT m.group_a AS sector,
       coalesce(sum(m.ties) FILTER (WHERE m.group_b = 'academia'), 0) AS academia,
       coalesce(sum(m.ties) FILTER (WHERE m.group_b = 'business'), 0) AS business,
       coalesce(sum(m.ties) FILTER (WHERE m.group_b = 'public'), 0) AS public,
       coalesce(sum(m.ties) FILTER (WHERE m.group_b = 'nonprofit'), 0) AS nonprofit,
       coalesce(sum(m.ties) FILTER (WHERE m.group_b NOT IN ('academia', 'business', 'public',
                                                           'nonprofit')), 0) AS other,
       sum(m.ties) AS total,
       (SELECT round(ei.ei_index, 4)
          FROM kg_ei_index('kg', 'sector', :via, NULL, NULL, NULL, NULL, :year) ei
         WHERE ei.group_name = m.group_a) AS ei_index
  FROM kg_sector_mixing('kg', 'sector', :via, NULL, NULL, NULL, NULL, :year) m
 GROUP BY m.group_a
 ORDER BY m.group_a;
