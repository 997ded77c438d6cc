-- Collaboration per year
--
-- Question:   How has collaboration changed over the years: how many actors
--             work together, how much across sectors, and how mixed?
-- Parameters: :from_year, :to_year  the years to report (inclusive)
--             :via   NULL to count direct ties between actors, or a node
--                    kind (e.g. 'project') to tie actors that share one
-- Example:    :from_year = 2018, :to_year = 2021, :via = NULL
-- Columns:    year, ties (between actors with a sector), cross_sector (of
--             those, between two sectors), cross_share, ei_index and
--             assortativity by sector (NULL when undefined), all rounded.
-- Notes:      A year counts the edges valid at some time in it; edges
--             without dates count in every year.
WITH RECURSIVE years(year) AS (
  SELECT :from_year UNION ALL SELECT year + 1 FROM years WHERE year < :to_year)
SELECT y.year,
       coalesce(m.ties, 0) AS ties,
       coalesce(m.cross_sector, 0) AS cross_sector,
       round(1.0 * m.cross_sector / m.ties, 4) AS cross_share,
       (SELECT round(ei_index, 4)
          FROM kg_ei_index('kg', 'sector', :via, NULL, NULL, NULL, NULL, y.year)
         WHERE group_name IS NULL) AS ei_index,
       (SELECT round(assortativity, 4)
          FROM kg_assortativity('kg', 'sector', :via, NULL, NULL, NULL, NULL, y.year)) AS assortativity
  FROM years y
  LEFT JOIN (
    SELECT yy.year,
           sum(x.ties) AS ties,
           sum(x.ties) FILTER (WHERE x.group_a <> x.group_b) AS cross_sector
      FROM years yy, kg_sector_mixing('kg', 'sector', :via, NULL, NULL, NULL, NULL, yy.year) x
     WHERE x.group_a <= x.group_b
     GROUP BY yy.year) m ON m.year = y.year
 ORDER BY y.year;
