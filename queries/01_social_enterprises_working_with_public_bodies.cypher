// Social enterprises and nonprofits in a region that work with public bodies
// (the Cypher version of 01_social_enterprises_working_with_public_bodies.sql;
// same question, same columns, same rows)
//
// Question:   Which social enterprises and nonprofits in my region work with
//             the public sector, with which public bodies, and how?
// Parameters: $region  a region key. An actor is in the region when it is
//                      located_in it or in a region inside it (part_of, any
//                      depth), or takes part in a project located there.
// Example:    $region = 'reg:malmo'
// Columns:    actor, name, form (props.form), public_body, public_name,
//             how: the type of a direct edge between them (either
//             direction), or 'project:<key>' for a project both take part
//             in or fund.
MATCH (top {key: $region})
OPTIONAL MATCH (inside)-[:part_of*1..]->(top)
WITH top, collect(inside) AS inside
WITH [top] + inside AS area
MATCH (a:actor)
WHERE (a.sector = 'nonprofit' OR a.form = 'social_enterprise')
  AND (any(r IN [(a)-[:located_in]->(r) | r] WHERE r IN area)
       OR any(r IN [(a)-[:participates_in|funds]->()-[:located_in]->(r) | r] WHERE r IN area))
WITH a,
     [(a)-[e]-(p:actor) WHERE p.sector = 'public' | [p, type(e)]] +
     [(a)-[:participates_in|funds]->(x)<-[:participates_in|funds]-(p:actor)
        WHERE p.sector = 'public' AND p <> a | [p, 'project:' + x.key]] AS links
UNWIND links AS link
WITH DISTINCT a, link[0] AS p, link[1] AS how
RETURN a.key AS actor, a.name AS name, a.form AS form, p.key AS public_body,
       p.name AS public_name, how
ORDER BY actor, public_body, how
