#include "storage/rocks_store.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include "samverkan/version.h"
#include "samverkan/ignore_error.h"
#include "storage/coding.h"
#include "storage/file_logger.h"
#include "storage/graph_state.h"
#include "storage/reader_dirs.h"
#include "storage/test_hooks.h"
#include "util/directory.h"

namespace samverkan::storage {
namespace fs = std::filesystem;
namespace {

bool Supported(rocksdb::CompressionType type) {
  for (auto c : rocksdb::GetSupportedCompressions()) {
    if (c == type) return true;
  }
  return false;
}

rocksdb::CompressionType BestCompression() {
  return Supported(rocksdb::kLZ4Compression) ? rocksdb::kLZ4Compression
                                             : rocksdb::kSnappyCompression;
}

// The bottommost level holds nearly all of a graph (a bulk import's files
// go there directly), so it is compressed harder, with a 16 KiB dictionary
// per file (samples of its blocks) and the 4 KiB blocks that short
// adjacency scans want: ZSTD at level 6, 35-55% smaller than LZ4. It costs
// +30% CPU to decompress a scan of every block of the out family (whose
// records a snapshot build, a column's first build and a property read
// outside the columns take in full), measured against LZ4HC, which the out
// family used to keep for that; since the snapshot and its columns are kept
// on disk, those scans are rare, and the out family's 3.9 bytes per edge
// were what stood between the graph and its disk goal (docs/performance.md,
// "Disk beside Kùzu"). The levels above keep plain LZ4, fast to write.
// Without ZSTD, LZ4HC at level 1 with the dictionary; without that, LZ4.
void CompressTheBottom(rocksdb::ColumnFamilyOptions* o) {
  rocksdb::CompressionOptions& z = o->bottommost_compression_opts;
  z.enabled = true;
  z.max_dict_bytes = 16 << 10;
  if (Supported(rocksdb::kZSTD)) {
    o->bottommost_compression = rocksdb::kZSTD;
    z.level = 6;
    // The dictionary is made from samples of up to 1.6 MB per file (ZSTD's
    // advice: about 100 times its size) with finalizeDictionary, not the
    // trainer: 1.6% larger files, a third of the trainer's CPU time.
    z.zstd_max_train_bytes = 100 * z.max_dict_bytes;
    z.use_zstd_dict_trainer = false;
  } else if (Supported(rocksdb::kLZ4HCCompression)) {
    o->bottommost_compression = rocksdb::kLZ4HCCompression;
    z.level = 1;  // higher levels: 4% smaller at twice the CPU
  } else {
    o->bottommost_compression = BestCompression();
  }
  // For LZ4 the samples themselves are the dictionary; the data a file's
  // builder keeps in memory to draw them from, before it compresses any
  // block, is bounded.
  z.max_dict_buffer_bytes = 16 << 20;
}

// Options per column family. Adjacency and the node index are read by prefix
// scans, so they get a fixed-length prefix extractor and prefix bloom
// filters; the families looked up by name or key get whole-key bloom filters.
rocksdb::ColumnFamilyOptions CfOptions(Cf which, const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions o;
  o.compression = BestCompression();
  CompressTheBottom(&o);
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = cache;
  t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // Index and filter blocks stay in the table readers, outside the block
  // cache: charged to the cache they were evicted and re-read from disk on
  // nearly every short adjacency scan (measured: 18x slower scans).
  t.cache_index_and_filter_blocks = false;
  switch (which) {
    case kOut:
    case kIn:
      o.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(kNodeIdSize));
      o.memtable_prefix_bloom_size_ratio = 0.05;
      // Point reads of a whole adjacency key are rare (an edge by identity)
      // and nearly always of a node that has edges, which the prefix filter
      // already tells; whole keys in the filter would cost a hash per edge
      // on every write and ~1.2 bytes per edge on disk.
      t.whole_key_filtering = false;
      break;
    case kNodeIndex:
      o.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(kNodeIndexPrefixSize));
      // Read only by prefix scans (nodes of a kind or sector): whole keys in
      // the filter were 0.2 bytes per edge on `large` that no read consulted.
      t.whole_key_filtering = false;
      break;
    case kNodes:
    case kEdges:
    case kDegree:
      // Keyed by dense ids, nearly always of records that exist: a filter
      // could only answer "maybe" and costs a hash per record written.
      t.filter_policy.reset();
      break;
    default:
      break;
  }
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  return o;
}

rocksdb::DBOptions DbOptions(const Options&) {
  rocksdb::DBOptions o;
  if (auto env = TestEnv()) o.env = env.get();
  o.max_background_jobs = 2;
  o.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  o.keep_log_file_num = 2;
  o.max_file_opening_threads = 2;
  return o;
}

Status LockedBy(const std::string& path, pid_t holder) {
  return Status::Locked(
      fmt::format("graph '{}' is locked by another process (pid {})", path, holder));
}

// A RocksDB log that writes nothing.
class SilentLogger : public rocksdb::Logger {
 public:
  using rocksdb::Logger::Logv;
  void Logv(const char*, va_list) override {}
};

std::vector<rocksdb::ColumnFamilyDescriptor> Descriptors(const Options& options) {
  auto cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> d;
  for (int i = 0; i < kCfCount; ++i) {
    d.emplace_back(std::string(kCfNames[i]), CfOptions(static_cast<Cf>(i), cache));
  }
  return d;
}

}  // namespace

bool IsDatabaseDirectory(const std::string& dir) {
  std::error_code ec;
  return fs::is_regular_file(fs::path(dir) / "CURRENT", ec) &&
         fs::is_regular_file(fs::path(dir) / "IDENTITY", ec);
}

Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Status::OK();
  std::string msg = fmt::format("{}: {}", what, s.ToString());
  // A file of the graph that is gone: the graph is damaged, whatever read
  // met it (never an empty answer).
  if (s.IsPathNotFound()) {
    return Status::Corruption(fmt::format("{}: a file of the graph is missing ({})", what,
                                          s.ToString()));
  }
  if (s.IsNotFound()) return Status::NotFound(msg);
  if (s.IsCorruption()) return Status::Corruption(msg);
  if (s.IsInvalidArgument()) return Status::InvalidArgument(msg);
  if (s.IsBusy() || s.IsTryAgain()) return Status::Busy(msg);
  if (s.IsNotSupported()) return Status::NotSupported(msg);
  return Status::IOError(msg);
}

Result<std::unique_ptr<RocksStore>> RocksStore::Open(const std::string& path,
                                                     const Options& options) {
  if (path.empty()) return Status::InvalidArgument("graph path is empty");
  std::unique_ptr<RocksStore> store(new RocksStore());
  store->path_ = path;
  store->test_env_ = TestEnv();
  store->read_only_ = options.read_only;
  store->sync_commits_ = options.sync_commits;

  std::error_code ec;
  auto st = fs::status(path, ec);
  if (fs::exists(st)) {
    if (!fs::is_directory(st)) {
      return Status::InvalidArgument(
          fmt::format("'{}' is a file, not a graph directory", path));
    }
    if (fs::exists(fs::path(path) / "CURRENT")) {
      SV_RETURN_IF_ERROR(store->OpenExisting(options));
      return store;
    }
    if (!fs::is_empty(path, ec)) {
      return Status::InvalidArgument(
          fmt::format("'{}' is not a Samverkan graph: the directory holds other files", path));
    }
  }
  if (!options.create_if_missing) {
    return Status::NotFound(fmt::format("no graph at '{}'", path));
  }
  if (options.read_only) {
    return Status::NotFound(fmt::format("no graph at '{}' to open read-only", path));
  }
  SV_RETURN_IF_ERROR(store->CreateNew(options));
  return store;
}

namespace {

// The directory a new graph is made in before it is renamed to `target`:
// beside it, named for this process.
fs::path CreationDirectory(const fs::path& target, pid_t pid) {
  return target.parent_path() /
         fmt::format(".{}.creating-{}", target.filename().string(), pid);
}

// Removes what creations of `target` killed before they finished left.
void RemoveAbandonedCreations(const fs::path& target) {
  std::error_code ec;
  const std::string prefix = "." + target.filename().string() + ".creating-";
  const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  auto names = ListDirectory(parent.string());
  if (!names.ok()) return;
  for (const std::string& name : *names) {
    if (!name.starts_with(prefix)) continue;
    const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    if (pid > 0 && (pid == getpid() || (kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH))) {
      fs::remove_all(parent / name, ec);
    }
  }
}

}  // namespace

// A graph appears whole or not at all: it is made in a directory of its own
// beside `path`, with its id counters and then its format key (the mark of a
// graph), and renamed into place once that is on disk. Killed at any
// instant, a creation leaves either no graph or a whole one (and at worst a
// ".<name>.creating-<pid>" directory, removed by the next creation).
Status RocksStore::CreateNew(const Options& options) {
  const fs::path target = fs::absolute(path_);
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) {
    return Status::IOError(fmt::format("cannot create graph directory '{}': {}", path_,
                                       ec.message()));
  }
  RemoveAbandonedCreations(target);
  const fs::path making = CreationDirectory(target, getpid());
  fs::create_directory(making, ec);
  if (ec) {
    return Status::IOError(fmt::format("cannot create graph directory '{}': {}", path_,
                                       ec.message()));
  }
  Status made = MakeGraphIn(making.string(), options);
  if (made.ok()) {
    // rename(2) replaces an empty directory (one the user made for the
    // graph) and fails on one with files: another process won the race.
    if (std::rename(making.c_str(), target.c_str()) != 0) {
      const int error = errno;
      fs::remove_all(making, ec);
      if (error != ENOTEMPTY && error != EEXIST) {
        return Status::IOError(fmt::format("cannot create graph directory '{}': {}", path_,
                                           std::strerror(error)));
      }
    } else {
      int dir = ::open(target.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (dir >= 0) {
        (void)fsync(dir);
        ::close(dir);
      }
    }
  } else {
    fs::remove_all(making, ec);
    return made;
  }
  return OpenExisting(options);
}

Status RocksStore::MakeGraphIn(const std::string& dir, const Options& options) {
  rocksdb::DBOptions dbo = DbOptions(options);
  dbo.create_if_missing = true;
  dbo.create_missing_column_families = true;
  dbo.error_if_exists = true;
  dbo.info_log = OpenFileLogger(dir);
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(dbo, dir, Descriptors(options), &handles, &db);
  if (!s.ok()) return FromRocks(s, fmt::format("cannot create graph '{}'", path_));
  // The format key goes last in the same batch as the counters.
  rocksdb::WriteBatch batch;
  std::string v;
  for (auto key : {meta::kNextNodeId, meta::kNextEdgeId, meta::kNextBatchId}) {
    v.clear();
    PutFixed64BE(&v, 1);
    batch.Put(handles[kMeta], key, v);
  }
  for (auto key : {meta::kNodeCount, meta::kEdgeCount}) {
    v.clear();
    PutFixed64BE(&v, 0);
    batch.Put(handles[kMeta], key, v);
  }
  v.clear();
  PutFixed32BE(&v, kFormatVersion);
  batch.Put(handles[kMeta], meta::kFormatVersion, v);
  rocksdb::WriteOptions wo;
  wo.sync = true;
  s = db->Write(wo, &batch);
  // Flushed, so that the graph opens without replaying a log.
  if (s.ok()) s = db->Flush(rocksdb::FlushOptions(), handles);
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  rocksdb::Status closed = db->Close();
  delete db;
  if (s.ok()) s = closed;
  return FromRocks(s, fmt::format("cannot create graph '{}'", path_));
}

Status RocksStore::OpenExisting(const Options& options) {
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path_, &names);
  if (!s.ok()) {
    return Status::InvalidArgument(
        fmt::format("'{}' is not a Samverkan graph: {}", path_, s.ToString()));
  }
  // Open every family the directory has, so that a graph of a newer format
  // (with families we do not know) opens far enough to read its version.
  auto ours = Descriptors(options);
  std::vector<rocksdb::ColumnFamilyDescriptor> descs;
  std::vector<int> slot;  // descs[i] is our family slot[i], or -1
  for (const auto& name : names) {
    auto it = std::find_if(ours.begin(), ours.end(),
                           [&](const auto& d) { return d.name == name; });
    if (it != ours.end()) {
      descs.push_back(*it);
      slot.push_back(static_cast<int>(it - ours.begin()));
    } else {
      descs.emplace_back(name, rocksdb::ColumnFamilyOptions());
      slot.push_back(-1);
    }
  }
  // The graph's own record of its state, read before RocksDB reads the
  // MANIFEST: a writer may append to both meanwhile, the MANIFEST first.
  options_ = options;
  descs_ = descs;
  SV_ASSIGN_OR_RETURN(std::optional<GraphState> recorded, ReadGraphState(path_));
  if (recorded) SV_RETURN_IF_ERROR(CheckManifestAgainst(path_, *recorded));
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DBOptions dbo = DbOptions(options);
  if (options.read_only) {
    // A secondary instance reads beside a writer and can catch up with it;
    // a plain read-only open has undefined behaviour while a writer runs.
    // Its own log goes to a directory of its own; when none can be made
    // (a full disk), the reader goes without a log rather than without the
    // graph.
    // A secondary assembles the newest state whose table files it finds
    // and says nothing of the others: point lookups would answer from an
    // older state. So the MANIFEST is checked first, as for a writer.
    SV_RETURN_IF_ERROR(CheckTableFiles(recorded ? &*recorded : nullptr));
    std::error_code ec;
    auto dir = MakeReaderDirectory();
    if (dir.ok()) {
      secondary_dir_ = *dir;
      dbo.info_log = OpenFileLogger(secondary_dir_);
    } else {
      dbo.info_log = std::make_shared<SilentLogger>();
    }
    dbo.max_open_files = -1;
    const std::string own_dir = dir.ok() ? secondary_dir_ : fs::temp_directory_path(ec).string();
    s = rocksdb::DB::OpenAsSecondary(dbo, path_, own_dir, descs, &handles, &db_);
    // A secondary opens every table file its MANIFEST names; a writer that
    // compacted meanwhile has deleted some ("Can't access 000042.sst"), and
    // the next read of the MANIFEST no longer names them. Damage, unlike a
    // compaction, is still there the third time.
    for (int attempt = 1; attempt < 3 && s.IsCorruption(); ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10 * attempt));
      handles.clear();
      SV_RETURN_IF_ERROR(CheckTableFiles(recorded ? &*recorded : nullptr));
      s = rocksdb::DB::OpenAsSecondary(dbo, path_, own_dir, descs, &handles, &db_);
    }
    if (s.ok() && recorded) {
      // (A secondary drops the table files it cannot find from its state,
      // so only the record's checks apply.)
      Status checked = CheckOpenAgainst(path_, db_, *recorded);
      if (!checked.ok()) {
        for (auto* h : handles) db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
        return checked;  // the destructor closes db_
      }
    }
  } else {
    claim_ = WriteClaim::Claim(path_);
    if (!claim_) {
      return Status::Locked(
          fmt::format("graph '{}' is locked by another open in this process", path_));
    }
    // Another process writing it: the open would fail, so fail before the
    // check and before our log replaces its LOG (callers waiting for the
    // lock poll here).
    if (auto holder = LockHolder(path_)) return LockedBy(path_, *holder);
    // A read-write open deletes the table files the MANIFEST does not list:
    // it may happen only once the MANIFEST is known to list all the graph's.
    if (recorded) {
      Status checked = CheckTableFiles(&*recorded);
      // Another process writing the graph meanwhile (it compacts, and
      // deletes files) makes this open fail anyway: say so, not "damaged".
      if (!checked.ok()) {
        if (auto holder = LockHolder(path_)) return LockedBy(path_, *holder);
      }
      SV_RETURN_IF_ERROR(checked);
    }
    recorder_ = std::make_shared<GraphStateRecorder>(recorded ? recorded->sequence : 0);
    dbo.listeners.push_back(recorder_);
    write_errors_ = std::make_shared<WriteErrorWatch>();
    dbo.listeners.push_back(write_errors_);
    dbo.info_log = OpenFileLogger(path_);
    s = rocksdb::DB::Open(dbo, path_, descs, &handles, &db_);
    if (!s.ok()) {
      if (auto holder = LockHolder(path_)) return LockedBy(path_, *holder);
    }
  }
  // RocksDB reports a MANIFEST that names missing files, or that does not
  // decode, as corruption, before it deletes anything.
  if (s.IsCorruption()) return DamagedGraph(path_, s.ToString());
  if (!s.ok()) return FromRocks(s, fmt::format("cannot open graph '{}'", path_));
  if (!options.read_only) {
    RemoveStaleBulkLoads();
    // A graph made before records were kept gets its first one here. Not
    // being able to write it (a full disk) only leaves the old one behind.
    IgnoreError(recorder_->Record(db_));
  }
  for (size_t i = 0; i < handles.size(); ++i) {
    if (slot[i] >= 0) {
      handles_[slot[i]] = handles[i];
    } else {
      // Not ours: keep no handle; CheckFormat() will refuse the graph.
      s = db_->DestroyColumnFamilyHandle(handles[i]);
      s.PermitUncheckedError();
    }
  }
  SV_RETURN_IF_ERROR(CheckFormat());
  if (options.read_only) newest_table_files_ = NewestTableFiles();
  return Status::OK();
}

Status RocksStore::CheckTableFiles(const GraphState* recorded) const {
  // A writer that compacts deletes table files its MANIFEST named a moment
  // before: a missing file is damage only if it is still missing once the
  // MANIFEST is read again. While another process holds the graph for
  // writing, its compaction gets up to half a second to settle.
  Status checked;
  for (int attempt = 0; attempt < 12; ++attempt) {
    checked = CheckTableFilesOnce(recorded);
    if (checked.ok() || checked.code() != Status::Code::kCorruption) break;
    if (attempt >= 2) {
      if (!LockHolder(path_)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  return checked;
}

Status RocksStore::CheckTableFilesOnce(const GraphState* recorded) const {
  rocksdb::DBOptions dbo = DbOptions(options_);
  // Table files are not opened: the check needs their names, not contents.
  dbo.max_open_files = 32;
  // Nor does it write a log (RocksDB's would replace the graph's LOG).
  dbo.info_log = std::make_shared<SilentLogger>();
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::OpenForReadOnly(dbo, path_, descs_, &handles, &db);
  if (!s.ok()) {
    if (!read_only_) {
      if (auto holder = LockHolder(path_)) return LockedBy(path_, *holder);
    }
    if (s.IsCorruption()) return DamagedGraph(path_, s.ToString());
    return FromRocks(s, fmt::format("cannot open graph '{}'", path_));
  }
  Status checked = CheckTablesPresent(path_, db);
  if (checked.ok() && recorded) checked = CheckOpenAgainst(path_, db, *recorded);
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  db->Close().PermitUncheckedError();
  delete db;
  return checked;
}

void RocksStore::RemoveStaleBulkLoads() const {
  std::error_code ec;
  auto names = ListDirectory(path_);
  if (!names.ok()) return;
  for (const std::string& name : *names) {
    const fs::path entry = fs::path(path_) / name;
    if (name.starts_with(kBulkLoadDirPrefix) && fs::is_directory(entry, ec)) {
      fs::remove_all(entry, ec);
    }
  }
}

Status RocksStore::CheckFormat() {
  std::string v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), db_->DefaultColumnFamily(),
                               meta::kFormatVersion, &v);
  if (s.IsNotFound() || (s.ok() && v.size() != 4)) {
    return Status::InvalidArgument(
        fmt::format("'{}' is not a Samverkan graph: it has no format version", path_));
  }
  if (!s.ok()) return FromRocks(s, fmt::format("cannot read graph '{}'", path_));
  format_value_ = v;
  uint32_t version = DecodeFixed32BE(v.data());
  if (version > kFormatVersion) {
    return Status::NotSupported(fmt::format(
        "graph '{}' has on-disk format {}, newer than this build of Samverkan reads ({}); "
        "upgrade Samverkan",
        path_, version, kFormatVersion));
  }
  if (version < 1) {
    return Status::Corruption(fmt::format("graph '{}' has invalid format version {}", path_,
                                          version));
  }
  for (int i = 0; i < kCfCount; ++i) {
    if (handles_[i] == nullptr) {
      return Status::Corruption(
          fmt::format("graph '{}' lacks column family '{}'", path_, kCfNames[i]));
    }
  }
  if (version < kFormatVersion && !read_only_) return UpgradeFormat();
  return Status::OK();
}

Status RocksStore::UpgradeFormat() {
  // 1 → 2 adds the change log (meta "changes/<batch>"): the commits before
  // have no records, which readers take as "rebuild". 2 → 3 adds a second
  // encoding of edge weights, which readers take beside the first. So an
  // upgrade is the version alone; a read-only open of an older graph reads
  // it as it is (and never writes the new encoding into it).
  std::string v;
  PutFixed32BE(&v, kFormatVersion);
  rocksdb::WriteOptions wo;
  wo.sync = true;
  rocksdb::Status s = db_->Put(wo, handles_[kMeta], meta::kFormatVersion, v);
  if (!s.ok()) {
    return FromRocks(s, fmt::format("cannot upgrade graph '{}' to on-disk format {}", path_,
                                    kFormatVersion));
  }
  format_value_ = v;
  return Status::OK();
}

Status RebuildManifest(const std::string& dir, const Options& options) {
  rocksdb::DBOptions dbo = DbOptions(options);
  // A graph of a newer format may have families this build does not know:
  // they are kept, with default options.
  rocksdb::Status s =
      rocksdb::RepairDB(dir, dbo, Descriptors(options), rocksdb::ColumnFamilyOptions());
  if (!s.ok()) return FromRocks(s, fmt::format("cannot rebuild the MANIFEST of '{}'", dir));
  // RepairDB makes only the families it found table files of: the others
  // (empty ones) are made again here.
  std::vector<std::string> found;
  s = rocksdb::DB::ListColumnFamilies(dbo, dir, &found);
  if (!s.ok()) return FromRocks(s, fmt::format("cannot read the repaired '{}'", dir));
  auto wanted = Descriptors(options);
  for (const auto& name : found) {
    if (std::none_of(wanted.begin(), wanted.end(), [&](const auto& d) { return d.name == name; })) {
      wanted.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
  }
  dbo.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  s = rocksdb::DB::Open(dbo, dir, wanted, &handles, &db);
  if (!s.ok()) return FromRocks(s, fmt::format("cannot open the repaired '{}'", dir));
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  s = db->Close();
  delete db;
  return FromRocks(s, fmt::format("cannot close the repaired '{}'", dir));
}

namespace {

uint64_t CurrentLogNumber(rocksdb::DB* db) {
  std::unique_ptr<rocksdb::LogFile> log;
  if (!db->GetCurrentWalFile(&log).ok() || log == nullptr) return 0;
  return log->LogNumber();
}

}  // namespace

rocksdb::Status RocksStore::Write(const rocksdb::WriteOptions& options,
                                  rocksdb::WriteBatch* batch) const {
  // RocksDB resumes after a failed write to its log by flushing every
  // non-empty memtable, which also starts a new log. With every memtable
  // empty (the failed batch never reached one) it keeps the failed log,
  // whose writer then aborts the process at the next write (a RocksDB
  // assertion, `sync_without_flush_called_`). So a memtable is made
  // non-empty first, with the format key's own value and without the log:
  // nothing changes, and a resume always starts a new log.
  if (!format_value_.empty()) {
    rocksdb::WriteOptions unlogged;
    unlogged.disableWAL = true;
    db_->Put(unlogged, handles_[kMeta], meta::kFormatVersion, format_value_)
        .PermitUncheckedError();
  }
  rocksdb::Status s = db_->Write(options, batch);
  if (!s.ok() && failed_log_ == 0) failed_log_ = CurrentLogNumber(db_);
  return s;
}

Status RocksStore::ReadyToWrite() {
  if (read_only_ || (!write_errors_->failed() && failed_log_ == 0)) return Status::OK();
  rocksdb::Status s = db_->Resume();
  if (!s.ok()) {
    const bool full = s.subcode() == rocksdb::Status::kNoSpace ||
                      s.subcode() == rocksdb::Status::kSpaceLimit;
    return Status::IOError(fmt::format(
        "graph '{}' takes no writes since one failed ({}); it can still be read, and takes "
        "writes again {}",
        path_, s.ToString(), full ? "once the disk has space" : "once it is opened again"));
  }
  // Never write to a log a write failed on (see Write).
  if (failed_log_ != 0 && CurrentLogNumber(db_) == failed_log_) {
    return Status::IOError(fmt::format(
        "graph '{}' takes no writes since one failed, until it is opened again; it can "
        "still be read",
        path_));
  }
  write_errors_->Clear();
  failed_log_ = 0;
  return Status::OK();
}

Status RocksStore::CatchUp() {
  if (!read_only_) return Status::OK();
  // The record is read first: it never runs ahead of the MANIFEST, so the
  // state caught up with reaches it unless a table file was missing.
  SV_ASSIGN_OR_RETURN(std::optional<GraphState> recorded, ReadGraphState(path_));
  rocksdb::Status s = db_->TryCatchUpWithPrimary();
  // As at open: a table file compacted away while it was being opened.
  for (int attempt = 1; attempt < 3 && s.IsCorruption(); ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10 * attempt));
    s = db_->TryCatchUpWithPrimary();
  }
  SV_RETURN_IF_ERROR(FromRocks(s, fmt::format("cannot refresh graph '{}'", path_)));
  if (recorded && SecondaryMayBeBehind(db_, *recorded)) {
    SV_RETURN_IF_ERROR(CheckManifestAgainst(path_, *recorded));
    SV_RETURN_IF_ERROR(CheckTableFiles(nullptr));
  }
  if (MemtablesMayBeStale()) return ReopenSecondary();
  return Status::OK();
}

std::array<uint64_t, kCfCount> RocksStore::NewestTableFiles() const {
  std::array<uint64_t, kCfCount> newest{};
  for (int i = 0; i < kCfCount; ++i) {
    if (handles_[i] == nullptr) continue;
    rocksdb::ColumnFamilyMetaData meta;
    db_->GetColumnFamilyMetaData(handles_[i], &meta);
    for (const auto& level : meta.levels) {
      for (const auto& file : level.files) newest[i] = std::max(newest[i], file.file_number);
    }
  }
  return newest;
}

bool RocksStore::MemtablesMayBeStale() {
  const std::array<uint64_t, kCfCount> newest = NewestTableFiles();
  bool stale = false;
  for (int i = 0; i < kCfCount; ++i) {
    if (handles_[i] == nullptr || newest[i] <= newest_table_files_[i]) continue;
    uint64_t active = 0, immutable = 0;
    // An unknown count is taken as "holds something": a reopen is only slower.
    if (!db_->GetIntProperty(handles_[i], "rocksdb.num-entries-active-mem-table", &active) ||
        !db_->GetIntProperty(handles_[i], "rocksdb.num-entries-imm-mem-tables", &immutable) ||
        active + immutable > 0) {
      stale = true;
    }
  }
  newest_table_files_ = newest;
  return stale;
}

Status RocksStore::ReopenSecondary() {
  SV_ASSIGN_OR_RETURN(std::unique_ptr<RocksStore> fresh, Open(path_, options_));
  // The instance replaced goes to whoever still pins it (an iterator a
  // query has open), and closes when the last of them goes: now, if none.
  ReleaseInstance();
  test_env_ = std::move(fresh->test_env_);
  db_ = std::exchange(fresh->db_, nullptr);
  handles_ = std::exchange(fresh->handles_, {});
  secondary_dir_ = std::exchange(fresh->secondary_dir_, {});
  format_value_ = fresh->format_value_;
  newest_table_files_ = fresh->newest_table_files_;
  return Status::OK();
}

RocksStore::Instance::~Instance() {
  if (db != nullptr) {
    for (auto* h : handles) {
      if (h != nullptr) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    }
    db->Close().PermitUncheckedError();
    delete db;
  }
  if (!own_dir.empty()) {
    std::error_code ec;
    fs::remove_all(own_dir, ec);
  }
}

RocksStore::~RocksStore() {
  if (db_ != nullptr && !read_only_) {
    // What the memtables hold goes to table files now, so that the next
    // process to open the graph for writing (a hand-over: write_handoff.h)
    // does not replay it from the log first.
    std::vector<rocksdb::ColumnFamilyHandle*> families;
    for (auto* h : handles_) {
      if (h != nullptr) families.push_back(h);
    }
    db_->Flush(rocksdb::FlushOptions(), families).PermitUncheckedError();
  }
  // Closed here: a writer's instance is never pinned, so before claim_ goes.
  ReleaseInstance();
}

void RocksStore::ReleaseInstance() {
  instance_->env = std::move(test_env_);
  instance_->db = std::exchange(db_, nullptr);
  instance_->handles = std::exchange(handles_, {});
  instance_->own_dir = std::exchange(secondary_dir_, {});
  instance_ = std::make_shared<Instance>();
}

}  // namespace samverkan::storage
