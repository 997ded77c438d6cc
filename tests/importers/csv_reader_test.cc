// The RFC 4180 reader on its own: quoting, line endings, BOM, errors.
#include <gtest/gtest.h>

#include "csv_reader.h"

namespace samverkan::importers {
namespace {

// Records as "a|b|c" lines; quoted fields marked with "q:".
std::string ReadAll(std::string_view data) {
  CsvReader reader(data);
  std::vector<CsvField> fields;
  std::string out;
  while (true) {
    if (!reader.Next(fields)) {
      if (reader.error().empty()) break;
      out += "error@" + std::to_string(reader.error_offset()) + ": " + reader.error() + "\n";
      continue;
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      out += (i ? "|" : "") + std::string(fields[i].quoted ? "q:" : "") + std::string(fields[i].text);
    }
    out += "\n";
  }
  return out;
}

TEST(CsvReader, PlainFieldsAndLineEndings) {
  EXPECT_EQ(ReadAll("a,b,c\n1,2,3\n"), "a|b|c\n1|2|3\n");
  EXPECT_EQ(ReadAll("a,b\r\n1,2\r\n"), "a|b\n1|2\n");
  EXPECT_EQ(ReadAll("a,b\n1,2"), "a|b\n1|2\n");  // no final line break
  EXPECT_EQ(ReadAll("a,,c\n"), "a||c\n");
}

TEST(CsvReader, QuotedFields) {
  EXPECT_EQ(ReadAll("\"a,b\",\"say \"\"hi\"\"\"\n"), "q:a,b|q:say \"hi\"\n");
  EXPECT_EQ(ReadAll("\"two\nlines\",x\n"), "q:two\nlines|x\n");
  EXPECT_EQ(ReadAll("\"\",x\n"), "q:|x\n");
  EXPECT_EQ(ReadAll("\"a\"\r\n"), "q:a\n");
}

TEST(CsvReader, SkipsByteOrderMark) { EXPECT_EQ(ReadAll("\xEF\xBB\xBFid,x\n"), "id|x\n"); }

TEST(CsvReader, Utf8IsData) { EXPECT_EQ(ReadAll("Örebro,Malmö\n"), "Örebro|Malmö\n"); }

TEST(CsvReader, ErrorsAndRecovery) {
  EXPECT_EQ(ReadAll("a\"b,c\nok\n"),
            "error@1: unexpected '\"' in an unquoted field (quote the whole field)\nok\n");
  EXPECT_EQ(ReadAll("\"ab\"c,d\nok\n"),
            "error@4: expected ',' or the end of the line after a closing quote\nok\n");
  EXPECT_EQ(ReadAll("x\n\"never closed\n"),
            "x\nerror@2: unterminated quoted field (expected a closing '\"')\n");
}

TEST(CsvReader, LocatesByLineAndCharacterColumn) {
  std::string data = "a,b\n\"x\ny\",Öz\"\n";
  CsvReader reader(data);
  std::vector<CsvField> fields;
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_FALSE(reader.Next(fields));
  Location at = reader.Locate("f.csv", reader.error_offset());
  EXPECT_EQ(at.ToString(), "f.csv:3:6");  // the quote after "Öz": Ö is one character
}

}  // namespace
}  // namespace samverkan::importers
