// Running out of memory in the middle of a write, at every allocation the
// write makes in turn (as SQLite's own tests fail each malloc in turn): the
// write throws std::bad_alloc, the transaction then refuses everything but a
// rollback, and the graph is left as it was.
//
// This file replaces the global operator new of the test binary. It fails
// only while a FailAllocations scope lives, and only on the thread that made
// the scope, so the rest of the suite (and the graph's background threads)
// allocate as usual.
//
// RocksDB's own allocations are left alone, as failing them is known to end
// the process and is not ours to fix (docs/architecture.md, "Running out of
// memory"): RocksDB is not exception-safe (an iterator whose making throws
// keeps a reference that fails an assertion when the graph closes).
#include <dlfcn.h>
#include <execinfo.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "samverkan/samverkan.h"
#include "test_util.h"

namespace {

// Allocations left before one fails on this thread; < 0: none fails.
thread_local long allocations_left = -1;

bool CalledFromRocksDb() {
  void* frames[12];
  const int n = backtrace(frames, 12);
  for (int i = 0; i < n; ++i) {
    Dl_info info;
    if (dladdr(frames[i], &info) != 0 && info.dli_fname != nullptr &&
        std::strstr(info.dli_fname, "librocksdb") != nullptr) {
      return true;
    }
  }
  return false;
}

// Counts an allocation when armed; throws when it is the one to fail.
void MaybeFail() {
  if (allocations_left < 0 || CalledFromRocksDb()) return;
  if (allocations_left-- == 0) {
    allocations_left = -1;  // one failure: what handling it allocates succeeds
    throw std::bad_alloc();
  }
}

// As the library's operator new: when malloc fails, the new-handler is
// called (it frees memory, or throws) and the allocation tried again.
void* Allocate(std::size_t size) {
  MaybeFail();
  for (;;) {
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

void* AllocateAligned(std::size_t size, std::align_val_t align) {
  MaybeFail();
  const std::size_t a = static_cast<std::size_t>(align);
  for (;;) {
    if (void* p = std::aligned_alloc(a, (size + a - 1) / a * a)) return p;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

// Fails the `n`-th allocation from now on this thread (0: the next).
class FailAllocations {
 public:
  explicit FailAllocations(long n) {
    CalledFromRocksDb();  // backtrace() allocates (with malloc) on its first call
    allocations_left = n;
  }
  ~FailAllocations() { allocations_left = -1; }
};

}  // namespace

// Every form, so that no allocation of the binary is the runtime's (or
// AddressSanitizer's) while its deallocation is ours.
void* operator new(std::size_t size) { return Allocate(size); }
void* operator new[](std::size_t size) { return Allocate(size); }
void* operator new(std::size_t size, std::align_val_t a) { return AllocateAligned(size, a); }
void* operator new[](std::size_t size, std::align_val_t a) { return AllocateAligned(size, a); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return Allocate(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t& nt) noexcept {
  return operator new(size, nt);
}
void* operator new(std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  try {
    return AllocateAligned(size, a);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t& nt) noexcept {
  return operator new(size, a, nt);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}

namespace samverkan {
namespace {

using test::CountsString;
using test::E;
using test::N;

class OutOfMemoryTest : public test::DbTest {
 protected:
  void SetUp() override {
    test::DbTest::SetUp();
    auto txn = Begin("base");
    ASSERT_TRUE(txn);
    for (int i = 0; i < 40; ++i) {
      ASSERT_TRUE(txn->PutNode(N("n" + std::to_string(i), "actor")).ok());
    }
    for (int i = 1; i < 40; ++i) {
      ASSERT_TRUE(txn->PutEdge(E("n0", "knows", "n" + std::to_string(i))).ok());
    }
    ASSERT_OK(txn->Commit());
    before_ = CountsString(*db_);
  }

  // Runs `write` in a transaction that already holds writes of its own,
  // failing its k-th allocation for k = 0, 1, ... until it runs through.
  // Returns how many allocations failed.
  template <typename Write>
  int FailEachAllocationOf(Write write) {
    for (int k = 0; k < 100000; ++k) {
      auto txn = Begin();
      if (!txn) return k;
      // Enough earlier writes that the transaction's tables have grown.
      for (int i = 0; i < 30; ++i) {
        EXPECT_TRUE(txn->PutNode(N("t" + std::to_string(i), "project")).ok());
        EXPECT_TRUE(txn->PutEdge(E("n" + std::to_string(i), "funds", "t" + std::to_string(i))).ok());
      }
      bool threw = false;
      Status written;
      {
        FailAllocations fail(k);
        try {
          written = write(*txn);
        } catch (const std::bad_alloc&) {
          threw = true;
        }
      }
      if (!threw) {  // every allocation of the write has failed once
        txn->Rollback();
        if (!written.ok()) continue;
        return k;
      }
      Status commit = txn->Commit();
      EXPECT_FALSE(commit.ok()) << "allocation " << k;
      EXPECT_NE(commit.message().find("can only be rolled back"), std::string::npos)
          << commit.ToString();
      EXPECT_FALSE(txn->PutNode(N("late", "actor")).ok()) << "allocation " << k;
      txn->Rollback();
      EXPECT_EQ(CountsString(*db_), before_) << "allocation " << k;
    }
    ADD_FAILURE() << "the write never ran through";
    return 0;
  }

  void ExpectGraphWhole(int nodes_added = 0, int edges_added = 0) {
    EXPECT_EQ(CountsString(*db_), nodes_added == 0 ? before_
                                                   : "nodes=" + std::to_string(40 + nodes_added) +
                                                         " edges=" + std::to_string(39 + edges_added));
    auto report = db_->CheckIntegrity();
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_TRUE(report->ok());
    // And it takes writes again.
    auto txn = Begin();
    ASSERT_TRUE(txn);
    ASSERT_TRUE(txn->PutNode(N("after", "actor")).ok());
    ASSERT_OK(txn->Commit());
  }

  std::string before_;
};

// (The inputs are made before: only the write's own allocations fail.)
TEST_F(OutOfMemoryTest, AddingANodeFailsAtEveryAllocation) {
  NodeInput node = N("a node with a long key, longer than any short string", "actor",
                     "and a name longer than a short string too", "public");
  int failures = FailEachAllocationOf([&](Transaction& txn) { return txn.PutNode(node).status(); });
  EXPECT_GT(failures, 5);
  ExpectGraphWhole();
}

TEST_F(OutOfMemoryTest, AddingAnEdgeFailsAtEveryAllocation) {
  EdgeInput edge = E("n1", "an edge type with a name longer than a short string", "n2");
  int failures = FailEachAllocationOf([&](Transaction& txn) { return txn.PutEdge(edge).status(); });
  EXPECT_GT(failures, 5);
  ExpectGraphWhole();
}

// Properties are parsed and printed without a JSON document, whose
// destructor allocates (nlohmann::json flattens itself onto a vector in a
// noexcept destructor): a failure there ended the process.
TEST_F(OutOfMemoryTest, AddingANodeWithPropertiesFailsAtEveryAllocation) {
  NodeInput node = N("a node with properties", "actor");
  node.props = R"({"z":[1,2.5,{"deep":{"er":["x","y",null,true]}}],"a":"a string longer than )"
               R"(a short string","m":{"n":{"o":{}}},"e":-0.0,"u":"Malm\u00f6 😀"})";
  int failures = FailEachAllocationOf([&](Transaction& txn) { return txn.PutNode(node).status(); });
  EXPECT_GT(failures, 20);
  ExpectGraphWhole();
}

TEST_F(OutOfMemoryTest, MergingPropertiesFailsAtEveryAllocation) {
  {
    auto txn = Begin();
    ASSERT_TRUE(txn);
    NodeInput base = N("n1", "actor");
    base.props = R"({"keep":{"a":[1,2,3]},"drop":"x","change":{"b":1}})";
    ASSERT_TRUE(txn->PutNode(base).ok());
    ASSERT_OK(txn->Commit());
  }
  before_ = CountsString(*db_);
  NodeInput patch = N("n1", "actor");
  patch.props = R"({"drop":null,"change":{"b":{"c":[4,5]},"d":null},"new":[{"e":"f"}]})";
  int failures =
      FailEachAllocationOf([&](Transaction& txn) { return txn.MergeNode(patch).status(); });
  EXPECT_GT(failures, 20);
  ExpectGraphWhole();
  ASSERT_OK_AND_ASSIGN(NodeId id, db_->FindKey("n1"));
  ASSERT_OK_AND_ASSIGN(Node n1, db_->GetNode(id));
  EXPECT_EQ(n1.props, R"({"change":{"b":1},"drop":"x","keep":{"a":[1,2,3]}})");
}

TEST_F(OutOfMemoryTest, DeletingANodeWithEdgesFailsAtEveryAllocation) {
  int failures = FailEachAllocationOf([](Transaction& txn) {
    auto id = txn.FindKey("n0");
    return id.ok() ? txn.DeleteNode(*id) : id.status();
  });
  EXPECT_GT(failures, 5);
  ExpectGraphWhole();
}

}  // namespace
}  // namespace samverkan

namespace samverkan {
namespace {

// A commit that runs out of memory either throws before anything is
// written, and the transaction rolls back to nothing, or commits whole.
TEST_F(OutOfMemoryTest, CommittingFailsAtEveryAllocation) {
  const NodeInput node = N("a node with a long key, longer than any short string", "actor");
  const EdgeInput edge = E("n3", "an edge type with a name longer than a short string", "n4");
  for (int k = 0;; ++k) {
    ASSERT_LT(k, 100000) << "the commit never ran through";
    auto txn = Begin();
    ASSERT_TRUE(txn);
    ASSERT_TRUE(txn->PutNode(node).ok());
    ASSERT_TRUE(txn->PutEdge(edge).ok());
    bool threw = false;
    Status committed;
    {
      FailAllocations fail(k);
      try {
        committed = txn->Commit();
      } catch (const std::bad_alloc&) {
        threw = true;
      }
    }
    if (!threw) {
      ASSERT_OK(committed);
      EXPECT_EQ(CountsString(*db_), "nodes=41 edges=40");
      break;
    }
    txn->Rollback();
    ASSERT_EQ(CountsString(*db_), before_) << "allocation " << k;
  }
  ExpectGraphWhole(/*nodes_added=*/1, /*edges_added=*/1);
}

}  // namespace
}  // namespace samverkan
