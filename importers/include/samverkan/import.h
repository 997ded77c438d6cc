// Importing files into a graph: case files, CSV, JSON Lines and GraphML.
//
//   ImportOptions options;
//   SV_ASSIGN_OR_RETURN(ImportSummary s, ImportFiles(*db, {{"msi.json"}}, options));
//
// Contract (docs/formats.md describes every format):
//
//   * Upsert. Nodes are matched by key and merged (Transaction::MergeNode:
//     properties merged as a JSON merge patch, aliases and sources added);
//     edges are matched by (src, type, dst, rank) and replaced
//     (Transaction::PutEdge). Importing the same file twice changes nothing.
//   * Atomic. All the files of one ImportFiles() call are written together
//     or not at all: on any problem nothing is written, and the Status
//     (InvalidArgument) lists every problem found, up to
//     options.max_problems, one per line as "file:line:column: message"
//     (GraphML: the line and column expat reports).
//   * Bulk path. Into an empty graph, CSV and JSON Lines go through the
//     engine's BulkLoader (sorted SST files ingested in one step) unless
//     options.mode says otherwise; the graph that results is the same.
//
// Uses only the engine's public API.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "samverkan/db.h"
#include "samverkan/interrupt.h"
#include "samverkan/result.h"

namespace samverkan {

namespace options {
class Reader;  // samverkan/options.h
}  // namespace options

enum class ImportFormat {
  kAuto,     // from the file name: .json -> case, .jsonl/.ndjson -> jsonl,
             // .csv or a directory -> csv, .graphml/.xml -> graphml
  kCase,     // docs/case-format.md
  kCsv,      // Neo4j admin-import headers; a directory means DIR/nodes.csv + DIR/edges.csv
  kJsonl,    // one node or edge object per line
  kGraphml,  // NetworkX, igraph, Gephi, yEd
};

// "auto", "case", "csv", "jsonl", "graphml" (also "ndjson", "json" = case).
Result<ImportFormat> ParseImportFormat(std::string_view name);
std::string_view ImportFormatName(ImportFormat format);

enum class ImportMode {
  kAuto,         // bulk for CSV/JSONL into an empty graph, else a transaction
  kBulk,         // bulk; InvalidArgument unless the graph is empty
  kTransaction,  // one Transaction for the whole import
};

struct ImportInput {
  std::string path;
  ImportFormat format = ImportFormat::kAuto;
};

// Called now and then while reading: bytes read of all inputs so far, the
// total size of all inputs, records (nodes + edges) read so far.
using ImportProgress = std::function<void(uint64_t bytes_done, uint64_t bytes_total,
                                          uint64_t records)>;

// How a CSV file is written, for files that are not RFC 4180 with ISO dates
// (as funding agencies publish them). The names are DuckDB read_csv's, and
// kg_import's options object uses them (docs/formats.md).
struct CsvDialect {
  char delim = ',';  // the field separator: ',', ';', '\t', '|', ...
  char quote = '"';  // quotes a field; doubled inside it
  // "utf-8" (with or without a byte order mark), "cp1252" (Windows-1252,
  // which Excel writes in western Europe) or "latin-1" (ISO-8859-1). Other
  // encodings are converted to UTF-8 as the file is read; a byte the
  // encoding does not define is an error at its line and column.
  std::string encoding = "utf-8";
  char decimal_separator = '.';  // of double/float cells and :weight: '.' or ','
  // The dates of valid_from/valid_to and date cells, strftime-style: %Y, %m,
  // %d, %H, %M, %S and %% (e.g. "%d.%m.%Y %H:%M"). Empty: ISO (YYYY-MM-DD,
  // YYYY-MM, YYYY). The time of day is read, checked and dropped: a graph's
  // dates are days. A format without %d (or %m) reads a month (or a year),
  // which stands for its first day as valid_from and its last as valid_to.
  std::string dateformat;
};

// InvalidArgument naming the option that is wrong, in `in`'s words
// (samverkan/options.h; the first form: "delim: cannot be a line break or
// NUL").
Status CheckCsvDialect(const CsvDialect& dialect);
Status CheckCsvDialect(const CsvDialect& dialect, const options::Reader& in);
// The character a delim, quote or decimal_separator option gives: one
// character, or "\t" or "tab" for a tab. InvalidArgument names `option`
// in `in`'s words ("--delim: expected one character, found ';;'").
Result<char> ParseCsvCharacter(const std::string& text, std::string_view option,
                               const options::Reader& in);

struct ImportOptions {
  ImportMode mode = ImportMode::kAuto;
  // Stop after this many problems (each is reported; the rest are counted).
  size_t max_problems = 20;
  // CSV: cells that stand for a missing value when unquoted, besides the
  // empty cell (e.g. "NA", "NULL", "-", as written by R and many exports;
  // DuckDB's nullstr). A quoted "NA" is the text NA.
  std::vector<std::string> null_values;
  CsvDialect csv;
  // Kind of a new node whose input names none (CSV without :LABEL, GraphML).
  std::string default_kind = "node";
  // Type of a GraphML edge without a "type" attribute.
  std::string default_edge_type = "related_to";
  // Sectors to add to the graph's vocabulary before loading (Transaction::
  // AddSector). In a transaction they are part of the import; a bulk load
  // adds them in a transaction of their own first.
  std::vector<std::string> add_sectors;
  // CSV, JSONL, GraphML: if set, a node of kind "source" with this key is
  // merged (name = source_title or the key) and every node and edge read
  // cites it. Case files name their own sources.
  std::string source_key;
  std::string source_title;
  ImportProgress progress;  // may be empty
  // Label recorded with the engine batch; default "import <first file>".
  std::string label;
};

// Options from a JSON object, as kg_import takes them (docs/formats.md):
//   {"null" (or "nullstr"): "NA" | ["NA", "-"], "delim" (or "sep"): ";",
//    "quote": "'", "encoding": "cp1252", "decimal_separator": ",",
//    "dateformat": "%d.%m.%Y", "mode": "auto" | "bulk" | "transaction",
//    "max_problems": 20, "default_kind": "node", "default_edge_type": "...",
//    "add_sectors": ["..."] or "a,b", "source": "key", "source_title": "..."}
// Members not given keep their defaults; an unknown member or a wrong type is
// InvalidArgument("options: ...") naming the member.
Result<ImportOptions> ParseImportOptions(std::string_view json);

struct ImportSummary {
  uint64_t nodes = 0;  // node records written (upserts, new or not)
  uint64_t edges = 0;  // edge records written
  bool bulk = false;   // whether the bulk path was used
  uint64_t graph_nodes = 0;  // the graph's counts afterwards
  uint64_t graph_edges = 0;

  // {"nodes":..,"edges":..,"mode":"bulk"|"transaction","graph_nodes":..,"graph_edges":..}
  std::string ToJson() const;
};

// Imports `inputs` into `db` as one atomic unit (see above). Errors:
// InvalidArgument (bad input: every problem listed, nothing written),
// IOError (a file cannot be read), and whatever the Db returns (Busy while
// another transaction is open, ReadOnly, ...). `interrupt` is polled while
// reading and writing: when it fires the import stops, writes nothing and
// returns Interrupt::Stopped().
Result<ImportSummary> ImportFiles(Db& db, const std::vector<ImportInput>& inputs,
                                  const ImportOptions& options,
                                  const Interrupt& interrupt = Interrupt::Never());

}  // namespace samverkan
