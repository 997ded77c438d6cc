// BulkLoader: the fast path for filling an empty graph with a large file.
//
// Instead of a write batch it sorts everything in memory and writes sorted
// SST files that RocksDB ingests in one atomic step (SstFileWriter +
// IngestExternalFiles): all of the load, or none of it, becomes visible.
//
//   SV_ASSIGN_OR_RETURN(auto load, db->BeginBulkLoad("edges.csv"));
//   SV_RETURN_IF_ERROR(load->AddNode({.key = "n1", .kind = "actor"}).status());
//   SV_RETURN_IF_ERROR(load->AddEdge({.src = "n1", .type = "funds", .dst = "n2"}));
//   SV_RETURN_IF_ERROR(load->Finish());
//
// The graph that results is exactly the one a single Transaction would
// write with PutNode() and PutEdge() calls in the same order: the same ids,
// records, indexes and counters (tests compare the two).
//
// REQUIRES: the graph holds no nodes or edges yet (BeginBulkLoad returns
// InvalidArgument otherwise; load into an empty graph, or use a
// Transaction). Like a transaction, a bulk load excludes other writers of
// the Db until it finishes or is destroyed. Holds the whole load in memory
// (about 70 bytes per edge plus its properties).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <memory>
#include <vector>

#include "samverkan/interrupt.h"
#include "samverkan/result.h"
#include "samverkan/types.h"

namespace samverkan {

// Takes edges for a BulkLoader from a thread of its own (OpenEdgeLanes).
class BulkEdgeLane {
 public:
  virtual ~BulkEdgeLane() = default;
  // As BulkLoader::AddEdge.
  virtual Status AddEdge(const EdgeInput& input) = 0;
  virtual uint64_t edges_added() const = 0;
};

class BulkLoader {
 public:
  virtual ~BulkLoader() = default;

  // As Transaction::PutNode. A key given twice replaces the first (and
  // keeps its id). Sources must be nodes added earlier.
  virtual Result<NodeId> AddNode(const NodeInput& input) = 0;
  // As Transaction::PutEdge: both endpoints must have been added before,
  // by key or by the id AddNode returned.
  virtual Status AddEdge(const EdgeInput& input) = 0;
  // Sorts, writes and ingests. After Finish() (OK or not) the loader is done.
  // Stops, having written nothing, when `interrupt` fires while it writes.
  virtual Status Finish(const Interrupt& interrupt = Interrupt::Never()) = 0;

  // Edges from several threads at once: a big file read in parts, each
  // part on a thread of its own with a lane of its own.
  //
  //   auto lanes = load->OpenEdgeLanes(2);
  //   ... thread i calls lanes[i]->AddEdge() for the edges of part i ...
  //   SV_RETURN_IF_ERROR(load->CloseEdgeLanes(std::move(lanes)));
  //
  // CloseEdgeLanes() adds the lanes' edges as if AddEdge() had been called
  // for the edges of the first lane given, then of the second, and so on;
  // lanes opened but not given back are dropped, with their edges. Between
  // the two calls the loader itself takes no calls (they return
  // InvalidArgument), and lanes must not be used after the close.
  virtual std::vector<std::unique_ptr<BulkEdgeLane>> OpenEdgeLanes(size_t n) = 0;
  virtual Status CloseEdgeLanes(std::vector<std::unique_ptr<BulkEdgeLane>> lanes) = 0;

  // The id AddNode() gave `key`; NotFound ("unknown node 'k'") if it was not
  // added (the same convention as GraphView::FindKey).
  virtual Result<NodeId> FindKey(std::string_view key) const = 0;

  virtual uint64_t nodes_added() const = 0;
  virtual uint64_t edges_added() const = 0;
};

}  // namespace samverkan
