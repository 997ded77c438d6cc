// tvf_analytics.h: the analytics functions (kg_pagerank, kg_components, ...,
// kg_conductance), one table-valued function per procedure of the engine's
// table (samverkan/procedures.h), which Cypher's CALL samverkan.<name>
// builds on too, so the two cannot drift.
//
// kg_<name>'s columns are the procedure's, a node given as its key (a node
// column named `node` is called `key`). Arguments are HIDDEN columns after
// the outputs: graph, then the procedure's arguments in its order. SQL
// values become the procedure's: numbers as numbers (numeric text too),
// text as text, a list of names as 'a,b' or a JSON array '["a","b"]', node
// keys with shares (personalization) as 'a,b' or a JSON object
// {"a": 2, "b": 1}. See tvf_analytics.cc for each function's usage.
#pragma once

#include <string>
#include <string_view>

#include "tvf_base.h"

namespace samverkan::sql {

// The one module every analytics function is registered with: xConnect
// finds the procedure by the module's name (kg_<name>).
extern const sqlite3_module kAnalyticsModule;

// "kg_pagerank" for the engine procedure "pagerank".
std::string AnalyticsFunctionName(std::string_view procedure);

}  // namespace samverkan::sql
