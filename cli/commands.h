// The subcommands of the `samverkan` tool. Each returns the process's exit
// code (ExitCode); messages go to stderr, results to stdout.
#pragma once

#include <string>
#include <vector>

#include "samverkan/status.h"

namespace samverkan::cli {

// Documented in `samverkan --help` and docs/cli.md. DO NOT RENUMBER:
// scripts depend on them.
enum ExitCode : int {
  kExitOk = 0,
  kExitBadInput = 1,     // the input files have problems; nothing was imported
  kExitUsage = 2,        // bad command line
  kExitCannotOpen = 3,   // the graph cannot be opened (missing, locked, not a graph)
  kExitIo = 4,           // a file cannot be read or written
  kExitIntegrity = 5,    // check: the graph has integrity problems
  kExitOther = 6,        // any other error (busy, internal)
  kExitInterrupted = 130,  // Ctrl-C: stopped, nothing written (128 + SIGINT, as shells report)
};

struct ImportArgs {
  std::string graph;
  std::vector<std::string> files;
  std::string format = "auto";
  bool bulk = false, no_bulk = false;
  std::string source, source_title;
  std::vector<std::string> add_sectors;
  std::vector<std::string> null_values;
  // CSV dialect (CsvDialect), as given: one character each for delim, quote
  // and decimal_separator ("tab" or "\t" for a tab).
  std::string delim = ",", quote = "\"", decimal_separator = ".";
  std::string encoding = "utf-8", dateformat;
  size_t max_errors = 20;
  std::string default_kind = "node";
  bool quiet = false;
  bool json = false;
  // How long to wait for another process that holds the graph open for
  // writing (a sqlite3 shell) to hand it over, in milliseconds.
  int wait_ms = 5000;
};
int RunImport(const ImportArgs& args);

struct ExportArgs {
  std::string graph;
  std::string output;
  std::string format;  // empty: from the output's extension
  bool json = false;
};
int RunExport(const ExportArgs& args);

// draw and report: the options become the JSON object kg_export takes, so
// that both check them the same way (ParseDrawingOptions).
struct PictureArgs {
  std::string graph;
  std::string output;
  bool report = false;  // report; else draw (format from the output's extension)
  std::vector<std::pair<std::string, std::string>> text;     // member, value
  std::vector<std::pair<std::string, int64_t>> integers;     // member, value
  bool isolates = false;  // --isolates: "isolates": true in the options
  bool json = false;
};
int RunPicture(const PictureArgs& args);

int RunStats(const std::string& graph, bool json);
// Checks `graph`; with `repair_to`, first salvages it into a new graph
// there (Db::Salvage) and checks that one.
int RunCheck(const std::string& graph, const std::string& repair_to);

// settle: decides a transaction a crash left prepared (see RunCheck), for a
// graph whose coordinator (the .db that prepared it) is gone.
struct SettleArgs {
  std::string graph;
  std::string xid;  // empty: the graph's one undecided transaction
  bool commit = false, rollback = false;
  int wait_ms = 5000;  // as ImportArgs::wait_ms
};
int RunSettle(const SettleArgs& args);

// The exit code for a failed Status.
int ExitFor(const Status& status);

}  // namespace samverkan::cli
