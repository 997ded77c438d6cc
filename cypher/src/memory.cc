// memory.cc: see memory.h.
#include "memory.h"

#include <algorithm>
#include <iterator>
#include <vector>

#include "error.h"

namespace samverkan::cypher {
namespace {

using T = Value::Type;

// Containers at least this big are counted once however many rows share
// them; smaller ones cost less to count again than to look up, unless they
// hold containers themselves: [acc, acc] in a reduce() makes a value of
// 2^n lists as a tree that holds only n, and a walk of the tree would not end.
constexpr size_t kSharedEntries = 32;
// A shared_ptr's control block and the container's own header.
constexpr uint64_t kBlock = 48;

bool IsContainer(const Value& v) {
  return v.type() == T::kList || v.type() == T::kMap || v.type() == T::kPath;
}

uint64_t StringHeap(const std::string& s) { return s.size() > 15 ? s.size() + 1 : 0; }

}  // namespace

uint64_t MemoryBudget::SizeOf(const Value& top) {
  uint64_t bytes = sizeof(Value);
  switch (top.type()) {
    case T::kList:
    case T::kMap:
    case T::kPath: break;
    case T::kString: return bytes + StringHeap(top.string());
    default: return bytes;
  }
  // Iterative: a list can nest as deep as a query builds it.
  std::vector<const Value*>& todo = todo_;
  todo.assign(1, &top);
  // Whether the container at `p`, of `n` entries, was counted already.
  auto seen = [&](const void* p, size_t n, bool nests) {
    return (n >= kSharedEntries || nests) && !counted_.insert(p).second;
  };
  while (!todo.empty()) {
    const Value& v = *todo.back();
    todo.pop_back();
    switch (v.type()) {
      case T::kString: bytes += StringHeap(v.string()); break;
      case T::kList: {
        const List& l = v.list();
        if (seen(&l, l.size(), std::any_of(l.begin(), l.end(), IsContainer))) break;
        bytes += kBlock + l.capacity() * sizeof(Value);
        for (const Value& x : l) {
          if (x.type() == T::kString || x.type() == T::kList || x.type() == T::kMap ||
              x.type() == T::kPath) {
            todo.push_back(&x);
          }
        }
        break;
      }
      case T::kMap: {
        const Map& m = v.map();
        const bool nests =
            std::any_of(m.begin(), m.end(), [](const auto& e) { return IsContainer(e.second); });
        if (seen(&m, m.size(), nests)) break;
        bytes += kBlock + m.capacity() * sizeof(Map::value_type);
        for (const auto& [key, x] : m) {
          bytes += StringHeap(key);
          todo.push_back(&x);
        }
        break;
      }
      case T::kPath: {
        const Path& p = v.path();
        if (seen(&p, p.nodes.size(), false)) break;
        bytes += kBlock + sizeof(Path) + p.nodes.capacity() * sizeof(NodeId) +
                 p.relationships.capacity() * sizeof(Relationship);
        break;
      }
      default: break;
    }
  }
  return bytes;
}

uint64_t MemoryBudget::ShallowSizeOf(const Value& v) {
  switch (v.type()) {
    case T::kString: return sizeof(Value) + StringHeap(v.string());
    case T::kList: return sizeof(Value) + kBlock + v.list().size() * sizeof(Value);
    case T::kMap: return sizeof(Value) + kBlock + v.map().size() * sizeof(Map::value_type);
    case T::kPath:
      return sizeof(Value) + kBlock + sizeof(Path) + v.path().nodes.size() * sizeof(NodeId) +
             v.path().relationships.size() * sizeof(Relationship);
    default: return sizeof(Value);
  }
}

void MemoryBudget::Exceeded() const {
  throw EngineError(Status::InvalidArgument(
      "the Cypher statement used more than " + FormatBytes(limit_) +
      " of working memory (memory_limit: sorting, grouping, collect(), DISTINCT and the "
      "lists it builds); " + hint_));
}

std::string FormatBytes(uint64_t bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  size_t u = 0;
  while (u + 1 < std::size(units) && bytes >= 1024 && bytes % 1024 == 0) {
    bytes /= 1024;
    ++u;
  }
  return std::to_string(bytes) + " " + units[u];
}

}  // namespace samverkan::cypher
