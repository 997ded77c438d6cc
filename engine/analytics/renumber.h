// Renumber: dense labels for components and communities.
#pragma once

#include <cstdint>
#include <vector>

namespace samverkan::analytics {

// Numbers labels 0.. in the order of their first appearance in `label`
// (so by smallest member index); returns the count of each.
inline std::vector<uint32_t> Renumber(std::vector<uint32_t>* label) {
  std::vector<uint32_t> map(label->size(), UINT32_MAX);
  std::vector<uint32_t> size;
  for (uint32_t& l : *label) {
    if (map[l] == UINT32_MAX) {
      map[l] = static_cast<uint32_t>(size.size());
      size.push_back(0);
    }
    l = map[l];
    ++size[l];
  }
  return size;
}

}  // namespace samverkan::analytics
