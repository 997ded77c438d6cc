// The CSV reader (ReadCsv in readers.h), in three files by job:
//   csv_import.cc    the header, and the records read in order;
//   csv_records.cc   a record's cells as a node or an edge (typed values,
//                    checked, problems reported at their cell);
//   csv_parallel.cc  big files on both cores: an edges file in parts, a
//                    nodes file parsed a batch ahead (samverkan/parallel.h).
// csv_reader.h splits records into cells; csv_columns.h reads the header.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "csv_columns.h"
#include "csv_reader.h"
#include "readers.h"

namespace samverkan::importers {

// 's' -> "'s'", for messages.
std::string Quoted(std::string_view s);

// Progress is reported every this many records.
inline constexpr uint64_t kProgressEvery = 1 << 16;
// Edges and nodes files at least this big are read on both cores.
inline constexpr size_t kPartBytes = size_t{1} << 20;

// One stretch of the file being read, and where its records go.
struct Part {
  Part(std::string_view data, size_t begin, size_t end, uint64_t line, size_t max_problems,
       CsvSyntax syntax)
      : reader(data, begin, line, syntax), problems(max_problems), end(end) {}
  CsvReader reader;
  Problems problems;
  size_t end;
  EdgeLane* lane = nullptr;  // edges go here, or to the sink if null
  std::vector<CsvField> fields;
};

class CsvImport {
 public:
  explicit CsvImport(ReadContext& ctx);

  void Run();

 private:
  // A node record read ahead (ReadNodesAhead).
  struct NodeAhead {
    NodeInput node;
    bool bad = false;   // it has problems: it is read again, in turn, to report them
    size_t offset = 0;  // where the record starts, on `line`
    uint64_t line = 0;
    size_t sector_at = 0;
    size_t end = 0;  // the bytes read after it
  };

  // csv_import.cc
  bool ReadHeader();
  void ReadPart(Part& p, const std::function<void(size_t)>& each);
  // Unquoted cells that spell one of the file's missing values (--null) are
  // made empty, which is what a missing value is.
  void ApplyNulls(std::vector<CsvField>& fields) const;

  // csv_parallel.cc
  void ReadInParts(size_t begin, std::vector<std::unique_ptr<EdgeLane>> lanes);
  void ReadNodesAhead(size_t begin);

  // csv_records.cc
  bool Value(Part& p, size_t i, std::optional<nlohmann::json>* out);
  std::string ColumnName(size_t i) const;
  bool StringList(Part& p, size_t i, std::vector<std::string>* out);
  bool Date(Part& p, size_t i, std::optional<samverkan::Date>* out,
            samverkan::Date::Partial partial);
  void NodeRow(Part& p);
  bool ParseNode(Part& p, NodeInput* out);
  size_t SectorAt(const Part& p) const;
  void AddNode(Problems& problems, NodeInput& node, size_t offset, uint64_t line, size_t sector_at);
  void EdgeRow(Part& p);
  bool Prop(Part& p, size_t i, nlohmann::json& props);
  // The cells nodes and edges share: :sources (into `sources`) and properties.
  bool SourcesOrProp(Part& p, size_t i, std::vector<std::string>* sources,
                     nlohmann::json& props);

  CsvSyntax syntax() const { return {ctx_.csv.delim, ctx_.csv.quote}; }
  Location At(const Part& p, size_t offset) const { return p.reader.Locate(ctx_.file, offset); }
  Location At(size_t offset) const { return reader_.Locate(ctx_.file, offset); }
  void Report(const Location& where, std::string_view message) {
    ctx_.problems->Add(where, message);
  }
  void Report(Part& p, const Location& where, std::string_view message) {
    p.problems.Add(where, message);
  }

  ReadContext& ctx_;
  CsvReader reader_;
  std::vector<CsvField> fields_;
  std::vector<CsvColumn> columns_;
  bool edges_ = false;
  bool has_props_ = false;
};

}  // namespace samverkan::importers
