// memory.cc: see memory.h.
#include "memory.h"

#include <algorithm>
#include <iterator>
#include <vector>

#include "samverkan/hash_table.h"

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
  std::vector<const Value*>& to_visit = to_visit_;
  to_visit.assign(1, &top);
  // Whether the container at `p`, of `n` entries, was counted already.
  auto seen = [&](const void* p, size_t n, bool nests) {
    return (n >= kSharedEntries || nests) && !counted_.insert(p).second;
  };
  while (!to_visit.empty()) {
    const Value& v = *to_visit.back();
    to_visit.pop_back();
    switch (v.type()) {
      case T::kString: bytes += StringHeap(v.string()); break;
      case T::kList: {
        const List& l = v.list();
        if (seen(&l, l.size(), std::any_of(l.begin(), l.end(), IsContainer))) break;
        bytes += kBlock + l.capacity() * sizeof(Value);
        for (const Value& x : l) {
          if (x.type() == T::kString || x.type() == T::kList || x.type() == T::kMap ||
              x.type() == T::kPath) {
            to_visit.push_back(&x);
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
          to_visit.push_back(&x);
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

const void* ContainerOf(const Value& v) {
  if (v.type() == T::kList) return &v.list();
  if (v.type() == T::kMap) return &v.map();
  return nullptr;
}

ValueShape ShapeOf(const Value& top, size_t limit, const void* known, ValueShape known_shape) {
  if (ContainerOf(top) == nullptr) return ValueShape{0, 1};
  struct Frame {
    const Value* v;
    size_t next;
    ValueShape shape;
  };
  auto size = [](const Value& v) { return v.type() == T::kList ? v.list().size() : v.map().size(); };
  auto child = [](const Value& v, size_t i) -> const Value& {
    return v.type() == T::kList ? v.list()[i] : v.map()[i].second;
  };
  auto add = [](ValueShape* into, uint64_t values) {
    into->values = into->values > UINT64_MAX - values ? UINT64_MAX : into->values + values;
  };
  // Adds a child container's shape to its container's.
  auto nest = [&](ValueShape* into, const ValueShape& c) {
    into->levels = std::max(into->levels, c.levels + 1);
    add(into, c.values);
  };
  HashMap<const void*, ValueShape> measured;
  std::vector<Frame> stack{{&top, 0, ValueShape{1, 1}}};
  for (;;) {
    Frame& f = stack.back();
    if (f.next < size(*f.v)) {
      const Value& c = child(*f.v, f.next++);
      const void* id = ContainerOf(c);
      if (id == nullptr) {
        add(&f.shape, 1);
      } else if (id == known) {
        nest(&f.shape, known_shape);
      } else if (auto it = measured.find(id); it != measured.end()) {
        nest(&f.shape, it->second);
      } else if (stack.size() > limit) {
        return ValueShape{stack.size(), f.shape.values};
      } else {
        stack.push_back({&c, 0, ValueShape{1, 1}});
      }
      continue;
    }
    const ValueShape shape = f.shape;
    measured[ContainerOf(*f.v)] = shape;
    stack.pop_back();
    if (stack.empty() || shape.levels > limit) return shape;
    nest(&stack.back().shape, shape);
  }
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
