// The memory reserve: memory held back so that running out of it is an
// error for the statement, not the end of the host process.
//
// Our own code treats a failed allocation (std::bad_alloc) as an error. Some
// code it runs cannot: nlohmann::json's destructor allocates, and it is
// noexcept, so a document destroyed while memory is short ends the process
// (std::terminate); RocksDB is not exception-safe, and an allocation that
// throws inside it can leave its reference counts wrong (an assertion, or
// worse, later). Such allocations come right after ours fail, while the
// stack unwinds, or in the loop that was running when memory ran out.
//
// So a host installs a new-handler (InstallMemoryReserve): the first
// operator new that fails gives the reserve back to the C library and is
// retried, so that it, and the allocations that follow it while the failing
// computation stops, succeed. The reserve is then spent. Long computations
// notice through their Interrupt: Requested() is true while the reserve is
// spent, and Interrupt::Stopped() is then Status::OutOfMemory. The SQL
// extension and the CLI refill the reserve when a call starts
// (RefillMemoryReserve), which succeeds once the failed computation has
// freed what it held.
//
// A new-handler is process-wide: a handler the host had installed before is
// called once the reserve is spent, as it was before.
#pragma once

#include <cstddef>
#include <cstdint>

namespace samverkan {

// Large enough for what an unwinding statement allocates (a RocksDB read,
// the containers a destructor flattens), small beside any memory limit a
// graph database can run under.
inline constexpr size_t kMemoryReserveBytes = size_t{16} << 20;

// Allocates the reserve and installs the new-handler that spends it. Only
// the first call does anything; later ones (another connection loading the
// extension) keep the handler and reserve there are.
void InstallMemoryReserve(size_t bytes = kMemoryReserveBytes);

// True from the allocation failure that spent the reserve until it is
// refilled. Cheap: one relaxed atomic load. False without a reserve.
bool MemoryReserveSpent();

// MemoryReserveSpent(), or (at every 256th call of all threads) no room for
// kMemoryHeadroomBytes beyond the reserve: a probe allocation with operator
// new, which spends the reserve when it fails. Called before each call into
// RocksDB (storage/reader.cc), which allocates with malloc in places it does
// not check: its block cache's LRUCacheShard::Insert writes through the
// null pointer malloc returns when the address space is exhausted (a
// `ulimit -v`). The probe makes that exhaustion show on our side of the
// call first, as std::bad_alloc, while there is still room for the reads
// between two probes. False without a reserve.
bool MemoryIsShort();
// The same, with the calls between two probes counted in `*calls`, which
// the caller keeps (an iterator's steps): threads that step their own
// iterators then write no shared counter on every step.
bool MemoryIsShort(uint32_t* calls);
inline constexpr size_t kMemoryHeadroomBytes = size_t{2} << 20;

// Allocates the reserve again if it was spent. False when that fails
// (memory is still short): the caller goes on without a reserve.
bool RefillMemoryReserve();

}  // namespace samverkan
