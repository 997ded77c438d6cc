// held_props.h: the `props` text of every edge (or every node) of one
// committed graph state, held in memory beside its CSR snapshot (issue #19
// item 3). Described for edges; kg_nodes does the same with the node
// records, by dense index.
//
// A kg_edges scan over the snapshot (snapshot_scan.h) has every column but
// props, sources and batch in arrays; props it reads from a record cursor
// that walks the out family in step. That walk (RocksDB's iterator: block
// reads, LZ4, the merging heap) was most of what a property filter cost
// beyond plain SQLite's (docs/performance.md). So the first scan that reads
// props and walks every record keeps each props text it passes, and at its
// end the process holds them (HeldPropsSlot, one per graph directory, in
// SharedGraph) for that state, named by its sequence number, the key Db's
// own CSR cache uses. Later scans of the same state copy a row's props from
// here: no record is read.
//
// Only the latest state's texts are held, and only for a scan over the
// snapshot, which a statement gets only when it reads the latest committed
// state (no uncommitted writes of its own, no older pinned state): a commit
// changes the sequence, and the next scan walks the records again.
//
// Memory: the texts themselves plus 4 bytes per edge (~47 bytes per edge on
// `medium`); a graph whose props would take more than kMaxBytes is not held.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace samverkan::sql {

class HeldProps {
 public:
  // The most text one graph's held props may take.
  static constexpr uint64_t kMaxBytes = uint64_t{512} << 20;

  size_t rows() const { return offsets_.size() - 1; }
  // The props of the edge at snapshot position `row` (< rows()).
  std::string_view text(uint32_t row) const {
    return std::string_view(chars_).substr(offsets_[row], offsets_[row + 1] - offsets_[row]);
  }
  // What holding them costs.
  uint64_t memory_bytes() const {
    return chars_.capacity() + offsets_.capacity() * sizeof(uint32_t);
  }

  // Collects the texts in position order.
  class Builder {
   public:
    explicit Builder(uint64_t rows);
    // Appends the next position's text. False, and the builder is spent
    // (Finish gives null), once the texts pass kMaxBytes.
    bool Add(std::string_view text);
    // The held texts when exactly `rows` were added, else null.
    std::shared_ptr<const HeldProps> Finish();

   private:
    std::shared_ptr<HeldProps> props_;
    uint64_t rows_;
  };

 private:
  std::vector<uint32_t> offsets_{0};  // row i is chars_[offsets_[i], offsets_[i+1])
  std::string chars_;
};

// The held props of one graph directory, for the state at one sequence
// number. Thread-safe: the connections of a process share it.
class HeldPropsSlot {
 public:
  // The texts held for the state at `sequence`, or null. Asked for another
  // state (the latest moved on), it lets go of the texts it holds.
  std::shared_ptr<const HeldProps> Find(uint64_t sequence);
  // Holds `props` for the state at `sequence`, in place of any others.
  void Hold(uint64_t sequence, std::shared_ptr<const HeldProps> props);
  // Bytes of memory the held texts take (0 when none).
  uint64_t memory_bytes() const;

 private:
  mutable std::mutex mu_;
  uint64_t sequence_ = 0;
  std::shared_ptr<const HeldProps> props_;
};

}  // namespace samverkan::sql
