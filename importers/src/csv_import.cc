// CSV nodes and edges files (Neo4j admin-import headers): see csv_columns.h
// for the header and docs/formats.md for the whole convention.
#include <charconv>
#include <cmath>
#include <optional>

#include "csv_columns.h"
#include "csv_reader.h"
#include "readers.h"
#include "utf8.h"

namespace samverkan::importers {
namespace {

constexpr uint64_t kProgressEvery = 1 << 16;

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

class CsvImport {
 public:
  explicit CsvImport(ReadContext& ctx) : ctx_(ctx), reader_(ctx.data) {}

  void Run() {
    if (size_t bad = FindInvalidUtf8(ctx_.data); bad != std::string_view::npos) {
      Report(LocateOffset(ctx_.file, ctx_.data, bad), "invalid UTF-8 (or a NUL byte)");
      return;
    }
    if (!ReadHeader()) return;
    uint64_t records = 0;
    while (!ctx_.problems->full()) {
      if (!reader_.Next(fields_)) {
        if (reader_.error().empty()) break;
        Report(reader_.Locate(ctx_.file, reader_.error_offset()), reader_.error());
        continue;
      }
      if (fields_.size() == 1 && fields_[0].text.empty() && !fields_[0].quoted) continue;
      if (fields_.size() != columns_.size()) {
        Report(At(fields_.back().offset + fields_.back().text.size()),
               "expected " + std::to_string(columns_.size()) + " fields (as in the header), found " +
                   std::to_string(fields_.size()));
        continue;
      }
      if (edges_) {
        EdgeRow();
      } else {
        NodeRow();
      }
      if (++records % kProgressEvery == 0 && ctx_.progress) {
        ctx_.progress(reader_.position(), records);
      }
    }
    if (ctx_.progress) ctx_.progress(ctx_.data.size(), records);
  }

 private:
  Location At(size_t offset) const { return reader_.Locate(ctx_.file, offset); }
  void Report(const Location& where, std::string_view message) {
    ctx_.problems->Add(where, message);
  }

  bool ReadHeader() {
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
    auto require = [&](CsvRole role, const char* name) {
      if (!seen[static_cast<int>(role)]) {
        Report({ctx_.file, 1, 1}, std::string("expected a ") + name + " column in the header");
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

  // The typed value of cell i; reports and returns false on a bad one.
  bool Value(size_t i, std::optional<nlohmann::json>* out) {
    auto v = ParseCsvValue(fields_[i].text, fields_[i].quoted, columns_[i]);
    if (!v.ok()) {
      Report(At(fields_[i].offset), ColumnName(i) + ": " + v.status().message());
      return false;
    }
    *out = std::move(*v);
    return true;
  }

  std::string ColumnName(size_t i) const {
    const CsvColumn& c = columns_[i];
    switch (c.role) {
      case CsvRole::kProp: return c.prop;
      case CsvRole::kAliases: return "aliases";
      case CsvRole::kSources: return "sources";
      case CsvRole::kRank: return "rank";
      case CsvRole::kWeight: return "weight";
      case CsvRole::kValidFrom: return "valid_from";
      case CsvRole::kValidTo: return "valid_to";
      default: return "column " + std::to_string(i + 1);
    }
  }

  // A list of strings from an aliases/sources cell (string[] or json).
  bool StringList(size_t i, std::vector<std::string>* out) {
    std::optional<nlohmann::json> v;
    if (!Value(i, &v)) return false;
    if (!v) return true;
    if (!v->is_array()) {
      Report(At(fields_[i].offset), ColumnName(i) + ": expected a JSON array of strings");
      return false;
    }
    for (const auto& item : *v) {
      if (!item.is_string()) {
        Report(At(fields_[i].offset), ColumnName(i) + ": expected a JSON array of strings");
        return false;
      }
      out->push_back(item.get<std::string>());
    }
    return true;
  }

  bool Date(size_t i, std::optional<samverkan::Date>* out) {
    std::string_view t = fields_[i].text;
    if (t.empty()) return true;
    auto d = Date::Parse(t);
    if (!d.ok()) {
      Report(At(fields_[i].offset), ColumnName(i) + ": expected a date (YYYY-MM-DD, YYYY-MM or "
                                                     "YYYY), found " + Quoted(t));
      return false;
    }
    *out = *d;
    return true;
  }

  void NodeRow() {
    NodeInput node;
    nlohmann::json props;  // null (no allocation) until a property is set
    bool ok = true;
    std::vector<std::string> sources;
    for (size_t i = 0; i < columns_.size(); ++i) {
      std::string_view t = fields_[i].text;
      switch (columns_[i].role) {
        case CsvRole::kKey: node.key = std::string(t); break;
        case CsvRole::kLabel:
          if (t.find(';') != std::string_view::npos) {
            Report(At(fields_[i].offset), ":LABEL: expected one label (the node's kind), found " +
                                              Quoted(t));
            ok = false;
          }
          node.kind = std::string(t);
          break;
        case CsvRole::kName: node.name = std::string(t); break;
        case CsvRole::kSector: node.sector = std::string(t); break;
        case CsvRole::kAliases: ok &= StringList(i, &node.aliases); break;
        case CsvRole::kSources: ok &= StringList(i, &sources); break;
        case CsvRole::kProp: ok &= Prop(i, props); break;
        default: break;
      }
    }
    if (node.key.empty()) {
      Report(At(reader_.record_offset()), "missing key (the :ID column is empty)");
      return;
    }
    if (!ok) return;
    for (auto& s : sources) node.sources.emplace_back(std::move(s));
    if (!props.empty()) node.props = props.dump();
    if (Status s = ctx_.sink->AddNode(node); !s.ok()) {
      size_t at = reader_.record_offset();
      if (s.message().find("sector") != std::string::npos) {  // point at the sector cell
        for (size_t i = 0; i < columns_.size(); ++i) {
          if (columns_[i].role == CsvRole::kSector) at = fields_[i].offset;
        }
      }
      Report(At(at), s.message());
    }
  }

  void EdgeRow() {
    EdgeInput edge;
    nlohmann::json props;  // null (no allocation) until a property is set
    bool ok = true;
    std::vector<std::string> sources;
    for (size_t i = 0; i < columns_.size(); ++i) {
      std::string_view t = fields_[i].text;
      switch (columns_[i].role) {
        case CsvRole::kStart: edge.src = NodeRef(t); break;
        case CsvRole::kEnd: edge.dst = NodeRef(t); break;
        case CsvRole::kType: edge.type = std::string(t); break;
        case CsvRole::kRank:
          if (!t.empty()) {
            auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), edge.rank);
            if (ec != std::errc() || end != t.data() + t.size()) {
              Report(At(fields_[i].offset),
                     "rank: expected a whole number from 0 to 4294967295, found " + Quoted(t));
              ok = false;
            }
          }
          break;
        case CsvRole::kWeight:
          if (!t.empty()) {
            double w = 0;
            auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), w);
            if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(w)) {
              Report(At(fields_[i].offset), "weight: expected a number, found " + Quoted(t));
              ok = false;
            } else {
              edge.weight = w;
            }
          }
          break;
        case CsvRole::kValidFrom: ok &= Date(i, &edge.validity.from); break;
        case CsvRole::kValidTo: ok &= Date(i, &edge.validity.to); break;
        case CsvRole::kSources: ok &= StringList(i, &sources); break;
        case CsvRole::kProp: ok &= Prop(i, props); break;
        default: break;
      }
    }
    for (auto [ref, name] : {std::pair{&edge.src, ":START_ID"}, std::pair{&edge.dst, ":END_ID"}}) {
      if (ref->key.empty()) {
        Report(At(reader_.record_offset()), std::string("missing ") + name);
        ok = false;
      }
    }
    if (edge.type.empty()) {
      Report(At(reader_.record_offset()), "missing :TYPE");
      ok = false;
    }
    if (!ok) return;
    for (auto& s : sources) edge.sources.emplace_back(std::move(s));
    if (has_props_ && !props.empty()) edge.props = props.dump();
    if (Status s = ctx_.sink->AddEdge(edge); !s.ok()) Report(At(reader_.record_offset()), s.message());
  }

  bool Prop(size_t i, nlohmann::json& props) {
    std::optional<nlohmann::json> v;
    if (!Value(i, &v)) return false;
    if (v) props[columns_[i].prop] = std::move(*v);
    return true;
  }

  ReadContext& ctx_;
  CsvReader reader_;
  std::vector<CsvField> fields_;
  std::vector<CsvColumn> columns_;
  bool edges_ = false;
  bool has_props_ = false;
};

}  // namespace

CsvFileKind PeekCsvKind(std::string_view data) {
  CsvReader reader(data);
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
