// The functions a query may call: their names, how many arguments they
// take, and (for scalar functions) how they compute.
//
// Names are case-insensitive (toUpper, TOUPPER). Aggregations (count, sum,
// avg, min, max, collect, stDev, stDevP, percentileDisc, percentileCont)
// are listed here for the analyzer; aggregate.cc computes them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "samverkan/cypher_value.h"

namespace samverkan::cypher {

class EvalContext;

struct FunctionInfo {
  const char* name;   // as documented, e.g. "toUpper"
  int min_args;
  int max_args;       // -1: any number
  bool aggregate;
  // Scalar functions; null for aggregations and for the graph functions the
  // evaluator handles itself (labels, type, properties, ...).
  Value (*fn)(const std::vector<Value>& args, size_t pos);
};

// The function named `name` (any case), or null.
const FunctionInfo* FindFunction(std::string_view name);
// All of them, for the documentation.
const std::vector<FunctionInfo>& AllFunctions();

}  // namespace samverkan::cypher
