// Problems found while reading input, with where they are.
//
// Readers do not stop at the first problem: they report it here, skip the
// record and go on, so that one run lists everything wrong with a file (up
// to a limit). The import is rejected if anything was reported.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "samverkan/status.h"

namespace samverkan::importers {

// A place in an input file. line and column are 1-based; 0 means unknown.
// Columns count characters (UTF-8 code points), not bytes.
struct Location {
  std::string_view file;
  uint64_t line = 0;
  uint64_t column = 0;

  // "file:line:column", "file:line" or "file".
  std::string ToString() const;
};

class Problems {
 public:
  explicit Problems(size_t limit) : limit_(limit) {}

  void Add(const Location& where, std::string_view message);
  // A Status from the engine, e.g. "unknown node 'x'", at `where`.
  void Add(const Location& where, const Status& status) { Add(where, status.message()); }
  // A problem that every record naming the same thing repeats (an unknown
  // sector): listed once, at its first place, and counted as one problem,
  // as "where: message and N more records; detail" once more records than
  // the first have it. `key` tells such problems apart.
  void AddRepeated(std::string_view key, const Location& where, std::string_view message,
                   std::string_view detail);

  // Adds the problems of `later`, found further on in the input.
  void Merge(const Problems& later);

  bool empty() const { return count_ == 0; }
  // True once `limit` problems are listed: readers stop then.
  bool full() const { return count_ >= limit_; }
  size_t count() const { return count_; }
  size_t limit() const { return limit_; }

  // InvalidArgument listing the problems, one per line after a summary line;
  // OK when there are none.
  Status ToStatus() const;

 private:
  struct Line {
    std::string text;
    std::string key;     // of a repeated problem; empty for others
    std::string detail;  // of a repeated problem, after the count
    uint64_t times = 1;  // records with a repeated problem
  };
  void Append(Line line);

  size_t limit_;
  size_t count_ = 0;
  std::vector<Line> lines_;
};

// A problem the sink found with a node: an unknown sector is listed once
// (Problems::AddRepeated) with how to add it, since every record naming it
// would repeat it; anything else as it is.
void AddNodeProblem(Problems& problems, const Location& where, std::string_view sector,
                    const Status& status);

// The 1-based line and character column of byte `offset` in `text`, counted
// from byte `from` which is at (line, 1). For error messages only: linear.
Location LocateOffset(std::string_view file, std::string_view text, size_t offset,
                      size_t from = 0, uint64_t line = 1);

}  // namespace samverkan::importers
