// SnapshotFiles: the CSR snapshots a graph keeps on disk, in
// "<graph>/snapshot/" (a directory RocksDB never claims files in), so that
// opening a graph and running a deep traversal or an analysis maps a file
// instead of rebuilding the snapshot from the store.
//
// They are a derived cache (docs/on-disk-format.md, "Snapshot files"):
// deleting the directory loses nothing. A file is used only when it
// reflects exactly the state read (its stamp: sequence number and last
// batch); a missing, stale, unreadable, damaged or other-version file is
// ignored, and the snapshot is built and, by the writer, saved over it.
// One that reflects commits the store does not hold (a later batch) is
// evidence that the store lost them: the writer refuses it as damage. A
// read-only open cannot tell that from a writer that has moved on since it
// last caught up, so it only ignores such a file.
//
// Beside each snapshot file, a columns file holds the property columns the
// snapshot had built when it was saved (CsrGraph::SaveColumns), under the
// same rules: used only when its stamp is the snapshot's, else the columns
// are built again on first use.
//
// Only the process holding write access saves files; read-only opens never
// write here. A file is read only after its arrays pass CsrGraph::CheckArrays
// against the graph's symbols: a graph directory may come from anyone.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "samverkan/csr.h"
#include "samverkan/result.h"
#include "storage/symbol_table.h"

namespace samverkan::storage {

inline constexpr std::string_view kSnapshotDir = "snapshot";

class SnapshotFiles {
 public:
  using Stamp = CsrGraph::FileStamp;

  // `symbols`: the graph's, which a file's kinds, sectors and edge types
  // must lie within; it must outlive this.
  SnapshotFiles(std::string graph_dir, const SymbolTable& symbols)
      : graph_dir_(std::move(graph_dir)), symbols_(symbols) {}

  // The file that holds snapshots of `spec` (CsrGraph::Saveable specs),
  // and the one that holds their columns.
  std::string PathFor(const CsrSpec& spec) const;
  std::string ColumnsPathFor(const CsrSpec& spec) const;

  // The snapshot of `spec` at `now` from its file, or null when there is
  // no usable file (to be built). `writable`: this process holds write
  // access; a file ahead of `now` is then a damaged-graph error.
  Result<std::shared_ptr<const CsrGraph>> Find(const CsrSpec& spec, const Stamp& now,
                                               bool writable);

  // Gives `csr` (of a Saveable spec, taken at `now`, mapped or built) the
  // columns its columns file holds, if that holds `now`; a file that is
  // missing, stale, damaged or of another version is ignored (the columns
  // are built on first use). `writable`: as for Find.
  Status FindColumns(const CsrGraph& csr, const Stamp& now, bool writable);

  // The file of `spec` when it holds an earlier state than `now` (a batch
  // before now's), mapped and checked, with its stamp: a base that the
  // change log may bring up to `now`. nullopt when there is none.
  std::optional<std::pair<Stamp, std::shared_ptr<const CsrGraph>>> FindOlder(const CsrSpec& spec,
                                                                             const Stamp& now);

  // At a read-write open: a damaged-graph error when a file reflects
  // commits the store does not hold. Reads only the headers.
  Status CheckNotAhead(const Stamp& now) const;

  // Whether this process knows the file of `spec` to hold `stamp`, and
  // the columns file all of `csr`'s columns at `stamp`.
  bool Holds(const CsrSpec& spec, const Stamp& stamp);
  // Forgets what the file of `spec` holds (it was found damaged): the
  // writer's next save replaces it.
  void Forget(const CsrSpec& spec);
  bool HoldsColumns(const CsrGraph& csr, const Stamp& stamp);

  // Saves `csr` (taken at `stamp`) unless its file holds that stamp already,
  // then its columns unless its columns file holds them all at that stamp
  // (a snapshot with no columns removes the stale columns file). Removes
  // what writers killed mid-write left first. Only for the process that
  // holds write access.
  Status Save(const CsrGraph& csr, const Stamp& stamp, const Interrupt& interrupt);

  // For the integrity check: every block of every file is read and checked.
  // `problems` gets what shows damage to the graph (a file ahead of `now`,
  // when `current`: no other process can have committed since `now`),
  // `notes` a damaged or unreadable file, which is only rebuilt.
  void Check(const Stamp& now, bool current, std::vector<std::string>* problems,
             std::vector<std::string>* notes) const;

 private:
  std::string Dir() const;
  Status Ahead(const std::string& path, const Stamp& file, const Stamp& now) const;
  CsrSymbolLimits Limits() const;

  const std::string graph_dir_;
  const SymbolTable& symbols_;
  // Held while saving: the background saver and SaveSnapshotFile write the
  // same temporary files (and each removes those it finds).
  std::mutex save_mu_;
  std::mutex mu_;
  // What this process knows each file (by with_weights) to hold.
  std::optional<Stamp> on_disk_[2];
  // What this process knows each columns file to hold: a stamp and how
  // many columns.
  std::optional<std::pair<Stamp, size_t>> columns_on_disk_[2];
};

}  // namespace samverkan::storage
