// The memory reserve (samverkan/memory_reserve.h): an allocation that fails
// spends it, every Interrupt then reports a stop as running out of memory,
// and refilling it ends that. Running out of memory for real, in the host, is
// tested through the sqlite3 shell under `ulimit -v`
// (tests/sqlite/test_out_of_memory.py).
#include <gtest/gtest.h>

#include <cstddef>
#include <new>

#include "samverkan/interrupt.h"
#include "samverkan/memory_reserve.h"
#include "samverkan/status.h"

namespace samverkan {
namespace {

TEST(MemoryReserveTest, AFailedAllocationSpendsItAndStopsComputationsUntilRefilled) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer ends the process at an allocation larger than memory";
#else
  InstallMemoryReserve(size_t{1} << 20);
  ASSERT_FALSE(MemoryReserveSpent());
  EXPECT_FALSE(Interrupt::Never().Requested());

  // No machine has this much: the new-handler gives the reserve back, the
  // allocation is tried again and fails again, and then it throws.
  EXPECT_THROW(::operator delete(::operator new(size_t{1} << 62)), std::bad_alloc);
  EXPECT_TRUE(MemoryReserveSpent());
  EXPECT_TRUE(Interrupt::Never().Requested());
  EXPECT_EQ(Interrupt::Stopped().code(), Status::Code::kOutOfMemory);
  EXPECT_EQ(Interrupt::Stopped().message(), "out of memory");

  // Memory is back: the reserve is held again, and nothing stops.
  EXPECT_TRUE(RefillMemoryReserve());
  EXPECT_FALSE(MemoryReserveSpent());
  EXPECT_FALSE(Interrupt::Never().Requested());
  EXPECT_TRUE(Interrupt::Stopped().IsInterrupted());
  // A second install keeps the reserve there is.
  InstallMemoryReserve(size_t{1} << 10);
  EXPECT_FALSE(MemoryReserveSpent());
#endif
}

}  // namespace
}  // namespace samverkan
