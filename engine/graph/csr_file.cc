// Snapshot files: a CsrGraph's arrays on disk, memory-mapped when read
// (docs/on-disk-format.md, "Snapshot files").
//
// A header page — magic, format version, the stamp (store sequence and
// batch), the spec, the counts and a table of blocks with a CRC-32C each,
// itself under a CRC-32C — then one block per array, each starting on a
// page boundary so that the arrays can be used in place. Integers and
// doubles are the machine's little-endian bytes: a mapped file is read
// without conversion.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <list>

#include <fmt/format.h>

#include "samverkan/csr.h"
#include "snapshot_io.h"
#include "util/crc32c.h"

static_assert(std::endian::native == std::endian::little,
              "snapshot files are little-endian and read in place");

namespace samverkan {
namespace {

constexpr char kMagic[8] = {'S', 'V', 'C', 'S', 'R', '\r', '\n', '\x1a'};
// 2: edge ids in 4 bytes each when every one fits (version 1 kept them in
// 8). 3: no in positions (block 11 is empty; derived when first needed),
// node ids in 4 bytes each when every one fits, kinds and sectors in 2
// when the graph has fewer than 65,536.
// Another version is not read: the snapshot is rebuilt.
constexpr uint32_t kFormatVersion = 3;
using snapshot_io::Aligned;
using snapshot_io::Errno;
using snapshot_io::Get;
using snapshot_io::kPage;
using snapshot_io::Put;
constexpr size_t kFixedHeader = 64;
constexpr size_t kBlockEntry = 32;
constexpr uint32_t kWithWeights = 1;

// The blocks, in file order. Their ids are part of the format.
enum BlockId : uint32_t {
  kIds = 1,
  kIndexById,
  kKinds,
  kSectors,
  kOutOffsets,
  kInOffsets,
  kOutTargets,
  kInSources,
  kOutTypes,
  kInTypes,
  kInPositions,
  kEdgeIds,
  kOutWeights,
  kInWeights,
};
constexpr uint32_t kBlockCount = kInWeights;

struct Block {
  uint32_t id = 0;
  uint32_t element_size = 0;
  uint64_t offset = 0;
  uint64_t count = 0;
  uint32_t crc = 0;
};

Status Damaged(const std::string& path, std::string_view what) {
  return Status::Corruption(fmt::format("snapshot file '{}': {}", path, what));
}

// The header with the file's blocks; fields as on disk.
struct Header {
  uint32_t version = 0;
  CsrGraph::FileStamp stamp;
  uint32_t flags = 0;
  uint64_t num_nodes = 0, num_edges = 0, file_size = 0;
  std::vector<Block> blocks;  // by id - 1
};

std::string EncodeHeader(const Header& h) {
  std::string out(kMagic, sizeof kMagic);
  Put<uint32_t>(&out, h.version);
  Put<uint32_t>(&out, static_cast<uint32_t>(kFixedHeader + kBlockEntry * h.blocks.size()));
  Put<uint64_t>(&out, h.stamp.sequence);
  Put<uint64_t>(&out, h.stamp.batch);
  Put<uint32_t>(&out, h.flags);
  Put<uint32_t>(&out, static_cast<uint32_t>(h.blocks.size()));
  Put<uint64_t>(&out, h.num_nodes);
  Put<uint64_t>(&out, h.num_edges);
  Put<uint64_t>(&out, h.file_size);
  for (const Block& b : h.blocks) {
    Put<uint32_t>(&out, b.id);
    Put<uint32_t>(&out, b.element_size);
    Put<uint64_t>(&out, b.offset);
    Put<uint64_t>(&out, b.count);
    Put<uint32_t>(&out, b.crc);
    Put<uint32_t>(&out, 0);
  }
  Put<uint32_t>(&out, Crc32c(out.data(), out.size()));
  return out;
}

// Checks and decodes the header page `p` of a file of `size` bytes.
Result<Header> DecodeHeader(const char* p, uint64_t size, const std::string& path) {
  if (size < kFixedHeader || std::memcmp(p, kMagic, sizeof kMagic) != 0) {
    return Damaged(path, "not a snapshot file (no magic number)");
  }
  Header h;
  h.version = Get<uint32_t>(p + 8);
  if (h.version != kFormatVersion) {
    return Status::NotSupported(fmt::format(
        "snapshot file '{}' has format version {}; this build reads version {}", path,
        h.version, kFormatVersion));
  }
  const uint32_t header_size = Get<uint32_t>(p + 12);
  const uint32_t count = Get<uint32_t>(p + 36);
  if (count != kBlockCount || header_size != kFixedHeader + kBlockEntry * count ||
      header_size + 4 > kPage || size < header_size + 4) {
    return Damaged(path, "header of a wrong size (truncated?)");
  }
  if (Crc32c(p, header_size) != Get<uint32_t>(p + header_size)) {
    return Damaged(path, "header checksum mismatch");
  }
  h.stamp.sequence = Get<uint64_t>(p + 16);
  h.stamp.batch = Get<uint64_t>(p + 24);
  h.flags = Get<uint32_t>(p + 32);
  h.num_nodes = Get<uint64_t>(p + 40);
  h.num_edges = Get<uint64_t>(p + 48);
  h.file_size = Get<uint64_t>(p + 56);
  if (h.file_size != size) {
    return Damaged(path, fmt::format("{} bytes, the header says {} (truncated?)", size,
                                     h.file_size));
  }
  if ((h.flags & ~kWithWeights) != 0 || h.num_nodes > UINT32_MAX || h.num_edges > UINT32_MAX) {
    return Damaged(path, "header fields out of range");
  }
  for (uint32_t i = 0; i < count; ++i) {
    const char* e = p + kFixedHeader + kBlockEntry * i;
    Block b{Get<uint32_t>(e), Get<uint32_t>(e + 4), Get<uint64_t>(e + 8), Get<uint64_t>(e + 16),
            Get<uint32_t>(e + 24)};
    if (b.id != i + 1 || b.offset % kPage != 0 || b.offset < kPage || b.element_size == 0 ||
        b.element_size > 8 || b.count > size / b.element_size ||
        b.offset > size - b.count * b.element_size) {
      return Damaged(path, fmt::format("block {} lies outside the file", i + 1));
    }
    h.blocks.push_back(b);
  }
  return h;
}

// The element size and count each block must have.
Status CheckShape(const Header& h, const std::string& path) {
  const uint64_t n = h.num_nodes, m = h.num_edges;
  const uint64_t w = (h.flags & kWithWeights) ? m : 0;
  const std::pair<uint32_t, uint64_t> want[kBlockCount] = {
      {8, n},     {4, h.blocks[kIndexById - 1].count},
      {4, n},     {4, n},
      {8, n + 1}, {8, n + 1},
      {4, m},     {4, m},
      {2, m},     {2, m},
      {4, 0},     {8, m},
      {8, w},     {8, w}};
  for (uint32_t i = 0; i < kBlockCount; ++i) {
    // Node and edge ids: 8 bytes, or 4 when every one fits; kinds and
    // sectors: 4, or 2.
    const uint32_t id = i + 1;
    const bool narrow = ((id == kIds || id == kEdgeIds) && h.blocks[i].element_size == 4) ||
                        ((id == kKinds || id == kSectors) && h.blocks[i].element_size == 2);
    if ((h.blocks[i].element_size != want[i].first && !narrow) ||
        h.blocks[i].count != want[i].second) {
      return Damaged(path, fmt::format("block {} has the wrong shape", i + 1));
    }
  }
  return Status::OK();
}

// An array's bytes as a block holds them.
struct BlockData {
  const char* data;
  uint32_t element_size;
  uint64_t count;
};
// Narrowed copies of arrays, kept while the file is written.
struct Narrowed {
  std::list<std::vector<uint32_t>> u32;
  std::list<std::vector<uint16_t>> u16;
  std::vector<uint32_t>& Keep(std::vector<uint32_t>&& v) { return u32.emplace_back(std::move(v)); }
  std::vector<uint16_t>& Keep(std::vector<uint16_t>&& v) { return u16.emplace_back(std::move(v)); }
};
template <typename T>
BlockData DataOf(const CsrArray<T>& a, Narrowed*) {
  return {reinterpret_cast<const char*>(a.data()), sizeof(T), a.size()};
}
// Values in their narrow type when every one fits (copied into *narrowed),
// else wide.
template <typename W, typename N>
BlockData DataOf(const NarrowableArray<W, N>& a, Narrowed* narrowed) {
  if (a.width() == sizeof(N)) return DataOf(a.narrow(), nullptr);
  const CsrArray<W>& wide = a.wide();
  if (!std::all_of(wide.begin(), wide.end(),
                   [](W v) { return v <= std::numeric_limits<N>::max(); })) {
    return DataOf(wide, nullptr);
  }
  const auto& values = narrowed->Keep(std::vector<N>(wide.begin(), wide.end()));
  return {reinterpret_cast<const char*>(values.data()), sizeof(N), values.size()};
}
// What block `id` holds of array `a`: nothing for the in positions, which
// a reader derives (CsrGraph::DeriveInPositions).
template <typename A>
BlockData DataOf(BlockId id, const A& a, Narrowed* narrowed) {
  if (id == kInPositions) return {nullptr, 4, 0};
  return DataOf(a, narrowed);
}

// Points `a` at its block, of the width the block has (CheckShape allowed it).
template <typename T>
void ViewBlock(CsrArray<T>& a, const char* p, const Block& b) {
  a.View(reinterpret_cast<const T*>(p), b.count);
}
template <typename W, typename N>
void ViewBlock(NarrowableArray<W, N>& a, const char* p, const Block& b) {
  if (b.element_size == sizeof(N)) {
    a.View(reinterpret_cast<const N*>(p), b.count);
  } else {
    a.View(reinterpret_cast<const W*>(p), b.count);
  }
}

Status OpenError(const std::string& path) {
  if (errno == ENOENT) return Status::NotFound(fmt::format("no snapshot file '{}'", path));
  return Errno("open", path);
}

// The blocks CheckEdgePositions checks when first needed.
bool IsEdgePosition(BlockId id) { return id == kInPositions || id == kEdgeIds; }

// The checksums of the blocks for which `which(id)` holds.
Status CheckBlocks(const Header& h, const char* base, const std::string& path,
                   bool (*which)(BlockId)) {
  std::vector<snapshot_io::BlockCheck> checks;
  for (const Block& b : h.blocks) {
    if (which(static_cast<BlockId>(b.id))) {
      checks.push_back({b.id, b.offset, b.count * b.element_size, b.crc});
    }
  }
  return snapshot_io::CheckBlocks(std::move(checks), base,
                                  [&path](std::string_view what) { return Damaged(path, what); });
}

}  // namespace

// Reads and fills CsrGraph's arrays (a friend).
class CsrFile {
 public:
  // Calls fn(id, array) for each array in file order; G is CsrGraph or
  // const CsrGraph.
  template <typename G, typename Fn>
  static void ForEachArray(G& g, Fn&& fn) {
    fn(kIds, g.ids_);
    fn(kIndexById, g.index_by_id_);
    fn(kKinds, g.kinds_);
    fn(kSectors, g.sectors_);
    fn(kOutOffsets, g.out_offsets_);
    fn(kInOffsets, g.in_offsets_);
    fn(kOutTargets, g.out_targets_);
    fn(kInSources, g.in_sources_);
    fn(kOutTypes, g.out_types_);
    fn(kInTypes, g.in_types_);
    fn(kInPositions, g.in_positions_);
    fn(kEdgeIds, g.edge_ids_);
    fn(kOutWeights, g.out_weights_);
    fn(kInWeights, g.in_weights_);
  }

  static Status Save(const CsrGraph& g, const std::string& path, const CsrGraph::FileStamp& stamp,
                     const Interrupt& interrupt) {
    if (!CsrGraph::Saveable(g.spec())) {
      return Status::NotSupported("only snapshots of the whole graph are kept on disk");
    }
    // Damage is never written again under a new, valid checksum.
    SV_RETURN_IF_ERROR(g.CheckEdgePositions());
    return snapshot_io::WriteAtomically(path, interrupt, [&](int fd, const std::string& temp) {
      return WriteFile(g, fd, temp, stamp, interrupt);
    });
  }

  static Result<std::pair<CsrGraph::FileStamp, std::shared_ptr<const CsrGraph>>> Map(
      const std::string& path, const CsrSymbolLimits& limits) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return OpenError(path);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      Status s = Errno("read", path);
      ::close(fd);
      return s;
    }
    const auto size = static_cast<uint64_t>(st.st_size);
    if (size < kPage) {
      char magic[sizeof kMagic] = {};
      const bool ours = ::pread(fd, magic, sizeof magic, 0) == sizeof magic &&
                        std::memcmp(magic, kMagic, sizeof kMagic) == 0;
      ::close(fd);
      if (!ours) return Damaged(path, "not a snapshot file (no magic number)");
      return Damaged(path, fmt::format("{} bytes, shorter than its header (truncated?)", size));
    }
    SV_ASSIGN_OR_RETURN(auto mapping, snapshot_io::MapOpenFile(fd, size, path));
    const char* base = mapping->data();
    SV_ASSIGN_OR_RETURN(Header h, DecodeHeader(base, size, path));
    SV_RETURN_IF_ERROR(CheckShape(h, path));
    SV_RETURN_IF_ERROR(
        CheckBlocks(h, base, path, [](BlockId id) { return !IsEdgePosition(id); }));

    auto g = std::make_shared<CsrGraph>();
    g->spec_.with_weights = (h.flags & kWithWeights) != 0;
    g->mapping_ = mapping;
    ForEachArray(*g, [&](BlockId id, auto& a) {
      const Block& b = h.blocks[id - 1];
      ViewBlock(a, base + b.offset, b);
    });
    // What every reader relies on beyond the checksums.
    if (Status s = g->CheckAdjacencyArrays(limits); !s.ok()) return Damaged(path, s.message());
    // The edge positions when first needed (the graph keeps the mapping).
    const CsrGraph::FileStamp stamp = h.stamp;
    g->positions_checked_.store(false);
    g->check_positions_ = [g = g.get(), h = std::move(h), base, path]() -> Status {
      SV_RETURN_IF_ERROR(CheckBlocks(h, base, path, IsEdgePosition));
      if (Status s = g->DeriveInPositions(); !s.ok()) return Damaged(path, s.message());
      if (Status s = g->CheckPositionArrays(); !s.ok()) return Damaged(path, s.message());
      return Status::OK();
    };
    return std::make_pair(stamp, std::shared_ptr<const CsrGraph>(std::move(g)));
  }

  static Result<std::pair<CsrGraph::FileStamp, CsrSpec>> ReadHeader(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return OpenError(path);
    struct stat st {};
    char page[kPage] = {};
    const ssize_t got = ::fstat(fd, &st) == 0 ? ::pread(fd, page, kPage, 0) : -1;
    ::close(fd);
    if (got < 0) return Errno("read", path);
    SV_ASSIGN_OR_RETURN(Header h, DecodeHeader(page, static_cast<uint64_t>(st.st_size), path));
    SV_RETURN_IF_ERROR(CheckShape(h, path));
    CsrSpec spec;
    spec.with_weights = (h.flags & kWithWeights) != 0;
    return std::make_pair(h.stamp, spec);
  }

 private:
  static Status WriteFile(const CsrGraph& g, int fd, const std::string& path,
                          const CsrGraph::FileStamp& stamp, const Interrupt& interrupt) {
    Header h;
    h.version = kFormatVersion;
    h.stamp = stamp;
    h.flags = g.spec().with_weights ? kWithWeights : 0;
    h.num_nodes = g.num_nodes();
    h.num_edges = g.num_edges();
    // Lay the blocks out first: the header page is written last, over the
    // zeros it starts as, so that a file cut short has no valid header.
    uint64_t at = kPage;
    Narrowed narrowed;
    std::vector<BlockData> data;
    ForEachArray(g, [&](BlockId id, const auto& a) {
      const BlockData& d = data.emplace_back(DataOf(id, a, &narrowed));
      h.blocks.push_back(Block{id, d.element_size, at, d.count, 0});
      at = Aligned(at + d.count * d.element_size);
    });
    h.file_size = at;
    const std::string zeros(kPage, '\0');
    SV_RETURN_IF_ERROR(snapshot_io::WriteAll(fd, zeros.data(), kPage, path));
    uint64_t written = kPage;
    Status s;
    for (size_t i = 0; i < data.size() && s.ok(); ++i) {
      Block& b = h.blocks[i];
      s = snapshot_io::WriteBlock(fd, data[i].data, b.count * b.element_size, &b.crc, &written,
                                  path, interrupt);
    }
    SV_RETURN_IF_ERROR(s);
    const std::string header = EncodeHeader(h);
    if (::pwrite(fd, header.data(), header.size(), 0) != static_cast<ssize_t>(header.size())) {
      return Errno("write", path);
    }
    return Status::OK();
  }
};

Result<std::pair<CsrGraph::FileStamp, CsrSpec>> CsrGraph::ReadFileHeader(
    const std::string& path) {
  return CsrFile::ReadHeader(path);
}

Result<std::pair<CsrGraph::FileStamp, std::shared_ptr<const CsrGraph>>> CsrGraph::Map(
    const std::string& path, const CsrSymbolLimits& limits) {
  return CsrFile::Map(path, limits);
}

Status CsrGraph::Save(const std::string& path, const FileStamp& stamp,
                      const Interrupt& interrupt) const {
  return CsrFile::Save(*this, path, stamp, interrupt);
}

}  // namespace samverkan
