#include "storage/graph_state.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include "samverkan/ignore_error.h"

namespace samverkan::storage {
namespace {

constexpr std::string_view kMagic = "samverkan-graph-state 1";

Status Damaged(const std::string& dir, std::string_view what) { return DamagedGraph(dir, what); }

std::optional<uint64_t> ParseNumber(std::string_view s) {
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return n;
}

// "MANIFEST-000012" -> 12
std::optional<uint64_t> ManifestNumber(std::string_view name) {
  constexpr std::string_view kPrefix = "MANIFEST-";
  if (!name.starts_with(kPrefix)) return std::nullopt;
  return ParseNumber(name.substr(kPrefix.size()));
}

std::string ManifestName(uint64_t number) { return fmt::format("MANIFEST-{:06}", number); }
std::string TableName(uint64_t number) { return fmt::format("{:06}.sst", number); }

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

Status SyncPath(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Status::IOError(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  int rc = ::fsync(fd);
  int error = errno;
  ::close(fd);
  if (rc != 0) return Status::IOError(fmt::format("cannot sync '{}': {}", path, std::strerror(error)));
  return Status::OK();
}

}  // namespace

Status DamagedGraph(const std::string& dir, std::string_view what) {
  return Status::Corruption(fmt::format(
      "graph '{}' is damaged: {}; nothing in the directory was changed "
      "('samverkan check --repair OUT' salvages what is readable into a new graph)",
      dir, what));
}

Result<std::optional<GraphState>> ReadGraphState(const std::string& dir) {
  const std::string path = dir + "/" + std::string(kGraphStateFile);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!Exists(path)) return std::optional<GraphState>();
    return Status::IOError(fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
  }
  auto bad = [&](std::string_view why) {
    return Damaged(dir, fmt::format("its state record '{}' is unreadable ({})", path, why));
  };
  std::string line;
  if (!std::getline(in, line) || line != kMagic) return bad("no header");
  GraphState state;
  bool manifest = false, sequence = false, tables = false;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string key;
    words >> key;
    std::vector<std::string> values;
    for (std::string w; words >> w;) values.push_back(w);
    if (key == "manifest" && values.size() == 2) {
      auto number = ManifestNumber(values[0]);
      auto size = ParseNumber(values[1]);
      if (!number || !size) return bad("bad manifest line");
      state.manifest_number = *number;
      state.manifest_size = *size;
      manifest = true;
    } else if (key == "sequence" && values.size() == 1) {
      auto n = ParseNumber(values[0]);
      if (!n) return bad("bad sequence line");
      state.sequence = *n;
      sequence = true;
    } else if (key == "tables") {
      for (const auto& v : values) {
        auto n = ParseNumber(v);
        if (!n) return bad("bad tables line");
        state.tables.push_back(*n);
      }
      tables = true;
    } else if (key == "end" && values.empty()) {
      if (!manifest || !sequence || !tables) return bad("missing lines");
      std::sort(state.tables.begin(), state.tables.end());
      return std::optional<GraphState>(std::move(state));
    } else {
      return bad(fmt::format("unexpected line '{}'", line));
    }
  }
  return bad("no end line");
}

Status WriteGraphState(const std::string& dir, const GraphState& state) {
  std::string text = fmt::format("{}\nmanifest {} {}\nsequence {}\ntables", kMagic,
                                 ManifestName(state.manifest_number), state.manifest_size,
                                 state.sequence);
  for (uint64_t t : state.tables) text += fmt::format(" {}", t);
  text += "\nend\n";
  const std::string path = dir + "/" + std::string(kGraphStateFile);
  const std::string temp = path + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IOError(fmt::format("cannot write '{}': {}", temp, std::strerror(errno)));
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const int write_error = errno;
  const bool synced = done == text.size() && ::fsync(fd) == 0;
  const int sync_error = errno;
  ::close(fd);
  if (!synced || std::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = done < text.size() ? write_error : (synced ? errno : sync_error);
    ::unlink(temp.c_str());
    return Status::IOError(fmt::format("cannot write '{}': {}", path, std::strerror(error)));
  }
  return SyncPath(dir, O_RDONLY | O_DIRECTORY);
}

Result<GraphState> ObserveGraphState(rocksdb::DB* db, uint64_t floor) {
  GraphState state;
  std::vector<std::string> files;
  // Without a flush: the record describes what is on disk now.
  rocksdb::Status s = db->GetLiveFiles(files, &state.manifest_size, /*flush_memtable=*/false);
  if (!s.ok()) return Status::IOError(fmt::format("cannot list the files of '{}': {}",
                                                  db->GetName(), s.ToString()));
  for (const auto& f : files) {
    std::string_view name(f);
    if (name.starts_with("/")) name.remove_prefix(1);
    if (auto n = ManifestNumber(name)) state.manifest_number = *n;
  }
  if (state.manifest_number == 0) {
    return Status::Internal(fmt::format("'{}' lists no MANIFEST", db->GetName()));
  }
  std::vector<rocksdb::LiveFileMetaData> tables;
  db->GetLiveFilesMetaData(&tables);
  state.sequence = floor;
  for (const auto& t : tables) {
    state.tables.push_back(t.file_number);
    state.sequence = std::max<uint64_t>(state.sequence, t.largest_seqno);
  }
  std::sort(state.tables.begin(), state.tables.end());
  return state;
}

Status CheckManifestAgainst(const std::string& dir, const GraphState& recorded) {
  // A writer opening beside us may switch CURRENT to a new MANIFEST and
  // delete the old one between our reading CURRENT and the MANIFEST: then
  // CURRENT is read again.
  for (int attempt = 0;; ++attempt) {
    std::ifstream current(dir + "/CURRENT");
    std::string name;
    if (!current || !std::getline(current, name)) {
      return Damaged(dir, "its CURRENT file is missing or empty");
    }
    auto number = ManifestNumber(name);
    if (!number) return Damaged(dir, fmt::format("its CURRENT file names '{}'", name));
    if (*number < recorded.manifest_number) {
      return Damaged(dir, fmt::format("CURRENT names {}, older than the {} the graph recorded",
                                      name, ManifestName(recorded.manifest_number)));
    }
    if (*number > recorded.manifest_number) return Status::OK();
    struct stat st;
    const std::string path = dir + "/" + name;
    if (::stat(path.c_str(), &st) != 0) {
      if (attempt < 3) continue;
      return Damaged(dir, fmt::format("its {} is missing", name));
    }
    if (static_cast<uint64_t>(st.st_size) < recorded.manifest_size) {
      return Damaged(dir, fmt::format("its {} has {} bytes, fewer than the {} the graph "
                                      "recorded: it lost its tail",
                                      name, st.st_size, recorded.manifest_size));
    }
    return Status::OK();
  }
}

Status CheckTablesPresent(const std::string& dir, rocksdb::DB* db) {
  std::vector<rocksdb::LiveFileMetaData> tables;
  db->GetLiveFilesMetaData(&tables);
  std::vector<std::string> missing, resized;
  for (const auto& t : tables) {
    struct stat st;
    const std::string name = TableName(t.file_number);
    if (::stat((dir + "/" + name).c_str(), &st) != 0) {
      missing.push_back(name);
    } else if (static_cast<uint64_t>(st.st_size) != t.size) {
      resized.push_back(fmt::format("{} has {} bytes, not {}", name, st.st_size, t.size));
    }
  }
  if (!missing.empty()) {
    return Damaged(dir, fmt::format("table files listed by its MANIFEST are missing: {}",
                                    fmt::join(missing, ", ")));
  }
  if (!resized.empty()) {
    return Damaged(dir, fmt::format("table files listed by its MANIFEST changed size: {}",
                                    fmt::join(resized, "; ")));
  }
  return Status::OK();
}

bool SecondaryMayBeBehind(rocksdb::DB* db, const GraphState& recorded) {
  std::vector<rocksdb::LiveFileMetaData> tables;
  db->GetLiveFilesMetaData(&tables);
  uint64_t newest_listed = 0;
  for (const auto& t : tables) newest_listed = std::max<uint64_t>(newest_listed, t.file_number);
  return (!recorded.tables.empty() && recorded.tables.back() > newest_listed) ||
         db->GetLatestSequenceNumber() < recorded.sequence;
}

Status CheckOpenAgainst(const std::string& dir, rocksdb::DB* db, const GraphState& recorded) {
  std::vector<rocksdb::LiveFileMetaData> tables;
  db->GetLiveFilesMetaData(&tables);
  std::set<uint64_t> listed;
  for (const auto& t : tables) listed.insert(t.file_number);
  const uint64_t newest_listed = listed.empty() ? 0 : *listed.rbegin();
  std::vector<std::string> unlisted;
  for (uint64_t t : recorded.tables) {
    // A table the open state lacks is fine when it is gone (a later
    // compaction replaced it and deleted it), or when the open state has
    // files newer than it (replaced, not yet deleted when the process died).
    if (listed.count(t) == 0 && t > newest_listed && Exists(dir + "/" + TableName(t))) {
      unlisted.push_back(TableName(t));
    }
  }
  if (!unlisted.empty()) {
    return Damaged(dir, fmt::format("its MANIFEST no longer lists table files that hold its "
                                    "data: {}",
                                    fmt::join(unlisted, ", ")));
  }
  const uint64_t sequence = db->GetLatestSequenceNumber();
  if (sequence < recorded.sequence) {
    return Damaged(dir, fmt::format("its MANIFEST describes sequence {}, older than the {} the "
                                    "graph recorded",
                                    sequence, recorded.sequence));
  }
  return Status::OK();
}

Status GraphStateRecorder::Record(rocksdb::DB* db) {
  std::lock_guard lock(mu_);
  SV_ASSIGN_OR_RETURN(GraphState state, ObserveGraphState(db, floor_));
  SV_RETURN_IF_ERROR(WriteGraphState(db->GetName(), state));
  floor_ = state.sequence;
  return Status::OK();
}

// The listeners record what they can: a record that cannot be written (a
// full disk) leaves the previous one, which the next event or open renews.
void GraphStateRecorder::OnFlushCompleted(rocksdb::DB* db, const rocksdb::FlushJobInfo&) {
  IgnoreError(Record(db));
}

void GraphStateRecorder::OnCompactionCompleted(rocksdb::DB* db,
                                               const rocksdb::CompactionJobInfo&) {
  IgnoreError(Record(db));
}

void GraphStateRecorder::OnExternalFileIngested(rocksdb::DB* db,
                                                const rocksdb::ExternalFileIngestionInfo&) {
  IgnoreError(Record(db));
}

}  // namespace samverkan::storage
