// Columns files: the property columns a CsrGraph has built, on disk beside
// its snapshot file and memory-mapped with it (docs/on-disk-format.md,
// "Columns files").
//
// A header — magic, format version, the stamp (which must equal the
// snapshot file's), the snapshot's node and edge counts, a table of the
// columns and one of blocks with a CRC-32C each, all under a CRC-32C — then
// one block per array of each column, each starting on a page boundary so
// that the arrays are used in place, as the snapshot file's are.
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <list>
#include <map>
#include <tuple>
#include <type_traits>

#include <fmt/format.h>

#include "samverkan/csr.h"
#include "snapshot_io.h"
#include "util/crc32c.h"

namespace samverkan {
namespace {

using snapshot_io::Aligned;
using snapshot_io::Get;
using snapshot_io::kPage;
using snapshot_io::Put;

constexpr char kMagic[8] = {'S', 'V', 'C', 'O', 'L', '\r', '\n', '\x1a'};
// 2: values in the narrowest width their type and values allow (version 1
// kept every value in 8 bytes). 3: strings' offsets in 4 bytes each when
// the strings take less than 4 GiB. Another version is not read: the
// columns are built again.
constexpr uint32_t kFormatVersion = 3;
constexpr size_t kFixedHeader = 64;
constexpr size_t kColumnEntry = 16;  // then the key, padded to 8 bytes
constexpr size_t kBlockEntry = 32;
// Far more than any graph's columns need; a larger size is damage.
constexpr uint32_t kMaxHeader = 64 << 20;

struct Block {
  uint32_t element_size = 0;
  uint64_t offset = 0;
  uint64_t count = 0;
  uint32_t crc = 0;
};

struct ColumnEntry {
  bool edges = false;
  uint8_t field = 0;
  ColumnType type = ColumnType::kNull;
  std::string key;
  uint32_t first_block = 0, block_count = 0;
};

struct Header {
  uint32_t version = 0;
  CsrGraph::FileStamp stamp;
  uint64_t num_nodes = 0, num_edges = 0, file_size = 0;
  std::vector<ColumnEntry> columns;
  std::vector<Block> blocks;
};

Status Damaged(const std::string& path, std::string_view what) {
  return Status::Corruption(fmt::format("columns file '{}': {}", path, what));
}

size_t KeyPadded(size_t n) { return (n + 7) / 8 * 8; }

std::string EncodeHeader(const Header& h) {
  size_t size = kFixedHeader + kBlockEntry * h.blocks.size();
  for (const ColumnEntry& c : h.columns) size += kColumnEntry + KeyPadded(c.key.size());
  std::string out(kMagic, sizeof kMagic);
  Put<uint32_t>(&out, h.version);
  Put<uint32_t>(&out, static_cast<uint32_t>(size));
  Put<uint64_t>(&out, h.stamp.sequence);
  Put<uint64_t>(&out, h.stamp.batch);
  Put<uint64_t>(&out, h.num_nodes);
  Put<uint64_t>(&out, h.num_edges);
  Put<uint64_t>(&out, h.file_size);
  Put<uint32_t>(&out, static_cast<uint32_t>(h.columns.size()));
  Put<uint32_t>(&out, static_cast<uint32_t>(h.blocks.size()));
  for (const ColumnEntry& c : h.columns) {
    Put<uint8_t>(&out, c.edges ? 1 : 0);
    Put<uint8_t>(&out, c.field);
    Put<uint8_t>(&out, static_cast<uint8_t>(c.type));
    Put<uint8_t>(&out, 0);
    Put<uint32_t>(&out, static_cast<uint32_t>(c.key.size()));
    Put<uint32_t>(&out, c.first_block);
    Put<uint32_t>(&out, c.block_count);
    out += c.key;
    out.append(KeyPadded(c.key.size()) - c.key.size(), '\0');
  }
  for (const Block& b : h.blocks) {
    Put<uint32_t>(&out, b.element_size);
    Put<uint32_t>(&out, 0);
    Put<uint64_t>(&out, b.offset);
    Put<uint64_t>(&out, b.count);
    Put<uint32_t>(&out, b.crc);
    Put<uint32_t>(&out, 0);
  }
  Put<uint32_t>(&out, Crc32c(out.data(), out.size()));
  return out;
}

// The blocks a column of `type` has, in order: the null bitmap, then its
// values, then (strings, JSON) the strings' offsets and bytes.
uint32_t BlocksOf(ColumnType type) {
  switch (type) {
    case ColumnType::kNull: return 1;
    case ColumnType::kInt:
    case ColumnType::kBool:
    case ColumnType::kDate:
    case ColumnType::kDouble: return 2;
    case ColumnType::kString: return 4;
    case ColumnType::kJson: return 3;
  }
  return 0;
}

// Whether a column of `type` may hold its values in `width` bytes each.
bool ValueWidthFits(ColumnType type, uint32_t width) {
  switch (type) {
    case ColumnType::kInt: return width == 4 || width == 8;
    case ColumnType::kDouble: return width == 8;
    case ColumnType::kDate: return width == 4;
    case ColumnType::kBool: return width == 1;
    case ColumnType::kString: return width == 1 || width == 2 || width == 4;
    default: return false;
  }
}

// Row `r` of a block of unsigned codes `width` bytes wide.
uint64_t CodeAt(const char* codes, uint32_t width, uint64_t r) {
  switch (width) {
    case 1: return reinterpret_cast<const uint8_t*>(codes)[r];
    case 2: return reinterpret_cast<const uint16_t*>(codes)[r];
    default: return reinterpret_cast<const uint32_t*>(codes)[r];
  }
}

// The header's size from its first bytes, before the rest is read.
Result<uint32_t> HeaderSize(const char* p, uint64_t size, const std::string& path) {
  if (size < kFixedHeader || std::memcmp(p, kMagic, sizeof kMagic) != 0) {
    return Damaged(path, "not a columns file (no magic number)");
  }
  const uint32_t version = Get<uint32_t>(p + 8);
  if (version != kFormatVersion) {
    return Status::NotSupported(fmt::format(
        "columns file '{}' has format version {}; this build reads version {}", path, version,
        kFormatVersion));
  }
  const uint32_t header_size = Get<uint32_t>(p + 12);
  if (header_size < kFixedHeader || header_size > kMaxHeader || size < header_size + 4) {
    return Damaged(path, "header of a wrong size (truncated?)");
  }
  return header_size;
}

// Checks and decodes the header at `p` (HeaderSize(p) + 4 bytes) of a file
// of `size` bytes: its checksum, and that each block lies in the file and
// each column has the blocks its type needs, of the sizes its rows need.
Result<Header> DecodeHeader(const char* p, uint64_t size, const std::string& path) {
  SV_ASSIGN_OR_RETURN(const uint32_t header_size, HeaderSize(p, size, path));
  if (Crc32c(p, header_size) != Get<uint32_t>(p + header_size)) {
    return Damaged(path, "header checksum mismatch");
  }
  Header h;
  h.version = kFormatVersion;
  h.stamp.sequence = Get<uint64_t>(p + 16);
  h.stamp.batch = Get<uint64_t>(p + 24);
  h.num_nodes = Get<uint64_t>(p + 32);
  h.num_edges = Get<uint64_t>(p + 40);
  h.file_size = Get<uint64_t>(p + 48);
  const uint32_t column_count = Get<uint32_t>(p + 56);
  const uint32_t block_count = Get<uint32_t>(p + 60);
  if (h.file_size != size) {
    return Damaged(path, fmt::format("{} bytes, the header says {} (truncated?)", size,
                                     h.file_size));
  }
  if (h.num_nodes > UINT32_MAX || h.num_edges > UINT32_MAX) {
    return Damaged(path, "header fields out of range");
  }
  size_t at = kFixedHeader;
  for (uint32_t i = 0; i < column_count; ++i) {
    if (at + kColumnEntry > header_size) return Damaged(path, "column table out of range");
    ColumnEntry c;
    c.edges = p[at] != 0;
    c.field = static_cast<uint8_t>(p[at + 1]);
    const auto type = static_cast<uint8_t>(p[at + 2]);
    const uint32_t key_size = Get<uint32_t>(p + at + 4);
    c.first_block = Get<uint32_t>(p + at + 8);
    c.block_count = Get<uint32_t>(p + at + 12);
    at += kColumnEntry;
    if (type > static_cast<uint8_t>(ColumnType::kJson) ||
        c.field > (c.edges ? static_cast<uint8_t>(EdgeField::kProps)
                           : static_cast<uint8_t>(NodeField::kProps)) ||
        key_size > header_size || at + KeyPadded(key_size) > header_size) {
      return Damaged(path, fmt::format("column {} out of range", i + 1));
    }
    c.type = static_cast<ColumnType>(type);
    c.key.assign(p + at, key_size);
    at += KeyPadded(key_size);
    if (c.block_count != BlocksOf(c.type) || c.first_block > block_count ||
        c.block_count > block_count - c.first_block) {
      return Damaged(path, fmt::format("column {} has the wrong blocks", i + 1));
    }
    h.columns.push_back(std::move(c));
  }
  if (at + uint64_t{kBlockEntry} * block_count != header_size) {
    return Damaged(path, "header of a wrong size");
  }
  const uint64_t data_start = Aligned(header_size + 4);
  for (uint32_t i = 0; i < block_count; ++i) {
    const char* e = p + at + kBlockEntry * i;
    Block b{Get<uint32_t>(e), Get<uint64_t>(e + 8), Get<uint64_t>(e + 16), Get<uint32_t>(e + 24)};
    const bool sized = b.element_size == 1 || b.element_size == 2 || b.element_size == 4 ||
                       b.element_size == 8;
    if (b.offset % kPage != 0 || b.offset < data_start || !sized ||
        b.count > size / b.element_size || b.offset > size - b.count * b.element_size) {
      return Damaged(path, fmt::format("block {} lies outside the file", i + 1));
    }
    h.blocks.push_back(b);
  }
  // Each column's blocks: 8-byte present words, 8- or 4-byte offsets,
  // values of the widths their type allows (ValueWidthFits), 1-byte string
  // bytes.
  for (size_t i = 0; i < h.columns.size(); ++i) {
    const ColumnEntry& c = h.columns[i];
    const uint64_t rows = c.edges ? h.num_edges : h.num_nodes;
    const Block* b = &h.blocks[c.first_block];
    auto offsets = [](const Block& block) {
      return block.element_size == 8 || block.element_size == 4;
    };
    bool ok = b[0].element_size == 8 && b[0].count == (rows + 63) / 64;
    if (c.type == ColumnType::kJson) {
      ok = ok && offsets(b[1]) && b[1].count == rows + 1 && b[2].element_size == 1;
    } else if (c.type != ColumnType::kNull) {
      ok = ok && ValueWidthFits(c.type, b[1].element_size) && b[1].count == rows;
    }
    if (c.type == ColumnType::kString) {
      ok = ok && offsets(b[2]) && b[2].count >= 1 && b[3].element_size == 1;
    }
    if (!ok) return Damaged(path, fmt::format("column {} has blocks of the wrong shape", i + 1));
  }
  return h;
}

// Whether the offsets of `block` at `data` (count + 1 of them, 8 or 4
// bytes each) rise from 0 to `bytes`.
template <typename T>
bool OffsetsSpan(const T* offsets, uint64_t count, uint64_t bytes) {
  if (offsets[0] != 0 || offsets[count] != bytes) return false;
  for (uint64_t i = 0; i < count; ++i) {
    if (offsets[i] > offsets[i + 1]) return false;
  }
  return true;
}
bool OffsetsSpan(const char* data, const Block& block, uint64_t bytes) {
  if (block.element_size == 4) {
    return OffsetsSpan(reinterpret_cast<const uint32_t*>(data), block.count - 1, bytes);
  }
  return OffsetsSpan(reinterpret_cast<const uint64_t*>(data), block.count - 1, bytes);
}

// Points `strings` at the offsets in block `offsets` and the bytes in
// block `bytes`, of the width the offsets' block says.
void ViewStrings(StringList* strings, const char* base, const Block& offsets,
                 const Block& bytes) {
  if (offsets.element_size == 4) {
    strings->View(reinterpret_cast<const uint32_t*>(base + offsets.offset), offsets.count - 1,
                  base + bytes.offset, bytes.count);
  } else {
    strings->View(reinterpret_cast<const uint64_t*>(base + offsets.offset), offsets.count - 1,
                  base + bytes.offset, bytes.count);
  }
}

// Column `i` of the file mapped at `base`: its blocks' checksums, then
// what reading a value relies on beyond them (strings' offsets stay in their
// bytes, codes in their dictionary). Corruption, naming the file, if not.
Status CheckColumn(const Header& h, size_t i, const char* base, const std::string& path) {
  const ColumnEntry& c = h.columns[i];
  const Block* b = &h.blocks[c.first_block];
  for (uint32_t k = 0; k < c.block_count; ++k) {
    if (Crc32c(base + b[k].offset, b[k].count * b[k].element_size) != b[k].crc) {
      return Damaged(path, fmt::format("block {} checksum mismatch", c.first_block + k + 1));
    }
  }
  auto at = [&](const Block& block) { return base + block.offset; };
  bool ok = true;
  if (c.type == ColumnType::kJson) {
    ok = OffsetsSpan(at(b[1]), b[1], b[2].count);
  } else if (c.type == ColumnType::kString) {
    const uint64_t words = b[2].count - 1;
    ok = OffsetsSpan(at(b[2]), b[2], b[3].count);
    const char* codes = at(b[1]);
    const auto* present = reinterpret_cast<const uint64_t*>(at(b[0]));
    for (uint64_t r = 0; ok && r < b[1].count; ++r) {
      // An absent row's code is 0 and names nothing, also in an empty
      // dictionary; a present row's must name a string. A narrow code
      // can still lie past the dictionary (a 1-byte code of a
      // dictionary of 3).
      const uint64_t code = CodeAt(codes, b[1].element_size, r);
      const bool is_present = (present[r / 64] >> (r % 64)) & 1;
      ok = code < words || (!is_present && code == 0);
    }
  }
  if (!ok) return Damaged(path, fmt::format("column {} holds values out of range", i + 1));
  return Status::OK();
}

// The mapped file with its header checked; its columns are checked as they
// are first read (CheckColumn), or all of them by Verify.
Result<std::pair<std::shared_ptr<snapshot_io::Mapping>, Header>> MapWithHeader(
    const std::string& path) {
  auto damaged = [&path](std::string_view what) { return Damaged(path, what); };
  SV_ASSIGN_OR_RETURN(auto mapping, snapshot_io::MapFile(path, kFixedHeader, damaged,
                                                         /*read_ahead=*/false));
  SV_RETURN_IF_ERROR(HeaderSize(mapping->data(), mapping->size, path).status());
  SV_ASSIGN_OR_RETURN(Header h, DecodeHeader(mapping->data(), mapping->size, path));
  return std::make_pair(std::move(mapping), std::move(h));
}

}  // namespace

// Saves and maps a CsrGraph's columns (a friend of both).
class ColumnsFile {
 public:
  using Key = std::tuple<bool, int, std::string>;
  using Columns = std::vector<std::pair<Key, std::shared_ptr<const PropertyColumn>>>;

  static Columns Built(const CsrGraph& g) {
    // The mapped ones checked first: a damaged block is never written
    // again under a new, valid checksum.
    const CsrGraph::Columns checked = g.CheckedColumns();
    return Columns(checked.begin(), checked.end());
  }

  static Status Save(const Columns& columns, const CsrGraph& g, const std::string& path,
                     const CsrGraph::FileStamp& stamp, const Interrupt& interrupt) {
    return snapshot_io::WriteAtomically(path, interrupt, [&](int fd, const std::string& temp) {
      return WriteFile(columns, g, fd, temp, stamp, interrupt);
    });
  }

  static Result<size_t> Map(const CsrGraph& g, const std::string& path,
                            const CsrGraph::FileStamp& stamp) {
    SV_ASSIGN_OR_RETURN(auto mapped, MapWithHeader(path));
    auto& [mapping, h] = mapped;
    if (h.stamp != stamp) {
      return Status::InvalidArgument(
          fmt::format("columns file '{}' is of another state than the snapshot", path));
    }
    if (h.num_nodes != g.num_nodes() || h.num_edges != g.num_edges()) {
      return Damaged(path, "its rows do not match the snapshot's nodes and edges");
    }
    const char* base = mapping->data();
    auto header = std::make_shared<const Header>(std::move(h));
    std::vector<std::pair<Key, CsrGraph::UncheckedColumn>> adopted;
    for (size_t i = 0; i < header->columns.size(); ++i) {
      const ColumnEntry& c = header->columns[i];
      const Header& h = *header;
      auto column = std::make_shared<PropertyColumn>();
      column->type_ = c.type;
      column->rows_ = c.edges ? h.num_edges : h.num_nodes;
      column->mapping_ = mapping;
      const Block* b = &h.blocks[c.first_block];
      auto at = [&](const Block& block) { return base + block.offset; };
      column->present_.View(reinterpret_cast<const uint64_t*>(at(b[0])), b[0].count);
      switch (c.type) {
        case ColumnType::kNull: break;
        case ColumnType::kJson:
          ViewStrings(&column->json_, base, b[1], b[2]);
          break;
        case ColumnType::kString:
          ViewStrings(&column->dictionary_, base, b[2], b[3]);
          [[fallthrough]];
        default:
          ViewValues(column.get(), c.type, at(b[1]), b[1]);
          break;
      }
      auto check = [mapping, header, i, path] {
        return CheckColumn(*header, i, mapping->data(), path);
      };
      adopted.emplace_back(Key{c.edges, c.field, c.key},
                           CsrGraph::UncheckedColumn{std::move(column), std::move(check)});
    }
    std::lock_guard lock(g.columns_mu_);
    for (auto& [key, column] : adopted) {
      if (!g.columns_.contains(key)) g.unchecked_columns_.try_emplace(key, std::move(column));
    }
    return adopted.size();
  }

  static Result<CsrGraph::FileStamp> Verify(const std::string& path) {
    SV_ASSIGN_OR_RETURN(auto mapped, MapWithHeader(path));
    const auto& [mapping, h] = mapped;
    for (size_t i = 0; i < h.columns.size(); ++i) {
      SV_RETURN_IF_ERROR(CheckColumn(h, i, mapping->data(), path));
    }
    return h.stamp;
  }

  static Result<CsrGraph::FileStamp> ReadHeader(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return Status::NotFound(fmt::format("no columns file '{}'", path));
      return snapshot_io::Errno("open", path);
    }
    const off_t size = ::lseek(fd, 0, SEEK_END);
    char fixed[kFixedHeader] = {};
    Status s;
    std::string header;
    if (size < 0 || ::pread(fd, fixed, kFixedHeader, 0) < 0) {
      s = snapshot_io::Errno("read", path);
    } else {
      auto header_size = HeaderSize(fixed, static_cast<uint64_t>(size), path);
      if (!header_size.ok()) {
        s = header_size.status();
      } else {
        header.resize(*header_size + 4);
        if (::pread(fd, header.data(), header.size(), 0) != static_cast<ssize_t>(header.size())) {
          s = snapshot_io::Errno("read", path);
        }
      }
    }
    ::close(fd);
    SV_RETURN_IF_ERROR(s);
    SV_ASSIGN_OR_RETURN(Header h, DecodeHeader(header.data(), static_cast<uint64_t>(size), path));
    return h.stamp;
  }

 private:
  // The arrays of a column, as blocks, in file order.
  struct Array {
    const char* data;
    uint32_t element_size;
    uint64_t count;
  };
  template <typename T>
  static Array Of(const CsrArray<T>& a) {
    return {reinterpret_cast<const char*>(a.data()), sizeof(T), a.size()};
  }
  // Points `column`'s values (of `type`, in the width the block says,
  // which ValueWidthFits allowed) at `data`.
  static void ViewValues(PropertyColumn* column, ColumnType type, const char* data,
                         const Block& b) {
    column->width_ = static_cast<uint8_t>(b.element_size);
    auto view = [&](auto& array) {
      using T = std::remove_cvref_t<decltype(array[0])>;
      array.View(reinterpret_cast<const T*>(data), b.count);
    };
    if (type == ColumnType::kDouble) return view(column->doubles_);
    switch (b.element_size) {
      case 1: return view(column->codes8_);
      case 2: return view(column->codes16_);
      case 4:
        if (type == ColumnType::kString) return view(column->codes32_);
        return view(column->ints32_);  // kInt, kDate
      default: return view(column->ints_);
    }
  }
  // The array holding a column's values, in their width.
  static Array ValuesOf(const PropertyColumn& c) {
    if (c.type_ == ColumnType::kDouble) return Of(c.doubles_);
    switch (c.width_) {
      case 1: return Of(c.codes8_);
      case 2: return Of(c.codes16_);
      case 4: return c.type_ == ColumnType::kString ? Of(c.codes32_) : Of(c.ints32_);
      default: return Of(c.ints_);
    }
  }
  // Strings' offsets in 4 bytes when the strings take less than 4 GiB
  // (copied into a new array of *narrowed, unless they are held so), else 8.
  static Array OffsetsOf(const StringList& strings, std::list<std::vector<uint32_t>>* narrowed) {
    const IdArray& offsets = strings.offsets();
    if (offsets.empty()) {
      static const uint32_t kZero = 0;  // no strings: one offset
      return {reinterpret_cast<const char*>(&kZero), 4, 1};
    }
    if (offsets.width() == 4) return Of(offsets.narrow());
    if (offsets.back() > UINT32_MAX) return Of(offsets.wide());
    const auto& narrow = narrowed->emplace_back(offsets.wide().begin(), offsets.wide().end());
    return {reinterpret_cast<const char*>(narrow.data()), 4, narrow.size()};
  }
  static std::vector<Array> ArraysOf(const PropertyColumn& c,
                                     std::list<std::vector<uint32_t>>* narrowed) {
    std::vector<Array> out{Of(c.present_)};
    switch (c.type_) {
      case ColumnType::kNull: break;
      case ColumnType::kJson:
        out.push_back(OffsetsOf(c.json_, narrowed));
        out.push_back(Of(c.json_.bytes()));
        break;
      case ColumnType::kString:
        out.push_back(ValuesOf(c));
        out.push_back(OffsetsOf(c.dictionary_, narrowed));
        out.push_back(Of(c.dictionary_.bytes()));
        break;
      default: out.push_back(ValuesOf(c)); break;
    }
    return out;
  }

  static Status WriteFile(const Columns& columns, const CsrGraph& g, int fd,
                          const std::string& path, const CsrGraph::FileStamp& stamp,
                          const Interrupt& interrupt) {
    Header h;
    h.version = kFormatVersion;
    h.stamp = stamp;
    h.num_nodes = g.num_nodes();
    h.num_edges = g.num_edges();
    std::vector<Array> arrays;
    std::list<std::vector<uint32_t>> narrowed;  // offsets copied to 4 bytes each
    for (const auto& [key, column] : columns) {
      const auto& [edges, field, name] = key;
      ColumnEntry c{edges, static_cast<uint8_t>(field), column->type_, name,
                    static_cast<uint32_t>(arrays.size()), BlocksOf(column->type_)};
      for (const Array& a : ArraysOf(*column, &narrowed)) arrays.push_back(a);
      h.columns.push_back(std::move(c));
    }
    // Lay the blocks out first: the header is written last, over the zeros
    // it starts as, so that a file cut short has no valid header.
    for (size_t i = 0; i < arrays.size(); ++i) h.blocks.push_back({arrays[i].element_size, 0, arrays[i].count, 0});
    const uint64_t header_bytes = EncodeHeader(h).size();
    uint64_t at = Aligned(header_bytes);
    for (Block& b : h.blocks) {
      b.offset = at;
      at = Aligned(at + b.count * b.element_size);
    }
    h.file_size = at;
    const std::string zeros(Aligned(header_bytes), '\0');
    SV_RETURN_IF_ERROR(snapshot_io::WriteAll(fd, zeros.data(), zeros.size(), path));
    uint64_t written = zeros.size();
    for (size_t i = 0; i < arrays.size(); ++i) {
      SV_RETURN_IF_ERROR(snapshot_io::WriteBlock(fd, arrays[i].data,
                                                 arrays[i].count * arrays[i].element_size,
                                                 &h.blocks[i].crc, &written, path, interrupt));
    }
    const std::string header = EncodeHeader(h);
    if (::pwrite(fd, header.data(), header.size(), 0) != static_cast<ssize_t>(header.size())) {
      return snapshot_io::Errno("write", path);
    }
    return Status::OK();
  }
};

size_t CsrGraph::column_count() const {
  std::lock_guard lock(columns_mu_);
  return columns_.size() + unchecked_columns_.size();
}

Result<size_t> CsrGraph::SaveColumns(const std::string& path, const FileStamp& stamp,
                                     const Interrupt& interrupt) const {
  if (!Saveable(spec())) {
    return Status::NotSupported("only snapshots of the whole graph are kept on disk");
  }
  auto columns = ColumnsFile::Built(*this);
  SV_RETURN_IF_ERROR(ColumnsFile::Save(columns, *this, path, stamp, interrupt));
  return columns.size();
}

Result<size_t> CsrGraph::MapColumns(const std::string& path, const FileStamp& stamp) const {
  return ColumnsFile::Map(*this, path, stamp);
}

Result<CsrGraph::FileStamp> CsrGraph::ReadColumnsHeader(const std::string& path) {
  return ColumnsFile::ReadHeader(path);
}

Result<CsrGraph::FileStamp> CsrGraph::VerifyColumnsFile(const std::string& path) {
  return ColumnsFile::Verify(path);
}

}  // namespace samverkan
