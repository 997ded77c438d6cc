// Where readers put what they read.
//
// Readers turn their format into NodeInput / EdgeInput records and hand them
// to a RecordSink; they never talk to the engine themselves. Two sinks
// exist: one writes through a Transaction (any graph), the other through
// the engine's BulkLoader (an empty graph, much faster for big files). Both
// give the same graph.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "samverkan/db.h"
#include "samverkan/result.h"
#include "samverkan/types.h"

namespace samverkan::importers {

// Takes the edges of one part of a file from a thread of its own, while
// other lanes take the other parts (RecordSink::OpenEdgeLanes).
class EdgeLane {
 public:
  virtual ~EdgeLane() = default;
  // As RecordSink::AddEdge.
  virtual Status AddEdge(EdgeInput& edge) = 0;
};

class RecordSink {
 public:
  virtual ~RecordSink() = default;

  // Upserts a node (merge semantics, Transaction::MergeNode). An empty kind
  // means "not given": a new node then gets the import's default kind.
  // Errors are the engine's ("unknown sector 'x'"); the reader adds where.
  virtual Status AddNode(NodeInput& node) = 0;
  // Upserts an edge (Transaction::PutEdge). NotFound for an unknown endpoint.
  virtual Status AddEdge(EdgeInput& edge) = 0;
  // Whether `key` names a node, in the graph or written by this import.
  virtual bool HasNode(std::string_view key) = 0;
  // For a reader that reads a big file in parts on several threads: up to
  // `n` lanes, one per part. None when this sink takes records only in
  // order (the reader then reads in order).
  virtual std::vector<std::unique_ptr<EdgeLane>> OpenEdgeLanes(size_t /*n*/) { return {}; }
  // Adds the edges of `lanes` as if they had come part after part, in the
  // order given; lanes opened but not given back are dropped.
  virtual Status CloseEdgeLanes(std::vector<std::unique_ptr<EdgeLane>> /*lanes*/) {
    return Status::OK();
  }
  // Makes everything written visible, atomically.
  virtual Status Commit() = 0;

  // The bulk sink cannot merge a node given twice (its loader replaces);
  // it then reports this and the import starts over with a transaction.
  virtual bool needs_fallback() const { return false; }

  virtual uint64_t nodes() const = 0;  // records accepted so far
  virtual uint64_t edges() const = 0;
};

// Writes through one transaction of `db`, begun with `label`, that first
// adds `sectors` to the graph's vocabulary.
Result<std::unique_ptr<RecordSink>> NewTransactionSink(Db& db, const std::string& label,
                                                       const std::string& default_kind,
                                                       const std::vector<std::string>& sectors);

// Writes through db.BeginBulkLoad(label). REQUIRES: the graph is empty.
// `interrupt` stops the load's final sort and write.
Result<std::unique_ptr<RecordSink>> NewBulkSink(Db& db, const std::string& label,
                                                const std::string& default_kind,
                                                const Interrupt& interrupt);

// Adds `source_key` to the sources of every record before passing it on.
std::unique_ptr<RecordSink> NewCitingSink(RecordSink& inner, std::string source_key);

}  // namespace samverkan::importers
