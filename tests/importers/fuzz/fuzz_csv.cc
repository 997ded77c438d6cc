// libFuzzer target for the csv reader (see fuzz_reader.h). The first byte
// of an input picks the dialect (CsvDialect: separator, quote, decimal
// comma, a date format), so that the ones agencies use are fuzzed too; the
// rest is the file. (Encodings are converted before the reader runs: the
// reader only ever sees UTF-8.)
#include "date_format.h"
#include "fuzz_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samverkan::importers;
  if (size == 0) return 0;
  static const DateFormat kDates = *DateFormat::Parse("%d.%m.%Y %H:%M");
  static const DateFormat kMonths = *DateFormat::Parse("%m/%Y");
  const uint8_t pick = data[0];
  return FuzzOne(data + 1, size - 1, ReadCsv, [&](ReadContext& ctx) {
    ctx.csv.delim = ",;\t|"[pick & 3];
    ctx.csv.quote = (pick & 4) ? '\'' : '"';
    ctx.csv.decimal_separator = (pick & 8) ? ',' : '.';
    ctx.date_format = (pick & 16) ? &kDates : (pick & 32) ? &kMonths : nullptr;
    if (pick & 64) ctx.null_values = {"NA", "-"};
  });
}
