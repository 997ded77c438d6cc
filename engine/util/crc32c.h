// CRC-32C (Castagnoli), the checksum of the snapshot files' header and
// blocks (docs/on-disk-format.md). With SSE4.2 it runs on the CPU's crc32
// instruction (several GB/s); elsewhere on a table, 8 bytes a step.
//
//   uint32_t crc = Crc32c(data, size);
//   crc = Crc32c(more, more_size, crc);  // the same as over both at once
#pragma once

#include <cstddef>
#include <cstdint>

namespace samverkan {

// The CRC-32C of `size` bytes at `data`, continuing `crc` (0 to start).
uint32_t Crc32c(const void* data, size_t size, uint32_t crc = 0);

}  // namespace samverkan
