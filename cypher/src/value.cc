// value.cc: the Value type itself. Comparisons are in value_ops.cc.
#include <algorithm>
#include <vector>

#include "samverkan/cypher_value.h"

namespace samverkan::cypher {
namespace {

// Lists and maps hold Values that may hold lists and maps, as deep as a
// query builds them (reduce(acc = [], x IN range(1, 1000000) | [acc]) is a
// million levels): freeing one would take as many nested destructor calls.
// The outermost free on a thread drains a queue instead, and the frees
// below it only add to the queue.
struct PendingFree {
  void (*free)(const void*);
  const void* p;
};
thread_local std::vector<PendingFree>* pending_frees = nullptr;

template <typename T>
void FreeNow(const void* p) {
  delete static_cast<const T*>(p);
}

template <typename T>
struct FlatDelete {
  void operator()(const T* p) const {
    if (pending_frees != nullptr) {
      pending_frees->push_back({&FreeNow<T>, p});
      return;
    }
    std::vector<PendingFree> queue;
    pending_frees = &queue;
    FreeNow<T>(p);
    while (!queue.empty()) {
      PendingFree next = queue.back();
      queue.pop_back();
      next.free(next.p);
    }
    pending_frees = nullptr;
  }
};

}  // namespace

Value Value::MakeList(List items) {
  Value v;
  v.v_ = std::shared_ptr<const List>(new List(std::move(items)), FlatDelete<List>{});
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
  v.v_ = std::shared_ptr<const Map>(new Map(std::move(unique)), FlatDelete<Map>{});
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
