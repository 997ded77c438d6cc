// The parts CsrGraph::Patched (csr_patch.cc) and its in-place variant
// (csr_patch_in_place.cc) share: a node's out-slots being rewritten, their
// order, and where each base edge position went.
#pragma once

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <utility>
#include <vector>

#include "samverkan/csr.h"
#include "samverkan/graph_view.h"
#include "samverkan/status.h"

namespace samverkan::patch {

constexpr uint32_t kGone = UINT32_MAX;

// The edges whose base slots the changes replace: those they removed and
// those they wrote (a key now holding an edge, whose slot takes the
// written state).
class ReplacedEdges {
 public:
  explicit ReplacedEdges(const CsrChanges& changes) : removed_(changes.removed_edge_ids) {
    for (const auto& c : changes.edges) {
      if (!c.removed) written_.push_back(c.edge.id);
    }
    std::sort(written_.begin(), written_.end());
  }
  bool Contains(EdgeId id) const {
    return std::binary_search(removed_.begin(), removed_.end(), id) ||
           std::binary_search(written_.begin(), written_.end(), id);
  }
  size_t written() const { return written_.size(); }

 private:
  const std::vector<EdgeId>& removed_;  // ascending (CsrChanges)
  std::vector<EdgeId> written_;
};

// One out-slot of a node being rewritten: a base slot kept, or an edge the
// changes wrote.
struct Slot {
  SymbolId type;
  uint32_t dst;      // new dense index
  uint32_t rank;     // known for written edges; read for base ones when needed
  bool has_rank;
  EdgeId id;
  double weight;
  uint32_t old_pos;  // kGone for a written edge
};

// Where each base position went (kGone: the edge left or was rewritten).
// Dense, one entry per base edge; or, when nodes keep their indexes, as
// blocks of positions that moved together (the few between two touched
// nodes) and the single slots of touched nodes that moved, which costs no
// array of the edges' size and no random reads of one.
class PositionMap {
 public:
  PositionMap(bool blocks, uint64_t base_edges) : blocks_(blocks) {
    if (!blocks) dense_.assign(base_edges, kGone);
  }

  // Base positions [old_begin, old_end) are at new_begin onwards. Added in
  // ascending order, as are Move's.
  void AddBlock(uint64_t old_begin, uint64_t old_end, uint64_t new_begin) {
    if (old_begin == old_end) return;
    if (!blocks_) {
      for (uint64_t p = old_begin; p < old_end; ++p) Move(p, new_begin + (p - old_begin));
      return;
    }
    block_starts_.push_back(old_begin);
    block_ends_.push_back(old_end);
    block_targets_.push_back(new_begin);
  }
  void Move(uint64_t old_pos, uint64_t new_pos) {
    if (!blocks_) {
      dense_[old_pos] = static_cast<uint32_t>(new_pos);
    } else {
      moved_.emplace_back(old_pos, new_pos);
    }
  }

  uint32_t Lookup(uint64_t old_pos) const {
    size_t hint = 0;
    return Lookup(old_pos, &hint);
  }
  // *hint: the block the last lookup found; a node's in-slots are in
  // position order, so the next one is often in it too.
  uint32_t Lookup(uint64_t old_pos, size_t* hint) const {
    if (!blocks_) return dense_[old_pos];
    size_t i = *hint;
    if (i >= block_starts_.size() || old_pos < block_starts_[i] || old_pos >= block_ends_[i]) {
      auto b = std::upper_bound(block_starts_.begin(), block_starts_.end(), old_pos);
      i = b == block_starts_.begin() ? kNoBlock : static_cast<size_t>(b - block_starts_.begin()) - 1;
      if (i != kNoBlock && old_pos >= block_ends_[i]) i = kNoBlock;
    }
    if (i != kNoBlock) {
      *hint = i;
      return static_cast<uint32_t>(block_targets_[i] + (old_pos - block_starts_[i]));
    }
    auto m = std::lower_bound(moved_.begin(), moved_.end(), std::make_pair(old_pos, uint64_t{0}));
    return m != moved_.end() && m->first == old_pos ? static_cast<uint32_t>(m->second) : kGone;
  }
  // Calls fn(old, new) for each base position kept.
  template <typename Fn>
  void ForEach(Fn fn) const {
    if (!blocks_) {
      for (uint64_t p = 0; p < dense_.size(); ++p) {
        if (dense_[p] != kGone) fn(p, dense_[p]);
      }
      return;
    }
    for (size_t i = 0; i < block_starts_.size(); ++i) {
      for (uint64_t p = block_starts_[i]; p < block_ends_[i]; ++p) {
        fn(p, block_targets_[i] + (p - block_starts_[i]));
      }
    }
    for (const auto& [from, to] : moved_) fn(from, to);
  }
  // Appends the new positions of old[begin, end) to *out; all must be kept.
  void LookupAll(const CsrArray<uint32_t>& old, uint64_t begin, uint64_t end,
                 std::vector<uint32_t>* out) const {
    const size_t at = out->size();
    out->resize(at + (end - begin));
    uint32_t* to = out->data() + at;
    // The block the last position was in, inline: most are in the one before.
    uint64_t start = 0, length = 0, target = 0;
    size_t hint = 0;
    for (uint64_t s = begin; s < end; ++s) {
      const uint64_t p = old[s];
      if (p - start < length) {
        *to++ = static_cast<uint32_t>(target + (p - start));
        continue;
      }
      *to++ = Lookup(p, &hint);
      if (blocks_ && hint < block_starts_.size() && p >= block_starts_[hint] &&
          p < block_ends_[hint]) {
        start = block_starts_[hint];
        length = block_ends_[hint] - start;
        target = block_targets_[hint];
      }
    }
  }

 private:
  static constexpr size_t kNoBlock = SIZE_MAX;

  bool blocks_;
  std::vector<uint32_t> dense_;
  std::vector<uint64_t> block_starts_, block_ends_, block_targets_;
  std::vector<std::pair<uint64_t, uint64_t>> moved_;  // (old, new), by old
};

// Puts a node's slots in Build's order: (type, dst), parallel edges by
// rank. The base's ranks are read from `view` only where written edges
// join a run of base edges (the base holds no ranks).
Status OrderSlots(std::vector<Slot>* slots, const GraphView& view);

}  // namespace samverkan::patch
