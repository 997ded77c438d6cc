// Cypher's =~ (cypher/src/regex.h): linear time whatever the pattern,
// no recursion on the subject, the whole string must match, and patterns
// RE2 cannot run are refused with an error naming the pattern and why.
#include <gtest/gtest.h>

#include <string>

#include "../engine/test_util.h"
#include "samverkan/cypher.h"

namespace samverkan {
namespace {

using cypher::Parameters;
using cypher::PreparedQuery;
using cypher::Target;
using cypher::Value;

class RegexTest : public test::DbTest {
 protected:
  // `subject =~ pattern`, both passed as parameters: the value, or the error.
  Result<Value> Match(const std::string& subject, const std::string& pattern) {
    SV_ASSIGN_OR_RETURN(auto q, PreparedQuery::Prepare("RETURN $s =~ $p AS m"));
    Parameters params{{"s", Value::String(subject)}, {"p", Value::String(pattern)}};
    SV_ASSIGN_OR_RETURN(auto cursor, cypher::Execute(q, Target{.view = db_.get()}, params));
    SV_ASSIGN_OR_RETURN(bool more, cursor->Next());
    if (!more) return Status::Internal("no row");
    return cursor->row()[0];
  }

  bool Matches(const std::string& subject, const std::string& pattern) {
    auto m = Match(subject, pattern);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    if (!m.ok()) return false;
    EXPECT_EQ(m->type(), Value::Type::kBool);
    return m->type() == Value::Type::kBool && m->boolean();
  }
};

TEST_F(RegexTest, CatastrophicBacktrackingPatternsAnswerAtOnce) {
  // A backtracking engine tries 2^40 ways to split the a's before failing.
  EXPECT_FALSE(Matches(std::string(40, 'a'), "(a+)+b"));
  EXPECT_TRUE(Matches(std::string(40, 'a') + "b", "(a+)+b"));
  EXPECT_FALSE(Matches(std::string(5000, 'a'), "(a|aa)*c"));
  EXPECT_TRUE(Matches(std::string(5000, 'a') + "c", "(a|aa)*c"));
}

TEST_F(RegexTest, LongSubjectsDoNotOverflowTheStack) {
  // std::regex recursed once per character and crashed on these.
  EXPECT_TRUE(Matches(std::string(100000, 'a'), ".*"));
  std::string ab;
  for (int i = 0; i < 10000; ++i) ab += "ab";
  EXPECT_TRUE(Matches(ab, "(a|b)*"));
  EXPECT_FALSE(Matches(ab + "c", "(a|b)*"));
}

TEST_F(RegexTest, TheWholeStringMustMatch) {
  EXPECT_TRUE(Matches("abc", "a.c"));
  EXPECT_FALSE(Matches("xabcx", "abc"));
  EXPECT_TRUE(Matches("xabcx", ".*abc.*"));
  EXPECT_TRUE(Matches("ABC", "(?i)abc"));
  EXPECT_TRUE(Matches("ÅÄÖ", "(?iu)åäö"));  // Java's (?u) is accepted
  EXPECT_TRUE(Matches("Ölsta", "\\p{Lu}\\p{Ll}+"));
  EXPECT_FALSE(Matches("a\nb", "a.b"));
  EXPECT_TRUE(Matches("a\nb", "(?s)a.b"));
  EXPECT_TRUE(Matches("", ""));
}

TEST_F(RegexTest, RefusedPatternsSayWhatAndWhy) {
  auto bad = Match("a", "[a");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("invalid regular expression '[a': missing ]"),
            std::string::npos) << bad.status().ToString();

  auto backref = Match("aa", "(a)\\1");
  ASSERT_FALSE(backref.ok());
  EXPECT_NE(backref.status().message().find("'(a)\\1'"), std::string::npos);
  EXPECT_NE(backref.status().message().find("backreferences are not supported"),
            std::string::npos) << backref.status().ToString();

  for (const char* p : {"(?=a)a", "(?!b)a", "(?<=a)b", "(?<!a)b"}) {
    auto look = Match("ab", p);
    ASSERT_FALSE(look.ok()) << p;
    EXPECT_NE(look.status().message().find("lookahead and lookbehind are not supported"),
              std::string::npos) << look.status().ToString();
  }
}

TEST_F(RegexTest, ABigPatternIsRefusedNotCompiled) {
  // Each repetition copies the program: 1000 copies of a large class
  // would take far more than a compiled pattern may.
  auto big = Match("a", "(\\pL|\\pN|\\pP){1000}");
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("pattern too large"), std::string::npos)
      << big.status().ToString();
}

}  // namespace
}  // namespace samverkan
