// CSV as funding agencies publish it: another separator and quote, cp1252,
// decimal commas, dates as DD.MM.YYYY HH:MM, a sector the graph lacks.
#include "date_format.h"
#include "test_util.h"

namespace samverkan::test {
namespace {

using importers::DateFormat;

// A Norwegian agency's participation file, as Excel saves it: ';'-separated,
// cp1252 ("\xC6" is Æ, "\xF8" ø, "\x80" the euro sign), decimal commas,
// dates with a time of day, "NA" for a missing value, a sector of its own.
constexpr std::string_view kNodes =
    ":ID;:LABEL;name;sector;budget:double;started:date;note\n"
    "no:sintef;actor;Sintef;research_institute;\"1,5\";31.12.2019 14:30;\"a \"\"quoted\"\" ;\"\n"
    "no:uib;actor;Universitetet i Bergen;academia;2,25;01.02.2020 00:00;NA\n"
    "no:norce;actor;Norce Troms\xF8;research_institute;NA;;\x80 5\n"
    "no:bedrift;actor;Bedrift \xC6;business;3;15.06.2021 08:00;\n";
constexpr std::string_view kEdges =
    ":START_ID;:END_ID;:TYPE;valid_from;valid_to;weight\n"
    "no:sintef;no:uib;collaborates_with;01.01.2019 00:00;31.12.2020 23:59;2,5\n"
    "no:norce;no:bedrift;collaborates_with;;;NA\n";

ImportOptions AgencyOptions() {
  ImportOptions o;
  o.csv.delim = ';';
  o.csv.encoding = "cp1252";
  o.csv.decimal_separator = ',';
  o.csv.dateformat = "%d.%m.%Y %H:%M";
  o.null_values = {"NA"};
  o.add_sectors = {"research_institute"};
  return o;
}

const std::string kAgencyGraph =
    "edge no:norce -collaborates_with-> no:bedrift rank=0 weight= -..- props={} sources=[]\n"
    "edge no:sintef -collaborates_with-> no:uib rank=0 weight=2.5 2019-01-01..2020-12-31 "
    "props={} sources=[]\n"
    "node no:bedrift actor \"Bedrift Æ\" sector=business aliases=[] "
    "props={\"budget\":3.0,\"started\":\"2021-06-15\"} sources=[]\n"
    "node no:norce actor \"Norce Tromsø\" sector=research_institute aliases=[] "
    "props={\"note\":\"€ 5\"} sources=[]\n"
    "node no:sintef actor \"Sintef\" sector=research_institute aliases=[] "
    "props={\"budget\":1.5,\"note\":\"a \\\"quoted\\\" ;\",\"started\":\"2019-12-31\"} sources=[]\n"
    "node no:uib actor \"Universitetet i Bergen\" sector=academia aliases=[] "
    "props={\"budget\":2.25,\"started\":\"2020-02-01\"} sources=[]\n";

TEST(CsvDialect, AnAgencyFileImportsWithOptionsAlone) {
  for (ImportMode mode : {ImportMode::kBulk, ImportMode::kTransaction}) {
    TempDir dir;
    auto db = OpenDb(dir.Sub("g.kg"));
    ImportOptions options = AgencyOptions();
    options.mode = mode;
    // The edges file first: it is still recognised (by its ';' header) and read last.
    auto s = ImportFiles(*db, {{dir.File("edges.csv", kEdges)}, {dir.File("nodes.csv", kNodes)}},
                         options);
    SV_ASSERT_OK(s);
    EXPECT_EQ(s->bulk, mode == ImportMode::kBulk);
    EXPECT_EQ(Dump(*db), kAgencyGraph);
  }
}

TEST(CsvDialect, Utf8WithAByteOrderMarkAndAnotherQuote) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  ImportOptions options;
  options.csv.delim = '\t';
  options.csv.quote = '\'';
  SV_ASSERT_OK(ImportFiles(
      *db, {{dir.File("n.csv", "\xEF\xBB\xBF:ID\tname\na\t'Troms\xC3\xB8\tand ''Bod\xC3\xB8'''\n")}},
      options));
  EXPECT_EQ(db->GetNodeByKey("a")->name, "Tromsø\tand 'Bodø'");
}

// Every problem at its line and column (in characters of the file as
// written), and the graph as it was.
TEST(CsvDialect, MalformedCellsAreReportedWhereTheyAreAndNothingIsWritten) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  SV_ASSERT_OK(Import(*db, {dir.File("ok.csv", ":ID,:LABEL\nkeep,actor\n")}));
  const std::string before = Dump(*db);
  std::string nodes = dir.File("n.csv",
                               ":ID;budget:double;started:date\n"
                               "\xC6;1.5;31.12.2019 14:30\n"    // a '.' where a comma is due
                               "b;1,5;31.12.2019 24:00\n"       // no such hour
                               "c;2;30.02.2021 10:00\n"         // no such day
                               "d;2;2021-02-03\n");             // ISO, not the format
  std::string edges = dir.File("e.csv",
                               ":START_ID;:END_ID;:TYPE;valid_from;weight\n"
                               "b;c;knows;01.01.2019 00:00;1,x\n");
  auto s = ImportFiles(*db, {{nodes}, {edges}}, AgencyOptions());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "5 problems; nothing was imported\n" + nodes +
                ":2:3: budget: expected a number with a decimal comma, found '1.5'\n" + nodes +
                ":3:7: started: expected a date as '%d.%m.%Y %H:%M', found '31.12.2019 24:00'\n" +
                nodes + ":4:5: started: invalid date '30.02.2021 10:00': no such day\n" + nodes +
                ":5:5: started: expected a date as '%d.%m.%Y %H:%M', found '2021-02-03'\n" +
                edges + ":2:28: weight: expected a number with a decimal comma, found '1,x'");
  EXPECT_EQ(Dump(*db), before);
}

TEST(CsvDialect, AByteCp1252LacksIsAnErrorAtItsPlace) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  std::string f = dir.File("n.csv", ":ID;name\na;\xC6\xF8\nb;ok \x81 here\n");
  auto s = ImportFiles(*db, {{f}}, AgencyOptions());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "1 problem; nothing was imported\n" + f +
                ":3:6: byte 0x81 is no character in cp1252 (is the file in another encoding?)");
  EXPECT_EQ(db->Counts()->nodes, 0u);
}

TEST(CsvDialect, Cp1252ReadAsUtf8SaysWhichOptionToUse) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  std::string f = dir.File("n.csv", ":ID,name\na,Bedrift \xC6\n");
  auto s = Import(*db, {f});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find(f + ":2:11: invalid UTF-8"), std::string::npos)
      << s.status().message();
  EXPECT_NE(s.status().message().find("--encoding"), std::string::npos);
}

TEST(CsvDialect, AnUnknownSectorIsReportedOnceWithItsCountAndHowToAddIt) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  std::string text = ":ID,sector,n:int\n";
  for (int i = 0; i < 30; ++i) text += "k" + std::to_string(i) + ",research_institute,1\n";
  text += "bad,academia,x\n";
  std::string f = dir.File("n.csv", text);
  for (ImportMode mode : {ImportMode::kBulk, ImportMode::kTransaction}) {
    ImportOptions options;
    options.mode = mode;
    auto s = ImportFiles(*db, {{f}}, options);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().message(),
              "2 problems; nothing was imported\n" + f +
                  ":2:4: unknown sector 'research_institute' for node 'k0' and 29 more records; "
                  "the graph's sectors are: academia, business, public, nonprofit; to add it: "
                  "--add-sector research_institute (kg_import: the add_sectors option; SQL: "
                  "kg_add_sector)\n" +
                  f + ":32:14: n: expected an integer, found 'x'");
    EXPECT_EQ(db->Counts()->nodes, 0u);
  }
}

TEST(CsvDialect, OptionsAreCheckedBeforeAnythingIsRead) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  std::string f = dir.File("n.csv", ":ID\na\n");
  auto with = [&](auto set) {
    ImportOptions o;
    set(o.csv);
    return ImportFiles(*db, {{f}}, o).status().message();
  };
  EXPECT_EQ(with([](CsvDialect& d) { d.delim = '"'; }),
            "delim cannot be the same character as quote");
  EXPECT_EQ(with([](CsvDialect& d) { d.delim = '\n'; }), "delim: cannot be a line break or NUL");
  EXPECT_EQ(with([](CsvDialect& d) { d.decimal_separator = ';'; }),
            "decimal_separator: expected '.' or ',', found ';'");
  EXPECT_EQ(with([](CsvDialect& d) { d.encoding = "utf-16"; }),
            "encoding: unknown encoding 'utf-16' (expected utf-8, cp1252 or latin-1)");
  EXPECT_EQ(with([](CsvDialect& d) { d.dateformat = "%d.%m.%y"; }),
            "dateformat: '%d.%m.%y': %y is not one of %Y, %m, %d, %H, %M, %S, %%");
  EXPECT_EQ(db->Counts()->nodes, 0u);
}

TEST(CsvDialect, KgImportOptionsUseDuckDbNames) {
  auto o = ParseImportOptions(
      R"({"sep": ";", "quote": "'", "encoding": "latin-1", "decimal_separator": ",",
          "dateformat": "%d.%m.%Y", "nullstr": ["NA", "-"]})");
  SV_ASSERT_OK(o);
  EXPECT_EQ(o->csv.delim, ';');
  EXPECT_EQ(o->csv.quote, '\'');
  EXPECT_EQ(o->csv.encoding, "latin-1");
  EXPECT_EQ(o->csv.decimal_separator, ',');
  EXPECT_EQ(o->csv.dateformat, "%d.%m.%Y");
  EXPECT_EQ(o->null_values, (std::vector<std::string>{"NA", "-"}));
  EXPECT_EQ(ParseImportOptions(R"({"delim": "\t"})")->csv.delim, '\t');
  EXPECT_EQ(ParseImportOptions(R"({"delim": "tab"})")->csv.delim, '\t');
  EXPECT_EQ(ParseImportOptions(R"({"delim": ";;"})").status().message(),
            "options: delim: expected one character, found ';;'");
  EXPECT_EQ(ParseImportOptions(R"({"encoding": "ebcdic"})").status().message(),
            "options: encoding: unknown encoding 'ebcdic' (expected utf-8, cp1252 or latin-1)");
  EXPECT_EQ(ParseImportOptions(R"({"dateformat": "%m/%Y/%d %q"})").status().message(),
            "options: dateformat: '%m/%Y/%d %q': %q is not one of %Y, %m, %d, %H, %M, %S, %%");
}

TEST(DateFormat, ReadsFieldsInAnyOrderAndDropsTheTime) {
  auto f = DateFormat::Parse("%m/%d/%Y %H:%M:%S");
  SV_ASSERT_OK(f);
  EXPECT_EQ(f->Read("12/31/2019 23:59:59")->ToString(), "2019-12-31");
  EXPECT_EQ(f->Read("1/2/2020 0:00:00")->ToString(), "2020-01-02");
  EXPECT_FALSE(f->Read("12/31/2019 23:60:00").ok());
  EXPECT_FALSE(f->Read("12/31/2019").ok());
  EXPECT_FALSE(f->Read("12/31/2019 23:59:59 ").ok());
  EXPECT_FALSE(f->Read("13/01/2019 00:00:00").ok());
  EXPECT_FALSE(f->Read("12/31/19 00:00:00").ok());
}

TEST(DateFormat, AMonthOrAYearIsItsFirstOrLastDay) {
  auto month = DateFormat::Parse("%m.%Y");
  SV_ASSERT_OK(month);
  EXPECT_EQ(month->Read("02.2020", Date::Partial::kFirstDay)->ToString(), "2020-02-01");
  EXPECT_EQ(month->Read("02.2020", Date::Partial::kLastDay)->ToString(), "2020-02-29");
  auto year = DateFormat::Parse("år %Y");
  SV_ASSERT_OK(year);
  EXPECT_EQ(year->Read("år 2019", Date::Partial::kLastDay)->ToString(), "2019-12-31");
  EXPECT_EQ(DateFormat::Parse("%Y 100%%")->Read("2019 100%")->ToString(), "2019-01-01");
}

TEST(DateFormat, BadPatterns) {
  EXPECT_EQ(DateFormat::Parse("%d.%m").status().message(), "'%d.%m' has no %Y (the year)");
  EXPECT_EQ(DateFormat::Parse("%d.%Y").status().message(),
            "'%d.%Y' has %d (the day) but no %m");
  EXPECT_EQ(DateFormat::Parse("%Y-%m-%m").status().message(), "'%Y-%m-%m' has %m twice");
  EXPECT_EQ(DateFormat::Parse("%Y%").status().message(), "'%Y%' ends in a lone '%'");
}

}  // namespace
}  // namespace samverkan::test
