#include "storage/snapshot_files.h"

#include <filesystem>

#include <fmt/format.h>

#include "storage/graph_state.h"

namespace samverkan::storage {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTempMark = ".tmp-";

CsrSpec SpecOf(bool with_weights) {
  CsrSpec spec;
  spec.with_weights = with_weights;
  return spec;
}

}  // namespace

std::string SnapshotFiles::Dir() const { return graph_dir_ + "/" + std::string(kSnapshotDir); }

std::string SnapshotFiles::PathFor(const CsrSpec& spec) const {
  return Dir() + (spec.with_weights ? "/csr-weighted.svcsr" : "/csr.svcsr");
}

Status SnapshotFiles::Ahead(const std::string& path, const Stamp& file, const Stamp& now) const {
  if (file.batch <= now.batch) return Status::OK();
  return DamagedGraph(
      graph_dir_,
      fmt::format("its snapshot file '{}' reflects commits up to batch {}, but the store holds "
                  "them only up to batch {}: committed transactions are missing from the store",
                  path, file.batch, now.batch));
}

Result<std::shared_ptr<const CsrGraph>> SnapshotFiles::Find(const CsrSpec& spec,
                                                            const Stamp& now, bool writable) {
  if (!CsrGraph::Saveable(spec)) return std::shared_ptr<const CsrGraph>();
  const std::string path = PathFor(spec);
  // The header first: a stale file (the usual case after a commit) is
  // never mapped.
  auto header = CsrGraph::ReadFileHeader(path);
  if (!header.ok()) return std::shared_ptr<const CsrGraph>();  // none, or unreadable: rebuild
  if (writable) SV_RETURN_IF_ERROR(Ahead(path, header->first, now));
  if (header->first != now || header->second.with_weights != spec.with_weights) {
    return std::shared_ptr<const CsrGraph>();
  }
  auto mapped = CsrGraph::Map(path);
  if (!mapped.ok() || mapped->first != now) return std::shared_ptr<const CsrGraph>();
  std::lock_guard lock(mu_);
  on_disk_[spec.with_weights] = now;
  return mapped->second;
}

std::optional<std::pair<SnapshotFiles::Stamp, std::shared_ptr<const CsrGraph>>>
SnapshotFiles::FindOlder(const CsrSpec& spec, const Stamp& now) {
  if (!CsrGraph::Saveable(spec)) return std::nullopt;
  const std::string path = PathFor(spec);
  auto header = CsrGraph::ReadFileHeader(path);
  if (!header.ok() || header->second.with_weights != spec.with_weights ||
      header->first.batch >= now.batch || header->first.sequence >= now.sequence) {
    return std::nullopt;
  }
  auto mapped = CsrGraph::Map(path);
  if (!mapped.ok() || mapped->first != header->first) return std::nullopt;
  std::lock_guard lock(mu_);
  on_disk_[spec.with_weights] = mapped->first;
  return *std::move(mapped);
}

Status SnapshotFiles::CheckNotAhead(const Stamp& now) const {
  for (bool weighted : {false, true}) {
    const std::string path = PathFor(SpecOf(weighted));
    auto header = CsrGraph::ReadFileHeader(path);
    if (header.ok()) SV_RETURN_IF_ERROR(Ahead(path, header->first, now));
  }
  return Status::OK();
}

bool SnapshotFiles::Holds(const CsrSpec& spec, const Stamp& stamp) {
  std::lock_guard lock(mu_);
  return on_disk_[spec.with_weights] == stamp;
}

Status SnapshotFiles::Save(const CsrGraph& csr, const Stamp& stamp, const Interrupt& interrupt) {
  if (!CsrGraph::Saveable(csr.spec())) return Status::OK();
  const bool weighted = csr.spec().with_weights;
  {
    std::lock_guard lock(mu_);
    if (on_disk_[weighted] == stamp) return Status::OK();
  }
  std::error_code ec;
  fs::create_directories(Dir(), ec);
  if (ec) {
    return Status::IOError(fmt::format("cannot create '{}': {}", Dir(), ec.message()));
  }
  // Temporary files of writers killed mid-write: only the process holding
  // write access writes here, so none of them is still being written.
  for (const auto& entry : fs::directory_iterator(Dir(), ec)) {
    if (entry.path().filename().string().find(kTempMark) != std::string::npos) {
      fs::remove(entry.path(), ec);
    }
  }
  SV_RETURN_IF_ERROR(csr.Save(PathFor(csr.spec()), stamp, interrupt));
  std::lock_guard lock(mu_);
  on_disk_[weighted] = stamp;
  return Status::OK();
}

void SnapshotFiles::Check(const Stamp& now, bool current, std::vector<std::string>* problems,
                          std::vector<std::string>* notes) const {
  for (bool weighted : {false, true}) {
    const std::string path = PathFor(SpecOf(weighted));
    auto mapped = CsrGraph::Map(path);
    if (mapped.ok()) {
      Status ahead = Ahead(path, mapped->first, now);
      if (!ahead.ok() && current) problems->push_back(ahead.message());
    } else if (!mapped.status().IsNotFound()) {
      notes->push_back(fmt::format(
          "{}; it is a cache derived from the graph, not part of its data, and is rebuilt "
          "(and replaced by the next process that writes the graph)",
          mapped.status().message()));
    }
  }
}

}  // namespace samverkan::storage
