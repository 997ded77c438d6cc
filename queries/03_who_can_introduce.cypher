// Who can introduce A to B? (the Cypher version of 03_who_can_introduce.sql;
// same question, same columns, same rows)
//
// Question:   Which actors and people are close to both A and B, and so
//             could introduce one to the other?
// Parameters: $from  the key of A
//             $to    the key of B
// Example:    $from = 'org:malmo-stad', $to = 'org:idrott-utan-granser'
// Columns:    introducer, name, kind, hops_from, hops_to (edges from A and
//             from B, at most 2 each), ordered by hops_from + hops_to.
// Notes:      Follows every edge type of the data model but located_in (a
//             shared region is not an acquaintance) and the sample's own
//             relations (features, founded_at, interviewed, leads,
//             organises). A node's distance is its shortest path's length:
//             the least length of the paths of at most 2 edges to it.
MATCH pa = (a {key: $from})-[:participates_in|funds|part_of|works_at|hosts|partners_with|features|founded_at|interviewed|leads|organises*1..2]-(x)
WHERE (x:actor OR x:person) AND x <> a
WITH x, min(length(pa)) AS hops_from
MATCH pb = (b {key: $to})-[:participates_in|funds|part_of|works_at|hosts|partners_with|features|founded_at|interviewed|leads|organises*1..2]-(x)
WHERE x <> b
WITH x, hops_from, min(length(pb)) AS hops_to
WHERE NOT x.key IN [$from, $to]
RETURN x.key AS introducer, x.name AS name, labels(x)[0] AS kind, hops_from, hops_to
ORDER BY hops_from + hops_to, introducer
