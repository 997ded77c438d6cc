// value.cc: the Value type itself. Comparisons are in value_ops.cc.
#include <algorithm>
#include <vector>

#include "samverkan/cypher_value.h"

namespace samverkan::cypher {
namespace {

// Lists and maps nest as deep as a query builds them (reduce(acc = [], x IN
// range(1, 1000000) | [acc]) makes a million levels), and freeing one would
// recurse once per level, past the end of the stack. So a list or map that
// holds lists or maps is freed through Release: the outermost release on a
// thread frees it, and the ones that causes are queued and freed by that
// same loop, one after another. Lists and maps of plain values (nearly
// all) are made with make_shared as before: freeing them cannot nest.
struct Pending {
  void (*free)(const void*);
  const void* object;
};
thread_local std::vector<Pending>* releasing = nullptr;

template <typename T>
void Free(const void* object) {
  delete static_cast<const T*>(object);
}

template <typename T>
void Release(const T* object) {
  if (releasing != nullptr) {
    releasing->push_back({&Free<T>, object});
    return;
  }
  std::vector<Pending> queue;
  releasing = &queue;
  delete object;
  while (!queue.empty()) {
    Pending next = queue.back();
    queue.pop_back();
    next.free(next.object);
  }
  releasing = nullptr;
}

bool Nests(const Value& v) {
  return v.type() == Value::Type::kList || v.type() == Value::Type::kMap;
}

template <typename T>
std::shared_ptr<const T> Share(T items, bool nests) {
  if (!nests) return std::make_shared<const T>(std::move(items));
  return std::shared_ptr<const T>(new T(std::move(items)), [](const T* p) { Release(p); });
}

}  // namespace

Value Value::MakeList(List items) {
  const bool nests = std::any_of(items.begin(), items.end(), Nests);
  Value v;
  v.v_ = Share(std::move(items), nests);
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
  const bool nests = std::any_of(unique.begin(), unique.end(),
                                [](const auto& e) { return Nests(e.second); });
  Value v;
  v.v_ = Share(std::move(unique), nests);
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
    case Value::Type::kDate: return "DATE";
    case Value::Type::kDuration: return "DURATION";
  }
  return "?";
}

}  // namespace samverkan::cypher
