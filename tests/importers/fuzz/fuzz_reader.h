// What every fuzz target does: feed the bytes to one reader, as a file
// would be, with a sink that checks records without a database. A reader
// may report problems for any input but must never crash, hang or touch
// memory it does not own (AddressSanitizer checks that). The sink checks
// properties as the engine does (NormalizeProps), so that whatever JSON a
// reader passes on is fuzzed through that path too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "problems.h"
#include "readers.h"
#include "sink.h"
#include "storage/json_props.h"
#include "samverkan/ignore_error.h"

namespace samverkan::importers {

// Accepts nodes with a key, and edges whose endpoints were added before.
class CheckingSink : public RecordSink {
 public:
  Status AddNode(NodeInput& node) override {
    if (node.key.empty()) return Status::InvalidArgument("empty key");
    auto props = storage::NormalizeProps(node.props, [] { return std::string("node"); });
    if (!props.ok()) return props.status();
    keys_.insert(node.key);
    ++nodes_;
    return Status::OK();
  }
  Status AddEdge(EdgeInput& edge) override {
    if (!keys_.contains(edge.src.key) || !keys_.contains(edge.dst.key)) {
      return Status::NotFound("unknown node");
    }
    auto props = storage::NormalizeProps(edge.props, [] { return std::string("edge"); });
    if (!props.ok()) return props.status();
    ++edges_;
    return Status::OK();
  }
  bool HasNode(std::string_view key) override { return keys_.contains(std::string(key)); }
  Status Commit() override { return Status::OK(); }
  uint64_t nodes() const override { return nodes_; }
  uint64_t edges() const override { return edges_; }

 private:
  std::set<std::string> keys_;
  uint64_t nodes_ = 0, edges_ = 0;
};

// `options`, if given, sets the reader's options (a CSV dialect, say).
inline int FuzzOne(const uint8_t* data, size_t size, void (*read)(ReadContext&),
                   const std::function<void(ReadContext&)>& options = {}) {
  CheckingSink sink;
  Problems problems(20);
  ReadContext ctx;
  ctx.file = "fuzz";
  ctx.data = std::string_view(reinterpret_cast<const char*>(data), size);
  ctx.sink = &sink;
  ctx.problems = &problems;
  if (options) options(ctx);
  read(ctx);
  IgnoreError(problems.ToStatus());
  return 0;
}

}  // namespace samverkan::importers
