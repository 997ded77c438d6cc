// DATE and DURATION through the public API: making them, their text at the
// ends of the range, ordering, grouping, arithmetic, the graph's validity
// dates read as dates and stored properties that keep their type, and the
// refusal of a date compared with a string (at compile time where the text
// shows it, else at run time).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../engine/test_util.h"
#include "samverkan/cypher.h"

namespace samverkan {
namespace {

using cypher::PreparedQuery;
using cypher::Target;
using cypher::Value;

class TemporalTest : public test::DbTest {
 protected:
  // The rows of `query` as JSON objects, run in a transaction that is then
  // committed (so that a query may write).
  std::vector<std::string> Rows(const std::string& query) {
    auto q = PreparedQuery::Prepare(query);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    if (!q.ok()) return {};
    auto txn = Begin();
    std::vector<std::string> rows;
    {
      auto cursor = cypher::Execute(*q, Target{.txn = txn.get()}, {});
      EXPECT_TRUE(cursor.ok()) << cursor.status().ToString();
      if (!cursor.ok()) return {};
      for (;;) {
        auto more = (*cursor)->Next();
        EXPECT_TRUE(more.ok()) << query << ": " << more.status().ToString();
        if (!more.ok() || !*more) break;
        auto json = (*cursor)->RowJson();
        rows.push_back(json.ok() ? *json : json.status().ToString());
      }
    }
    EXPECT_OK(txn->Commit());
    return rows;
  }

  std::string One(const std::string& query) {
    auto rows = Rows(query);
    return rows.size() == 1 ? rows[0] : "(" + std::to_string(rows.size()) + " rows)";
  }

  // The first value of the single row of `query`.
  Value First(const std::string& query) {
    auto q = PreparedQuery::Prepare(query);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    if (!q.ok()) return Value();
    auto cursor = cypher::Execute(*q, Target{.view = db_.get(), .db = db_.get()}, {});
    EXPECT_TRUE(cursor.ok()) << cursor.status().ToString();
    if (!cursor.ok()) return Value();
    auto more = (*cursor)->Next();
    EXPECT_TRUE(more.ok() && *more) << query;
    return more.ok() && *more ? (*cursor)->row()[0] : Value();
  }

  // The error of `query`, at prepare time or when it runs ("" if none).
  std::string Error(const std::string& query, bool* at_prepare = nullptr) {
    auto q = PreparedQuery::Prepare(query);
    if (at_prepare) *at_prepare = !q.ok();
    if (!q.ok()) return q.status().ToString();
    auto cursor = cypher::Execute(*q, Target{.view = db_.get(), .db = db_.get()}, {});
    if (!cursor.ok()) return cursor.status().ToString();
    for (;;) {
      auto more = (*cursor)->Next();
      if (!more.ok()) return more.status().ToString();
      if (!*more) return "";
    }
  }
};

TEST_F(TemporalTest, DatesAreValuesOfTheirOwnType) {
  Value d = First("RETURN date('2019-05-01')");
  ASSERT_EQ(d.type(), Value::Type::kDate);
  EXPECT_EQ(cypher::DateText(d.date()), "2019-05-01");
  EXPECT_EQ(cypher::TypeName(d.type()), "DATE");
  Value dur = First("RETURN duration('P1Y2M3DT4H5M6.5S')");
  ASSERT_EQ(dur.type(), Value::Type::kDuration);
  EXPECT_EQ(dur.duration().months, 14);
  EXPECT_EQ(dur.duration().days, 3);
  EXPECT_EQ(dur.duration().seconds, 4 * 3600 + 5 * 60 + 6);
  EXPECT_EQ(dur.duration().nanos, 500'000'000);
  EXPECT_EQ(cypher::DurationText(dur.duration()), "P1Y2M3DT4H5M6.5S");
}

TEST_F(TemporalTest, TheFirstAndLastDaysRoundTrip) {
  // Through text, through a map of its components and through a stored
  // property, at both ends of the range and around the leap days.
  for (const char* day : {"0001-01-01", "0001-12-31", "1600-02-29", "1900-02-28", "2000-02-29",
                          "9999-12-31"}) {
    const std::string d = std::string("date('") + day + "')";
    EXPECT_EQ(One("WITH " + d + " AS d RETURN toString(d) AS t, date(toString(d)) = d AS same, "
                  "date({year: d.year, month: d.month, day: d.day}) = d AS parts, "
                  "date({year: d.weekYear, week: d.week, dayOfWeek: d.dayOfWeek}) = d AS week, "
                  "date({year: d.year, ordinalDay: d.ordinalDay}) = d AS ordinal"),
              std::string(R"({"t":")") + day +
                  R"(","same":true,"parts":true,"week":true,"ordinal":true})");
  }
  Rows("CREATE (:thing {key: 'ends', first: date('0001-01-01'), last: date('9999-12-31')})");
  EXPECT_EQ(One("MATCH (t:thing) RETURN t.first AS f, t.last AS l, t.last > t.first AS later"),
            R"({"f":"0001-01-01","l":"9999-12-31","later":true})");
  // One day past either end is refused, not wrapped.
  EXPECT_NE(Error("RETURN date('9999-12-31') + duration({days: 1})").find("9999-12-31"),
            std::string::npos);
  EXPECT_NE(Error("RETURN date('0001-01-01') - duration('P1D')").find("0001-01-01"),
            std::string::npos);
  EXPECT_NE(Error("RETURN date('0000-12-31')").find("not a date"), std::string::npos);
  // Far past either end too, where the parts together pass <chrono>'s years.
  for (const char* far : {"date('5000-01-01') + duration({years: 9000, days: 3600000, "
                          "seconds: 315000000000})",
                          "date('0001-01-01') - duration({days: 100000000})",
                          "date('9999-12-01') + duration({months: 1})"}) {
    EXPECT_NE(Error(std::string("RETURN ") + far).find("a DATE runs from 0001-01-01 to "
                                                       "9999-12-31"),
              std::string::npos) << far;
  }
}

TEST_F(TemporalTest, TheFormsOfADate) {
  EXPECT_EQ(One("RETURN date('20150721') AS a, date('2015-W30-2') AS b, date('2015W30') AS c, "
                "date('2015-202') AS d, date('2015-07') AS e, date('2015') AS f"),
            R"({"a":"2015-07-21","b":"2015-07-21","c":"2015-07-20","d":"2015-07-21",)"
            R"("e":"2015-07-01","f":"2015-01-01"})");
  EXPECT_EQ(One("RETURN date({year: 1984, quarter: 3, dayOfQuarter: 45}) AS q, "
                "date({date: date('1984-11-11'), week: 1}) AS w, "
                "date.truncate('weekYear', date('1984-02-01')) AS wy, "
                "date.truncate('decade', date('1984-10-11'), {day: 2}) AS dec"),
            R"({"q":"1984-08-14","w":"1984-01-08","wy":"1984-01-02","dec":"1980-01-02"})");
  // 1 January 1984 is a Sunday: in the last week of 1983.
  EXPECT_EQ(One("WITH date('1984-01-01') AS d RETURN d.weekYear AS y, d.week AS w, "
                "d.dayOfWeek AS dow, d.quarter AS q, d.ordinalDay AS o"),
            R"({"y":1983,"w":52,"dow":7,"q":1,"o":1})");
  EXPECT_NE(Error("RETURN date('2021-02-29')").find("not a date"), std::string::npos);
  EXPECT_NE(Error("RETURN date({year: 2021, month: 2, day: 29})").find("day 29 is out of range"),
            std::string::npos);
  EXPECT_NE(Error("RETURN date({year: 2021, hour: 2})").find("no field `hour`"), std::string::npos);
  EXPECT_NE(Error("RETURN date('1984-10-11').hour").find("no component `hour`"),
            std::string::npos);
}

TEST_F(TemporalTest, DurationsAndArithmetic) {
  // Months are added first, keeping the day or taking the month's last.
  EXPECT_EQ(One("RETURN date('2020-01-31') + duration('P1M') AS a, "
                "date('2021-03-31') - duration({months: 1}) AS b, "
                "date('2020-02-29') + duration({years: 1}) AS c, "
                "duration('P1M') + date('2020-01-15') AS d"),
            R"({"a":"2020-02-29","b":"2021-02-28","c":"2021-02-28","d":"2020-02-15"})");
  // Fractions carry down: a month is 30.436875 days.
  EXPECT_EQ(One("RETURN duration({months: 0.75}) AS a, duration({weeks: 2.5}) AS b, "
                "duration('PT-1.999S') AS c, duration({seconds: 70}) * 2 AS d, "
                "duration('P1Y') / 2 AS e, -duration('P1D') AS f, "
                "duration('P1D') - duration('PT1H') AS g"),
            R"({"a":"P22DT19H51M49.5S","b":"P17DT12H","c":"PT-1.999S","d":"PT2M20S",)"
            R"("e":"P6M","f":"P-1D","g":"P1DT-1H"})");
  EXPECT_EQ(One("WITH date('1984-10-11') AS a, date('2015-06-24') AS b "
                "RETURN duration.between(a, b) AS between, duration.inMonths(a, b) AS months, "
                "duration.inDays(a, b) AS days, duration.inDays(b, a).days AS back, "
                "duration.between(a, null) AS none"),
            R"({"between":"P30Y8M13D","months":"P30Y8M","days":"P11213D","back":-11213,)"
            R"("none":null})");
  // Components of a duration.
  EXPECT_EQ(One("WITH duration({months: 16, days: 10, seconds: 3661, nanoseconds: 5}) AS d "
                "RETURN d.years AS y, d.monthsOfYear AS m, d.weeks AS w, d.minutes AS min, "
                "d.nanosecondsOfSecond AS ns"),
            R"({"y":1,"m":4,"w":1,"min":61,"ns":5})");
  EXPECT_NE(Error("RETURN date('2021-01-01') - date('2020-01-01')").find("duration.between"),
            std::string::npos);
  EXPECT_NE(Error("RETURN duration('P1D') / 0").find("DivisionByZero"), std::string::npos);
}

TEST_F(TemporalTest, OrderingEqualityAndGrouping) {
  // Dates compare by day; durations are equal part by part (P1D is not
  // PT24H) and have no `<`, but ORDER BY orders everything, temporal
  // values between paths and strings.
  EXPECT_EQ(One("RETURN date('2020-01-01') < date('2020-01-02') AS lt, "
                "date('2020-01-01') = date({year: 2020}) AS eq, "
                "duration('P1D') = duration('PT24H') AS dd, "
                "duration('PT1M') = duration('PT60S') AS ss, "
                "duration('P1D') < duration('P2D') AS none, "
                "date('2020-01-01') = duration('P1D') AS mixed"),
            R"({"lt":true,"eq":true,"dd":false,"ss":true,"none":null,"mixed":false})");
  EXPECT_EQ(Rows("UNWIND [duration('P1M'), 'a', date('2021-01-01'), 1, duration('P20D'), "
                 "date('1999-12-31'), null, [1]] AS x RETURN x ORDER BY x"),
            (std::vector<std::string>{R"({"x":[1]})", R"({"x":"1999-12-31"})",
                                      R"({"x":"2021-01-01"})", R"({"x":"P20D"})",
                                      R"({"x":"P1M"})", R"({"x":"a"})", R"({"x":1})",
                                      R"({"x":null})"}));
  EXPECT_EQ(Rows("UNWIND [date('2021-01-01'), date({year: 2021}), date('2021-01-02'), "
                 "duration('P1D'), duration({hours: 24}), duration({days: 1})] AS x "
                 "RETURN x, count(*) AS n ORDER BY x"),
            (std::vector<std::string>{R"({"x":"2021-01-01","n":2})", R"({"x":"2021-01-02","n":1})",
                                      R"({"x":"PT24H","n":1})", R"({"x":"P1D","n":2})"}));
  EXPECT_EQ(One("UNWIND [date('2021-01-01'), date('2021-01-01'), date('2020-01-01')] AS d "
                "RETURN count(DISTINCT d) AS n, min(d) AS lo, max(d) AS hi"),
            R"({"n":2,"lo":"2020-01-01","hi":"2021-01-01"})");
}

TEST_F(TemporalTest, ValidityDatesAreDates) {
  auto txn = Begin();
  ASSERT_OK(txn->PutNode(test::N("a", "actor", "Alpha", "nonprofit")).status());
  ASSERT_OK(txn->PutNode(test::N("p", "project", "Proj", "")).status());
  EdgeInput e;
  e.src = std::string("a");
  e.type = "funds";
  e.dst = std::string("p");
  e.validity.from = Date::FromYmd(2021, 3, 1);
  e.validity.to = Date::FromYmd(2022, 12, 31);
  ASSERT_OK(txn->PutEdge(e).status());
  ASSERT_OK(txn->Commit());
  Value from = First("MATCH ()-[e:funds]->() RETURN e.valid_from");
  ASSERT_EQ(from.type(), Value::Type::kDate);
  EXPECT_EQ(One("MATCH ()-[e:funds]->() WHERE e.valid_from >= date('2021-01-01') "
                "RETURN e.valid_from AS f, e.valid_to.year AS y, "
                "duration.between(e.valid_from, e.valid_to) AS span, properties(e) AS p"),
            R"({"f":"2021-03-01","y":2022,"span":"P1Y9M30D",)"
            R"("p":{"valid_from":"2021-03-01","valid_to":"2022-12-31"}})");
  // Written back as a date (or, as before, as ISO text).
  Rows("MATCH ()-[e:funds]->() SET e.valid_to = e.valid_to + duration('P1Y'), "
       "e.valid_from = '2021-04-01'");
  EXPECT_EQ(One("MATCH ()-[e:funds]->() RETURN e.valid_from AS f, e.valid_to AS t"),
            R"({"f":"2021-04-01","t":"2023-12-31"})");
}

TEST_F(TemporalTest, StoredPropertiesKeepTheirType) {
  Rows("CREATE (:thing {key: 't', on: date('2020-02-29'), for: duration('P1M2DT3S'), "
       "days: [date('2020-01-01'), date('2020-01-02')]})");
  EXPECT_EQ(One("MATCH (t:thing) RETURN t.on.year AS y, t.on + t.for AS later, "
                "t.days[1] > t.days[0] AS after"),
            R"({"y":2020,"later":"2020-03-31","after":true})");
  ASSERT_OK_AND_ASSIGN(Node n, db_->GetNodeByKey("t"));
  EXPECT_EQ(n.props, R"({"days":[{"$date":"2020-01-01"},{"$date":"2020-01-02"}],)"
                     R"("for":{"$duration":"P1M2DT3S"},"on":{"$date":"2020-02-29"}})");
}

TEST_F(TemporalTest, ADateComparedWithAStringIsRefusedNamingTheFix) {
  Rows("CREATE (:a {key: 'a'})-[:funds {valid_from: '2021-03-01'}]->(:p {key: 'p'})");
  // Where the text shows both types: when the query is prepared.
  bool at_prepare = false;
  std::string e = Error("MATCH ()-[e:funds]->() WHERE e.valid_from >= '2021-01-01' RETURN e",
                        &at_prepare);
  EXPECT_TRUE(at_prepare) << e;
  EXPECT_NE(e.find("cannot compare a DATE with a STRING"), std::string::npos) << e;
  EXPECT_NE(e.find("date('2021-01-01')"), std::string::npos) << e;
  e = Error("RETURN date('2021-01-01') = '2021-01-01'", &at_prepare);
  EXPECT_TRUE(at_prepare) << e;
  // Where only the values show it: when it runs.
  e = Error("WITH toString('2020-06-30') AS s MATCH ()-[e:funds]->() WHERE s < e.valid_from RETURN e",
            &at_prepare);
  EXPECT_FALSE(at_prepare) << e;
  EXPECT_NE(e.find("write the date as date('2020-06-30')"), std::string::npos) << e;
  e = Error("WITH date('2021-01-01') AS d, toString('2021-01-01') AS s WHERE d <> s RETURN d", &at_prepare);
  EXPECT_FALSE(at_prepare) << e;
  EXPECT_NE(e.find("cannot compare a DATE with a STRING"), std::string::npos) << e;
  e = Error("MATCH ()-[e:funds]->() WHERE e.valid_from IN ['2021-03-01'] RETURN e");
  EXPECT_NE(e.find("write the date as date('2021-03-01')"), std::string::npos) << e;
  // In a pattern's property map too, where a MERGE would otherwise never
  // match and create a second relationship; CREATE only writes, and takes
  // ISO text as before.
  e = Error("MATCH ()-[e:funds {valid_from: '2021-03-01'}]->() RETURN e", &at_prepare);
  EXPECT_TRUE(at_prepare) << e;
  EXPECT_NE(e.find("write the date as date('2021-03-01')"), std::string::npos) << e;
  e = Error("MATCH (a {key: 'a'}), (p {key: 'p'}) "
            "MERGE (a)-[:funds {valid_from: '2021-03-01'}]->(p)", &at_prepare);
  EXPECT_TRUE(at_prepare) << e;
  e = Error("WITH toString('2021-03-01') AS s MATCH ()-[e:funds {valid_from: s}]->() RETURN e", &at_prepare);
  EXPECT_FALSE(at_prepare) << e;
  EXPECT_NE(e.find("cannot compare a DATE with a STRING"), std::string::npos) << e;
  e = Error("WITH toString('2021-03-01') AS s MATCH ()-[:funds*1..2 {valid_from: s}]->() RETURN 1",
            &at_prepare);
  EXPECT_NE(e.find("cannot compare a DATE with a STRING"), std::string::npos) << e;
  // The fix works.
  EXPECT_EQ(Rows("MATCH ()-[e:funds]->() WHERE e.valid_from >= date('2021-01-01') RETURN 1 AS x"),
            std::vector<std::string>{R"({"x":1})"});
  Rows("MATCH (a {key: 'a'}), (p {key: 'p'}) "
       "MERGE (a)-[:funds {valid_from: date('2021-03-01')}]->(p)");
  EXPECT_EQ(Rows("MATCH ()-[e:funds {valid_from: date('2021-03-01')}]->() RETURN count(*) AS n"),
            std::vector<std::string>{R"({"n":1})"});
}

}  // namespace
}  // namespace samverkan
