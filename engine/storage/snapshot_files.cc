#include "storage/snapshot_files.h"

#include <filesystem>

#include <fmt/format.h>

#include "storage/graph_state.h"
#include "util/directory.h"

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

CsrSymbolLimits SnapshotFiles::Limits() const {
  auto size = [&](SymbolSpace space) { return static_cast<SymbolId>(symbols_.Size(space)); };
  return {size(SymbolSpace::kKind), size(SymbolSpace::kSector), size(SymbolSpace::kEdgeType)};
}

std::string SnapshotFiles::Dir() const { return graph_dir_ + "/" + std::string(kSnapshotDir); }

std::string SnapshotFiles::PathFor(const CsrSpec& spec) const {
  return Dir() + (spec.with_weights ? "/csr-weighted.svcsr" : "/csr.svcsr");
}

std::string SnapshotFiles::ColumnsPathFor(const CsrSpec& spec) const {
  return Dir() + (spec.with_weights ? "/columns-weighted.svcol" : "/columns.svcol");
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
  auto mapped = CsrGraph::Map(path, Limits());
  if (!mapped.ok() || mapped->first != now) return std::shared_ptr<const CsrGraph>();
  std::lock_guard lock(mu_);
  on_disk_[spec.with_weights] = now;
  return mapped->second;
}

Status SnapshotFiles::FindColumns(const CsrGraph& csr, const Stamp& now, bool writable) {
  if (!CsrGraph::Saveable(csr.spec())) return Status::OK();
  const std::string path = ColumnsPathFor(csr.spec());
  auto header = CsrGraph::ReadColumnsHeader(path);
  if (!header.ok()) return Status::OK();  // none, or unreadable: build on first use
  if (writable) SV_RETURN_IF_ERROR(Ahead(path, *header, now));
  if (*header != now) return Status::OK();
  auto mapped = csr.MapColumns(path, now);
  if (!mapped.ok()) return Status::OK();
  std::lock_guard lock(mu_);
  columns_on_disk_[csr.spec().with_weights] = std::make_pair(now, *mapped);
  return Status::OK();
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
  auto mapped = CsrGraph::Map(path, Limits());
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
    const std::string columns = ColumnsPathFor(SpecOf(weighted));
    auto columns_header = CsrGraph::ReadColumnsHeader(columns);
    if (columns_header.ok()) SV_RETURN_IF_ERROR(Ahead(columns, *columns_header, now));
  }
  return Status::OK();
}

bool SnapshotFiles::Holds(const CsrSpec& spec, const Stamp& stamp) {
  std::lock_guard lock(mu_);
  return on_disk_[spec.with_weights] == stamp;
}

void SnapshotFiles::Forget(const CsrSpec& spec) {
  std::lock_guard lock(mu_);
  on_disk_[spec.with_weights].reset();
}

bool SnapshotFiles::HoldsColumns(const CsrGraph& csr, const Stamp& stamp) {
  std::lock_guard lock(mu_);
  const auto& held = columns_on_disk_[csr.spec().with_weights];
  // A mapped column found damaged was built again: the file is replaced.
  return held && held->first == stamp && held->second >= csr.column_count() &&
         !csr.mapped_columns_damaged();
}

Status SnapshotFiles::Save(const CsrGraph& csr, const Stamp& stamp, const Interrupt& interrupt) {
  if (!CsrGraph::Saveable(csr.spec())) return Status::OK();
  std::lock_guard saving(save_mu_);
  const bool weighted = csr.spec().with_weights;
  const bool csr_held = Holds(csr.spec(), stamp);
  if (csr_held && HoldsColumns(csr, stamp)) return Status::OK();
  std::error_code ec;
  fs::create_directories(Dir(), ec);
  if (ec) {
    return Status::IOError(fmt::format("cannot create '{}': {}", Dir(), ec.message()));
  }
  // Temporary files of writers killed mid-write: only the process holding
  // write access writes here, so none of them is still being written.
  if (auto names = ListDirectory(Dir()); names.ok()) {
    for (const std::string& name : *names) {
      if (name.find(kTempMark) != std::string::npos) fs::remove(Dir() + "/" + name, ec);
    }
  }
  if (!csr_held) {
    SV_RETURN_IF_ERROR(csr.Save(PathFor(csr.spec()), stamp, interrupt));
    std::lock_guard lock(mu_);
    on_disk_[weighted] = stamp;
  }
  const std::string columns_path = ColumnsPathFor(csr.spec());
  if (csr.column_count() == 0) {
    // None built yet: a columns file there is of an earlier state.
    fs::remove(columns_path, ec);
    std::lock_guard lock(mu_);
    columns_on_disk_[weighted].reset();
    return Status::OK();
  }
  SV_ASSIGN_OR_RETURN(const size_t saved, csr.SaveColumns(columns_path, stamp, interrupt));
  std::lock_guard lock(mu_);
  columns_on_disk_[weighted] = std::make_pair(stamp, saved);
  return Status::OK();
}

void SnapshotFiles::Check(const Stamp& now, bool current, std::vector<std::string>* problems,
                          std::vector<std::string>* notes) const {
  for (bool weighted : {false, true}) {
    const std::string path = PathFor(SpecOf(weighted));
    auto mapped = CsrGraph::Map(path, Limits());
    if (mapped.ok()) {
      if (Status s = mapped->second->CheckEdgePositions(); !s.ok()) mapped = s;
    }
    if (mapped.ok()) {
      Status ahead = Ahead(path, mapped->first, now);
      if (!ahead.ok() && current) problems->push_back(ahead.message());
    } else if (!mapped.status().IsNotFound()) {
      notes->push_back(fmt::format(
          "{}; it is a cache derived from the graph, not part of its data, and is rebuilt "
          "(and replaced by the next process that writes the graph)",
          mapped.status().message()));
    }
    const std::string columns = ColumnsPathFor(SpecOf(weighted));
    auto verified = CsrGraph::VerifyColumnsFile(columns);
    if (verified.ok()) {
      Status ahead = Ahead(columns, *verified, now);
      if (!ahead.ok() && current) problems->push_back(ahead.message());
    } else if (!verified.status().IsNotFound()) {
      notes->push_back(fmt::format(
          "{}; it is a cache derived from the graph, not part of its data: the columns are "
          "built again (and the file replaced by the next process that writes the graph)",
          verified.status().message()));
    }
  }
}

}  // namespace samverkan::storage
