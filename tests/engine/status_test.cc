// Status and Result.
#include <gtest/gtest.h>

#include <string>

#include "samverkan/result.h"
#include "samverkan/status.h"
#include "test_util.h"

namespace samverkan {
namespace {

TEST(StatusTest, OkHasNoCodeOrMessage) {
  Status s = Status::OK();
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_FALSE(s.IsNotFound());
  Status d;
  EXPECT_TRUE(d.ok());
}

TEST(StatusTest, CodesAreStable) {
  EXPECT_EQ(static_cast<int>(Status::Code::kOk), 0);
  EXPECT_EQ(static_cast<int>(Status::Code::kNotFound), 1);
  EXPECT_EQ(static_cast<int>(Status::Code::kInvalidArgument), 2);
  EXPECT_EQ(static_cast<int>(Status::Code::kCorruption), 3);
  EXPECT_EQ(static_cast<int>(Status::Code::kIOError), 4);
  EXPECT_EQ(static_cast<int>(Status::Code::kLocked), 5);
  EXPECT_EQ(static_cast<int>(Status::Code::kBusy), 6);
  EXPECT_EQ(static_cast<int>(Status::Code::kNotSupported), 7);
  EXPECT_EQ(static_cast<int>(Status::Code::kReadOnly), 8);
  EXPECT_EQ(static_cast<int>(Status::Code::kInternal), 9);
  EXPECT_EQ(static_cast<int>(Status::Code::kInterrupted), 10);
  EXPECT_EQ(static_cast<int>(Status::Code::kOutOfMemory), 11);
}

TEST(StatusTest, FactoriesSetCodeAndMessage) {
  struct Case {
    Status s;
    Status::Code code;
  };
  Case cases[] = {
      {Status::NotFound("m1"), Status::Code::kNotFound},
      {Status::InvalidArgument("m2"), Status::Code::kInvalidArgument},
      {Status::Corruption("m3"), Status::Code::kCorruption},
      {Status::IOError("m4"), Status::Code::kIOError},
      {Status::Locked("m5"), Status::Code::kLocked},
      {Status::Busy("m6"), Status::Code::kBusy},
      {Status::NotSupported("m7"), Status::Code::kNotSupported},
      {Status::ReadOnly("m8"), Status::Code::kReadOnly},
      {Status::Internal("m9"), Status::Code::kInternal},
      {Status::Interrupted("m10"), Status::Code::kInterrupted},
      {Status::OutOfMemory("m11"), Status::Code::kOutOfMemory},
  };
  int i = 1;
  for (const Case& c : cases) {
    EXPECT_FALSE(c.s.ok());
    EXPECT_EQ(c.s.code(), c.code);
    EXPECT_EQ(c.s.message(), "m" + std::to_string(i));
    ++i;
  }
  EXPECT_TRUE(Status::NotFound("x").IsNotFound());
  EXPECT_TRUE(Status::InvalidArgument("x").IsInvalidArgument());
  EXPECT_TRUE(Status::Locked("x").IsLocked());
  EXPECT_FALSE(Status::Busy("x").IsLocked());
}

TEST(StatusTest, CodeNames) {
  EXPECT_EQ(CodeName(Status::Code::kNotFound), "not found");
  EXPECT_EQ(CodeName(Status::Code::kInvalidArgument), "invalid argument");
}

TEST(StatusTest, ToStringIsCodeNameThenMessage) {
  EXPECT_EQ(Status::NotFound("unknown node 'org:x'").ToString(),
            "not found: unknown node 'org:x'");
  EXPECT_EQ(Status::InvalidArgument("empty key").ToString(), "invalid argument: empty key");
  Status s = Status::Locked("graph is locked");
  EXPECT_EQ(s.ToString(), std::string(CodeName(Status::Code::kLocked)) + ": graph is locked");
}

TEST(StatusTest, WithContextPrefixesAndKeepsCode) {
  Status s = Status::NotFound("unknown node 'org:x'").WithContext("kg_neighbors");
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.message(), "kg_neighbors: unknown node 'org:x'");
  EXPECT_EQ(s.ToString(), "not found: kg_neighbors: unknown node 'org:x'");
}

TEST(StatusTest, CopyAndMove) {
  Status a = Status::Busy("another transaction");
  Status b = a;  // copy
  EXPECT_EQ(b.code(), Status::Code::kBusy);
  EXPECT_EQ(b.message(), "another transaction");
  EXPECT_EQ(a.message(), "another transaction");
  Status c;
  c = a;  // copy-assign
  EXPECT_EQ(c.ToString(), a.ToString());
  Status d = std::move(a);
  EXPECT_EQ(d.code(), Status::Code::kBusy);
  EXPECT_EQ(d.message(), "another transaction");
  // Copying an OK status gives OK.
  Status ok;
  Status ok2 = ok;
  EXPECT_TRUE(ok2.ok());
  c = ok;
  EXPECT_TRUE(c.ok());
  EXPECT_EQ(c.message(), "");
}

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument("odd");
  return x / 2;
}

Status UseHalf(int x, int* out) {
  SV_ASSIGN_OR_RETURN(int h, Half(x));
  SV_RETURN_IF_ERROR(h > 10 ? Status::InvalidArgument("too big") : Status::OK());
  *out = h;
  return Status::OK();
}

TEST(ResultTest, ValueAndStatus) {
  Result<int> r = Half(8);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 4);
  EXPECT_EQ(r.value(), 4);
  EXPECT_TRUE(r.status().ok());

  Result<int> e = Half(3);
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(e.status().message(), "odd");
}

TEST(ResultTest, MoveOnlyValue) {
  Result<std::unique_ptr<std::string>> r(std::make_unique<std::string>("hej"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(**r, "hej");
  EXPECT_EQ(r->get()->size(), 3u);
  std::unique_ptr<std::string> p = std::move(r).value();
  EXPECT_EQ(*p, "hej");
}

TEST(ResultTest, Macros) {
  int out = -1;
  EXPECT_TRUE(UseHalf(8, &out).ok());
  EXPECT_EQ(out, 4);
  out = -1;
  Status s = UseHalf(7, &out);
  EXPECT_EQ(s.message(), "odd");
  EXPECT_EQ(out, -1);
  s = UseHalf(40, &out);
  EXPECT_EQ(s.message(), "too big");
  EXPECT_EQ(out, -1);
}

TEST(ResultTest, MadeFromAnOkStatusIsAnInternalErrorInEveryBuild) {
  Result<int> r = Status::OK();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInternal);
  EXPECT_NE(r.status().message().find("OK status"), std::string::npos);
}

TEST(DirectionTest, NamesRoundTrip) {
  EXPECT_EQ(DirectionName(Direction::kOut), "out");
  EXPECT_EQ(DirectionName(Direction::kIn), "in");
  EXPECT_EQ(DirectionName(Direction::kBoth), "both");
  for (Direction d : {Direction::kOut, Direction::kIn, Direction::kBoth}) {
    auto p = ParseDirection(DirectionName(d));
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ(*p, d);
  }
  EXPECT_FALSE(ParseDirection("sideways").ok());
  EXPECT_FALSE(ParseDirection("").ok());
}

}  // namespace
}  // namespace samverkan
