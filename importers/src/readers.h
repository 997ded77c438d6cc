// The format readers. Each reads one whole file from memory, turns it into
// records for a RecordSink, and reports every problem it finds (with its
// location) to Problems instead of stopping at the first. A reader stops
// early only when Problems is full.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "date_format.h"
#include "problems.h"
#include "samverkan/import.h"
#include "samverkan/interrupt.h"
#include "sink.h"

namespace samverkan::importers {

struct ReadContext {
  std::string_view file;  // the name used in messages
  std::string_view data;  // the whole file
  RecordSink* sink = nullptr;
  Problems* problems = nullptr;
  // Called every few thousand records with the bytes of `data` read so far
  // and the records read so far; may be empty.
  std::function<void(uint64_t bytes, uint64_t records)> progress;
  std::string default_edge_type = "related_to";  // GraphML
  // CSV: unquoted cells that stand for a missing value, as an empty one does.
  std::vector<std::string> null_values;
  // CSV: how the file is written (its encoding is dealt with before: `data`
  // is UTF-8), and its date format, parsed (null: ISO dates).
  CsvDialect csv;
  const DateFormat* date_format = nullptr;
  // Polled as records are read (thread-safe: CSV parts read on threads).
  const Interrupt* interrupt = &Interrupt::Never();

  // Whether a reader should stop: the problem list is full, or the caller
  // asked (then the import fails with Interrupt::Stopped()).
  bool stop() const { return problems->full() || interrupt->Requested(); }
};

// What a CSV file holds, from its header line.
enum class CsvFileKind { kNodes, kEdges, kUnknown };
CsvFileKind PeekCsvKind(std::string_view data, const CsvDialect& dialect);

void ReadCsv(ReadContext& ctx);
void ReadJsonl(ReadContext& ctx);
void ReadCase(ReadContext& ctx);
void ReadGraphml(ReadContext& ctx);

}  // namespace samverkan::importers
