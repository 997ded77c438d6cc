// Turning a CSV record into a node or an edge: the typed value of each
// cell, checked, with every problem reported at its cell. See csv_import.h.
#include <charconv>
#include <cmath>

#include "csv_import.h"

namespace samverkan::importers {

// The typed value of cell i; reports and returns false on a bad one.
bool CsvImport::Value(Part& p, size_t i, std::optional<nlohmann::json>* out) {
  auto v = ParseCsvValue(p.fields[i].text, p.fields[i].quoted, columns_[i],
                         {ctx_.csv.decimal_separator, ctx_.date_format});
  if (!v.ok()) {
    Report(p, At(p, p.fields[i].offset), ColumnName(i) + ": " + v.status().message());
    return false;
  }
  *out = std::move(*v);
  return true;
}

std::string CsvImport::ColumnName(size_t i) const {
  const CsvColumn& c = columns_[i];
  switch (c.role) {
    case CsvRole::kProp:
      return c.prop;
    case CsvRole::kAliases:
      return "aliases";
    case CsvRole::kSources:
      return "sources";
    case CsvRole::kRank:
      return "rank";
    case CsvRole::kWeight:
      return "weight";
    case CsvRole::kValidFrom:
      return "valid_from";
    case CsvRole::kValidTo:
      return "valid_to";
    default:
      return "column " + std::to_string(i + 1);
  }
}

// A list of strings from an aliases/sources cell (string[] or json).
bool CsvImport::StringList(Part& p, size_t i, std::vector<std::string>* out) {
  std::optional<nlohmann::json> v;
  if (!Value(p, i, &v)) return false;
  if (!v) return true;
  if (!v->is_array()) {
    Report(p, At(p, p.fields[i].offset), ColumnName(i) + ": expected a JSON array of strings");
    return false;
  }
  for (const auto& item : *v) {
    if (!item.is_string()) {
      Report(p, At(p, p.fields[i].offset), ColumnName(i) + ": expected a JSON array of strings");
      return false;
    }
    out->push_back(item.get<std::string>());
  }
  return true;
}

bool CsvImport::Date(Part& p, size_t i, std::optional<samverkan::Date>* out,
                     samverkan::Date::Partial partial) {
  std::string_view t = p.fields[i].text;
  if (t.empty()) return true;
  if (ctx_.date_format != nullptr) {
    auto d = ctx_.date_format->Read(t, partial);
    if (!d.ok()) {
      Report(p, At(p, p.fields[i].offset), ColumnName(i) + ": " + d.status().message());
      return false;
    }
    *out = *d;
    return true;
  }
  auto d = Date::Parse(t, partial);
  if (!d.ok()) {
    Report(p, At(p, p.fields[i].offset),
           ColumnName(i) +
               ": expected a date (YYYY-MM-DD, YYYY-MM or "
               "YYYY), found " +
               Quoted(t));
    return false;
  }
  *out = *d;
  return true;
}

void CsvImport::NodeRow(Part& p) {
  NodeInput node;
  if (!ParseNode(p, &node)) return;
  AddNode(p.problems, node, p.reader.record_offset(), p.reader.record_line(), SectorAt(p));
}

// The node of the current record; false, with its problems reported, if
// it has any.
bool CsvImport::ParseNode(Part& p, NodeInput* out) {
  NodeInput& node = *out;
  nlohmann::json props;  // null (no allocation) until a property is set
  bool ok = true;
  std::vector<std::string> sources;
  for (size_t i = 0; i < columns_.size(); ++i) {
    std::string_view t = p.fields[i].text;
    switch (columns_[i].role) {
      case CsvRole::kKey:
        node.key = std::string(t);
        break;
      case CsvRole::kLabel:
        if (t.find(';') != std::string_view::npos) {
          Report(p, At(p, p.fields[i].offset),
                 ":LABEL: expected one label (the node's kind), found " + Quoted(t));
          ok = false;
        }
        node.kind = std::string(t);
        break;
      case CsvRole::kName:
        node.name = std::string(t);
        break;
      case CsvRole::kSector:
        node.sector = std::string(t);
        break;
      case CsvRole::kAliases:
        ok &= StringList(p, i, &node.aliases);
        break;
      default:
        ok &= SourcesOrProp(p, i, &sources, props);
        break;
    }
  }
  if (node.key.empty()) {
    Report(p, At(p, p.reader.record_offset()), "missing key (the :ID column is empty)");
    return false;
  }
  if (!ok) return false;
  for (auto& s : sources) node.sources.emplace_back(std::move(s));
  if (!props.empty()) node.props = props.dump();
  return true;
}

// Where the current record's sector cell is, for errors about it.
size_t CsvImport::SectorAt(const Part& p) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].role == CsvRole::kSector) return p.fields[i].offset;
  }
  return p.reader.record_offset();
}

// Gives the sink a node read from the record at `offset` (on `line`).
void CsvImport::AddNode(Problems& problems, NodeInput& node, size_t offset, uint64_t line,
                        size_t sector_at) {
  Status s = ctx_.sink->AddNode(node);
  if (s.ok()) return;
  const size_t at = s.message().find("sector") != std::string::npos ? sector_at : offset;
  AddNodeProblem(problems, LocateOffset(ctx_.file, ctx_.data, at, offset, line), node.sector, s);
}

void CsvImport::EdgeRow(Part& p) {
  EdgeInput edge;
  nlohmann::json props;  // null (no allocation) until a property is set
  bool ok = true;
  std::vector<std::string> sources;
  for (size_t i = 0; i < columns_.size(); ++i) {
    std::string_view t = p.fields[i].text;
    switch (columns_[i].role) {
      case CsvRole::kStart:
        edge.src = NodeRef(t);
        break;
      case CsvRole::kEnd:
        edge.dst = NodeRef(t);
        break;
      case CsvRole::kType:
        edge.type = std::string(t);
        break;
      case CsvRole::kRank:
        if (!t.empty()) {
          auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), edge.rank);
          if (ec != std::errc() || end != t.data() + t.size()) {
            Report(p, At(p, p.fields[i].offset),
                   "rank: expected a whole number from 0 to 4294967295, found " + Quoted(t));
            ok = false;
          }
        }
        break;
      case CsvRole::kWeight:
        if (!t.empty()) {
          auto w = ParseCsvNumber(t, ctx_.csv.decimal_separator);
          if (!w.ok()) {
            Report(p, At(p, p.fields[i].offset), "weight: " + w.status().message());
            ok = false;
          } else {
            edge.weight = *w;
          }
        }
        break;
      case CsvRole::kValidFrom:
        ok &= Date(p, i, &edge.validity.from, samverkan::Date::Partial::kFirstDay);
        break;
      case CsvRole::kValidTo:
        ok &= Date(p, i, &edge.validity.to, samverkan::Date::Partial::kLastDay);
        break;
      default:
        ok &= SourcesOrProp(p, i, &sources, props);
        break;
    }
  }
  for (auto [ref, name] : {std::pair{&edge.src, ":START_ID"}, std::pair{&edge.dst, ":END_ID"}}) {
    if (ref->key.empty()) {
      Report(p, At(p, p.reader.record_offset()), std::string("missing ") + name);
      ok = false;
    }
  }
  if (edge.type.empty()) {
    Report(p, At(p, p.reader.record_offset()), "missing :TYPE");
    ok = false;
  }
  if (!ok) return;
  for (auto& s : sources) edge.sources.emplace_back(std::move(s));
  if (has_props_ && !props.empty()) edge.props = props.dump();
  Status s = p.lane ? p.lane->AddEdge(edge) : ctx_.sink->AddEdge(edge);
  if (!s.ok()) Report(p, At(p, p.reader.record_offset()), s.message());
}

bool CsvImport::SourcesOrProp(Part& p, size_t i, std::vector<std::string>* sources,
                              nlohmann::json& props) {
  switch (columns_[i].role) {
    case CsvRole::kSources: return StringList(p, i, sources);
    case CsvRole::kProp: return Prop(p, i, props);
    default: return true;
  }
}

bool CsvImport::Prop(Part& p, size_t i, nlohmann::json& props) {
  std::optional<nlohmann::json> v;
  if (!Value(p, i, &v)) return false;
  if (v) props[columns_[i].prop] = std::move(*v);
  return true;
}

}  // namespace samverkan::importers
