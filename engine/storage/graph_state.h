// GraphState: the record a graph keeps of itself outside RocksDB's MANIFEST.
//
// RocksDB learns which table files hold the graph from its MANIFEST alone. A
// MANIFEST that lost its tail still decodes, as an older, consistent state,
// and a read-write DB::Open then deletes every table file that state does not
// list: the graph opens empty and its data is gone. No counter inside the
// store can notice, since the counters are cut off with the rest.
//
// So every graph directory holds a small file, SAMVERKAN-STATE, written
// atomically (a temporary file, fsync, rename, fsync of the directory) after
// each change of the table files (flush, compaction, ingestion) and after
// each read-write open. It records what the MANIFEST must at least describe:
// the MANIFEST file and its size, a sequence number every later state
// reaches, and the live table files. Every open compares it with what
// RocksDB reads, before any read-write open (see rocks_store.cc); a mismatch
// is a "damaged graph" error and nothing in the directory is touched.
//
// The record may lag behind the MANIFEST (a process killed between a
// compaction and the record's rewrite), never run ahead of it: it is written
// only after RocksDB has synced the change. The comparison therefore allows
// every state that is newer than the record.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/listener.h>

#include "samverkan/result.h"

namespace samverkan::storage {

inline constexpr std::string_view kGraphStateFile = "SAMVERKAN-STATE";

struct GraphState {
  uint64_t manifest_number = 0;  // MANIFEST-<number>, as CURRENT named it
  uint64_t manifest_size = 0;    // bytes of it that were synced
  uint64_t sequence = 0;         // the largest sequence number in a table file
  std::vector<uint64_t> tables;  // live table (.sst) file numbers, ascending
};

// The "damaged graph" error: a Corruption status naming `dir` and `what`,
// saying that nothing was changed and how to salvage a copy.
Status DamagedGraph(const std::string& dir, std::string_view what);

// The record in `dir`; nullopt when there is none (a graph made before
// records were kept). Corruption, naming the file, when it does not parse.
Result<std::optional<GraphState>> ReadGraphState(const std::string& dir);

// Replaces the record in `dir` atomically.
Status WriteGraphState(const std::string& dir, const GraphState& state);

// What an open DB says of itself. `floor` is the previous record's
// sequence: the recorded sequence never goes down.
Result<GraphState> ObserveGraphState(rocksdb::DB* db, uint64_t floor);

// The checks that need no open: CURRENT names the recorded MANIFEST or a
// newer one, and the recorded MANIFEST has not become shorter.
Status CheckManifestAgainst(const std::string& dir, const GraphState& recorded);

// Every table file the MANIFEST of `db` (a plain read-only open) lists is in
// the directory, with the size the MANIFEST gives it. Not for a secondary:
// it leaves the files it cannot find out of its state.
Status CheckTablesPresent(const std::string& dir, rocksdb::DB* db);

// The checks on a database opened read-only: no recorded table file is left
// out while still present (unless the open state holds newer files, as
// after a compaction that replaced it); its sequence reaches the recorded
// one.
Status CheckOpenAgainst(const std::string& dir, rocksdb::DB* db, const GraphState& recorded);

// Whether the state a secondary holds may have left out table files it
// could not find: it is older than the record (a recorded table file newer
// than every one it lists, or a lower sequence). A secondary assembles the
// newest state whose files it finds, so a missing file shows only this way;
// the MANIFEST itself then tells (CheckTablesPresent). A compaction whose
// output is empty also makes a secondary look behind: hence "may".
bool SecondaryMayBeBehind(rocksdb::DB* db, const GraphState& recorded);

// Keeps the record current on a read-write open: rewrites it after every
// flush, compaction and ingestion. Errors writing it are ignored (the old
// record only lags, which the checks allow).
class GraphStateRecorder : public rocksdb::EventListener {
 public:
  explicit GraphStateRecorder(uint64_t floor) : floor_(floor) {}

  // Records the state of `db` now.
  Status Record(rocksdb::DB* db);

  void OnFlushCompleted(rocksdb::DB* db, const rocksdb::FlushJobInfo&) override;
  void OnCompactionCompleted(rocksdb::DB* db, const rocksdb::CompactionJobInfo&) override;
  void OnExternalFileIngested(rocksdb::DB* db,
                              const rocksdb::ExternalFileIngestionInfo&) override;

 private:
  std::mutex mu_;  // one writer at a time, each with the newest state
  uint64_t floor_;
};

}  // namespace samverkan::storage
