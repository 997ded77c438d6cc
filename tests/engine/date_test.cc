// Date and Validity.
#include <gtest/gtest.h>

#include <string>

#include "samverkan/types.h"
#include "test_util.h"

namespace samverkan {
namespace {

TEST(DateTest, EpochIsDayZero) {
  EXPECT_EQ(Date::FromYmd(1970, 1, 1).days, 0);
  EXPECT_EQ(Date::FromYmd(1970, 1, 2).days, 1);
  EXPECT_EQ(Date::FromYmd(1969, 12, 31).days, -1);
  EXPECT_EQ(Date::FromYmd(2000, 3, 1).days, 11017);
  EXPECT_EQ(Date::FromYmd(2020, 1, 1).days, 18262);
}

TEST(DateTest, ParseFullDates) {
  struct Case {
    const char* text;
    int y;
    unsigned m, d;
  };
  for (const Case& c : {Case{"2020-02-29", 2020, 2, 29}, Case{"1970-01-01", 1970, 1, 1},
                        Case{"2010-12-31", 2010, 12, 31}, Case{"1900-03-01", 1900, 3, 1},
                        Case{"2000-02-29", 2000, 2, 29}, Case{"1969-07-20", 1969, 7, 20}}) {
    auto d = Date::Parse(c.text);
    ASSERT_TRUE(d.ok()) << c.text << ": " << d.status().ToString();
    EXPECT_EQ(d->days, Date::FromYmd(c.y, c.m, c.d).days) << c.text;
    EXPECT_EQ(d->ToString(), c.text);
    EXPECT_EQ(d->Year(), c.y) << c.text;
  }
}

TEST(DateTest, ParseYearAndMonthOnly) {
  auto y = Date::Parse("2010");
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_EQ(y->ToString(), "2010-01-01");
  auto ym = Date::Parse("2010-06");
  ASSERT_TRUE(ym.ok()) << ym.status().ToString();
  EXPECT_EQ(ym->ToString(), "2010-06-01");
}

TEST(DateTest, PartialDatesAsTheLastDayOfTheirPeriod) {
  using P = Date::Partial;
  struct Case {
    const char* text;
    const char* first;
    const char* last;
  };
  for (const Case& c : {Case{"2019", "2019-01-01", "2019-12-31"},
                        Case{"2019-12", "2019-12-01", "2019-12-31"},
                        Case{"2019-02", "2019-02-01", "2019-02-28"},
                        Case{"2020-02", "2020-02-01", "2020-02-29"},
                        Case{"1900-02", "1900-02-01", "1900-02-28"},
                        Case{"0001", "0001-01-01", "0001-12-31"},
                        Case{"9999-12", "9999-12-01", "9999-12-31"},
                        Case{"2019-04-30", "2019-04-30", "2019-04-30"}}) {
    auto first = Date::Parse(c.text, P::kFirstDay);
    auto last = Date::Parse(c.text, P::kLastDay);
    ASSERT_TRUE(first.ok() && last.ok()) << c.text;
    EXPECT_EQ(first->ToString(), c.first) << c.text;
    EXPECT_EQ(last->ToString(), c.last) << c.text;
  }
  EXPECT_EQ(Date::Parse("2019-13", P::kLastDay).status().message(),
            "invalid date '2019-13': no such month");
  EXPECT_EQ(Date::Parse("2021-02-30", P::kLastDay).status().message(),
            "invalid date '2021-02-30': no such day");
}

TEST(DateTest, RejectsImpossibleOrMalformedDates) {
  for (const char* bad : {"", "2021-02-29", "1900-02-29", "2020-13-01", "2020-00-10",
                          "2020-04-31", "2020-01-32", "2020-01-00", "abcd-ef-gh", "2020/01/01",
                          "2020-01-01x", "20-01-01", "2020-1", "2020-06-"}) {
    auto d = Date::Parse(bad);
    EXPECT_FALSE(d.ok()) << "'" << bad << "' parsed as " << (d.ok() ? d->ToString() : "");
    if (!d.ok()) {
      EXPECT_EQ(d.status().code(), Status::Code::kInvalidArgument) << bad;
    }
  }
}

TEST(DateTest, ToStringPadsAndHandlesPreEpoch) {
  EXPECT_EQ(Date::FromYmd(2024, 2, 29).ToString(), "2024-02-29");
  EXPECT_EQ(Date::FromYmd(1969, 12, 31).ToString(), "1969-12-31");
  EXPECT_EQ(Date{-1}.Year(), 1969);
  EXPECT_EQ(Date::FromYmd(999, 1, 5).ToString(), "0999-01-05");
}

TEST(DateTest, RoundTripsEveryDayOfALeapYearAndBeyond) {
  // 1999-06-01 .. 2001-06-01: every day parses back to itself.
  for (int days = Date::FromYmd(1999, 6, 1).days; days <= Date::FromYmd(2001, 6, 1).days;
       ++days) {
    Date d{days};
    auto p = Date::Parse(d.ToString());
    ASSERT_TRUE(p.ok()) << d.ToString();
    ASSERT_EQ(p->days, days) << d.ToString();
  }
}

TEST(DateTest, Ordering) {
  EXPECT_LT(Date::FromYmd(2010, 1, 1), Date::FromYmd(2010, 1, 2));
  EXPECT_LT(Date::FromYmd(2009, 12, 31), Date::FromYmd(2010, 1, 1));
  EXPECT_EQ(Date::FromYmd(2010, 5, 5), Date::FromYmd(2010, 5, 5));
}

TEST(ValidityTest, ContainsIsInclusiveAndOpenEndsUnbounded) {
  Validity v{Date::FromYmd(2010, 1, 1), Date::FromYmd(2012, 12, 31)};
  EXPECT_FALSE(v.Contains(Date::FromYmd(2009, 12, 31)));
  EXPECT_TRUE(v.Contains(Date::FromYmd(2010, 1, 1)));
  EXPECT_TRUE(v.Contains(Date::FromYmd(2011, 6, 1)));
  EXPECT_TRUE(v.Contains(Date::FromYmd(2012, 12, 31)));
  EXPECT_FALSE(v.Contains(Date::FromYmd(2013, 1, 1)));
  Validity open;
  EXPECT_TRUE(open.Contains(Date::FromYmd(1800, 1, 1)));
  Validity from_only{Date::FromYmd(2010, 1, 1), std::nullopt};
  EXPECT_TRUE(from_only.Contains(Date::FromYmd(2100, 1, 1)));
  EXPECT_FALSE(from_only.Contains(Date::FromYmd(2009, 1, 1)));
}

}  // namespace
}  // namespace samverkan
