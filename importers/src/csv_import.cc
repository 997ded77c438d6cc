// CSV nodes and edges files (Neo4j admin-import headers): see csv_columns.h
// for the header and docs/formats.md for the whole convention. This file
// reads the header and then the records in order; csv_records.cc turns a
// record into a node or an edge; csv_parallel.cc reads big files on both
// cores.
#include "csv_import.h"

#include <algorithm>
#include <thread>

#include "utf8.h"

namespace samverkan::importers {

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

CsvImport::CsvImport(ReadContext& ctx)
    : ctx_(ctx), reader_(ctx.data, {ctx.csv.delim, ctx.csv.quote}) {}

void CsvImport::Run() {
  if (size_t bad = FindInvalidUtf8(ctx_.data); bad != std::string_view::npos) {
    Report(LocateOffset(ctx_.file, ctx_.data, bad),
           ctx_.data[bad] == '\0'
               ? "a NUL byte, which CSV text cannot hold"
               : "invalid UTF-8 (a file written by Excel or an older system may be cp1252 or "
                 "latin-1: say which with --encoding, or kg_import's \"encoding\" option)");
    return;
  }
  if (!ReadHeader()) return;
  const size_t begin = reader_.position();
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  if (edges_ && threads > 1 && ctx_.data.size() - begin >= kPartBytes) {
    auto lanes = ctx_.sink->OpenEdgeLanes(std::min<size_t>(threads, 4));
    if (!lanes.empty()) return ReadInParts(begin, std::move(lanes));
  }
  if (!edges_ && threads > 1 && ctx_.data.size() - begin >= kPartBytes) {
    return ReadNodesAhead(begin);
  }
  Part whole(ctx_.data, begin, ctx_.data.size(), reader_.line(), ctx_.problems->limit(),
             syntax());
  uint64_t records = 0;
  ReadPart(whole, [&](size_t bytes) {
    if (++records % kProgressEvery == 0 && ctx_.progress) ctx_.progress(bytes, records);
  });
  ctx_.problems->Merge(whole.problems);
  if (ctx_.progress) ctx_.progress(ctx_.data.size(), records);
}

// Reads the records that start in the part (the last may end after it);
// `each` gets the bytes read so far after each one.
void CsvImport::ReadPart(Part& p, const std::function<void(size_t)>& each) {
  while (!p.problems.full() && !ctx_.interrupt->Requested() && p.reader.position() < p.end) {
    if (!p.reader.Next(p.fields)) {
      if (p.reader.error().empty()) break;
      Report(p, p.reader.Locate(ctx_.file, p.reader.error_offset()), p.reader.error());
      continue;
    }
    if (p.fields.size() == 1 && p.fields[0].text.empty() && !p.fields[0].quoted) continue;
    ApplyNulls(p.fields);
    if (p.fields.size() != columns_.size()) {
      Report(p, At(p, p.fields.back().offset + p.fields.back().text.size()),
             "expected " + std::to_string(columns_.size()) + " fields (as in the header), found " +
                 std::to_string(p.fields.size()));
      continue;
    }
    if (edges_) {
      EdgeRow(p);
    } else {
      NodeRow(p);
    }
    each(p.reader.position());
  }
}

void CsvImport::ApplyNulls(std::vector<CsvField>& fields) const {
  if (ctx_.null_values.empty()) return;
  for (auto& f : fields) {
    if (f.quoted) continue;
    for (const auto& null : ctx_.null_values) {
      if (f.text == null) {
        f.text = f.text.substr(0, 0);
        break;
      }
    }
  }
}

bool CsvImport::ReadHeader() {
  if (!reader_.Next(fields_)) {
    if (!reader_.error().empty()) {
      Report(At(reader_.error_offset()), reader_.error());
    } else {
      Report({ctx_.file, 1, 1}, "empty file: expected a header line");
    }
    return false;
  }
  for (const auto& f : fields_) {
    if (f.text == ":START_ID" || f.text.starts_with(":START_ID(")) edges_ = true;
  }
  bool ok = true;
  std::optional<CsvRole> seen[static_cast<int>(CsvRole::kIgnore) + 1];
  for (const auto& f : fields_) {
    auto col = ParseCsvColumn(f.text, edges_);
    if (!col.ok()) {
      Report(At(f.offset), col.status().message());
      ok = false;
      continue;
    }
    int r = static_cast<int>(col->role);
    if (col->role != CsvRole::kProp && col->role != CsvRole::kIgnore && seen[r]) {
      Report(At(f.offset), "column " + Quoted(f.text) + " appears twice");
      ok = false;
    }
    seen[r] = col->role;
    if (col->role == CsvRole::kProp) has_props_ = true;
    columns_.push_back(std::move(*col));
  }
  // A header read as one column that holds another likely separator: the
  // file's separator was not given.
  std::string hint;
  if (fields_.size() == 1) {
    for (char c : {';', '\t', '|', ','}) {
      if (c != ctx_.csv.delim && fields_[0].text.find(c) != std::string_view::npos) {
        hint = " (the header is one column: is the file separated by " + DelimName(c) +
               "? say so with --delim, or kg_import's \"delim\" option)";
        break;
      }
    }
  }
  auto require = [&](CsvRole role, const char* name) {
    if (!seen[static_cast<int>(role)]) {
      Report({ctx_.file, 1, 1}, std::string("expected a ") + name + " column in the header" + hint);
      ok = false;
    }
  };
  if (edges_) {
    require(CsvRole::kStart, ":START_ID");
    require(CsvRole::kEnd, ":END_ID");
    require(CsvRole::kType, ":TYPE");
  } else {
    require(CsvRole::kKey, ":ID (a nodes file) or :START_ID (an edges file)");
  }
  return ok;
}

CsvFileKind PeekCsvKind(std::string_view data, const CsvDialect& dialect) {
  CsvReader reader(data, {dialect.delim, dialect.quote});
  std::vector<CsvField> header;
  if (!reader.Next(header)) return CsvFileKind::kUnknown;
  for (const auto& f : header) {
    if (f.text.starts_with(":START_ID")) return CsvFileKind::kEdges;
  }
  for (const auto& f : header) {
    if (f.text.ends_with(":ID") || f.text.find(":ID(") != std::string_view::npos) {
      return CsvFileKind::kNodes;
    }
  }
  return CsvFileKind::kUnknown;
}

void ReadCsv(ReadContext& ctx) { CsvImport(ctx).Run(); }

}  // namespace samverkan::importers
