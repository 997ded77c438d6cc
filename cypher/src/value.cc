// value.cc: the Value type itself. Comparisons are in value_ops.cc.
#include <algorithm>

#include "samverkan/cypher_value.h"

namespace samverkan::cypher {

Value Value::MakeList(List items) {
  Value v;
  v.v_ = std::make_shared<const List>(std::move(items));
  return v;
}

Value Value::MakeMap(Map entries) {
  // Stable, so that of two entries with one key the later one wins below.
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  Map unique;
  unique.reserve(entries.size());
  for (auto& e : entries) {
    if (!unique.empty() && unique.back().first == e.first) {
      unique.back().second = std::move(e.second);
    } else {
      unique.push_back(std::move(e));
    }
  }
  Value v;
  v.v_ = std::make_shared<const Map>(std::move(unique));
  return v;
}

Value Value::MakePath(Path p) {
  Value v;
  v.v_ = std::make_shared<const Path>(std::move(p));
  return v;
}

const Value* Value::Find(std::string_view key) const {
  const Map& m = map();
  auto it = std::lower_bound(m.begin(), m.end(), key,
                             [](const auto& e, std::string_view k) { return e.first < k; });
  if (it == m.end() || it->first != key) return nullptr;
  return &it->second;
}

std::string_view TypeName(Value::Type type) {
  switch (type) {
    case Value::Type::kNull: return "NULL";
    case Value::Type::kBool: return "BOOLEAN";
    case Value::Type::kInt: return "INTEGER";
    case Value::Type::kFloat: return "FLOAT";
    case Value::Type::kString: return "STRING";
    case Value::Type::kList: return "LIST";
    case Value::Type::kMap: return "MAP";
    case Value::Type::kNode: return "NODE";
    case Value::Type::kRelationship: return "RELATIONSHIP";
    case Value::Type::kPath: return "PATH";
  }
  return "?";
}

}  // namespace samverkan::cypher
