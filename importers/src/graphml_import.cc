// GraphML, as NetworkX, igraph, Gephi and yEd write it (docs/formats.md).
//
// Read with expat, streaming. A node's GraphML id is its key; <data> values
// are converted by their <key>'s attr.type. The attributes kind, name (or
// Gephi's label, or yEd's NodeLabel), sector, aliases and sources of nodes,
// and type (or label), rank, weight, valid_from, valid_to and sources of
// edges are fields; all others become properties. Edges are kept until the
// end of the document, since GraphML lets an edge come before its nodes.
#include <expat.h>

#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "readers.h"
#include "samverkan/text.h"

namespace samverkan::importers {
namespace {

using nlohmann::json;

constexpr size_t kChunk = 1 << 20;

enum class AttrType { kString, kInt, kFloat, kBoolean };

struct KeyDef {
  std::string name;
  AttrType type = AttrType::kString;
  std::string domain;  // node, edge, graph, all
  std::optional<std::string> default_value;
  bool node_graphics = false;  // yEd's yfiles.type="nodegraphics"
};

struct PendingEdge {
  EdgeInput edge;
  bool has_rank = false;
  uint64_t line;
  uint64_t column;
};

std::string_view LocalName(const XML_Char* name) {
  std::string_view n(name);
  size_t bar = n.rfind('|');
  return bar == std::string_view::npos ? n : n.substr(bar + 1);
}

const XML_Char* Attr(const XML_Char** attrs, std::string_view name) {
  for (int i = 0; attrs[i] != nullptr; i += 2) {
    if (LocalName(attrs[i]) == name) return attrs[i + 1];
  }
  return nullptr;
}

class GraphmlImport {
 public:
  explicit GraphmlImport(ReadContext& ctx) : ctx_(ctx) {}

  void Run() {
    XML_Parser parser = XML_ParserCreateNS("UTF-8", '|');
    parser_ = parser;
    XML_SetUserData(parser, this);
    XML_SetElementHandler(parser, &Start, &End);
    XML_SetCharacterDataHandler(parser, &Text);
    std::string_view data = ctx_.data;
    size_t off = 0;
    bool failed = false;
    do {
      size_t n = std::min(kChunk, data.size() - off);
      bool last = off + n == data.size();
      if (XML_Parse(parser, data.data() + off, static_cast<int>(n), last) == XML_STATUS_ERROR) {
        if (!stopped_) {
          Report(XML_GetCurrentLineNumber(parser), XML_GetCurrentColumnNumber(parser) + 1,
                 std::string("malformed XML: ") + XML_ErrorString(XML_GetErrorCode(parser)));
        }
        failed = true;
        break;
      }
      off += n;
      if (ctx_.progress) ctx_.progress(off, records_);
      if (ctx_.interrupt->Requested()) break;
    } while (off < data.size());
    XML_ParserFree(parser);
    if (failed) return;
    if (!seen_graph_) {
      Report(1, 1, "expected a <graphml> document with a <graph> element");
      return;
    }
    WriteEdges();
  }

 private:
  void Report(uint64_t line, uint64_t column, std::string_view message) {
    ctx_.problems->Add(Location{ctx_.file, line, column}, message);
    if (ctx_.problems->full() && !stopped_) {
      stopped_ = true;
      XML_StopParser(parser_, XML_FALSE);
    }
  }
  void ReportHere(std::string_view message) {
    Report(XML_GetCurrentLineNumber(parser_), XML_GetCurrentColumnNumber(parser_) + 1, message);
  }

  static void XMLCALL Start(void* self, const XML_Char* name, const XML_Char** attrs) {
    static_cast<GraphmlImport*>(self)->OnStart(name, attrs);
  }
  static void XMLCALL End(void* self, const XML_Char* name) {
    static_cast<GraphmlImport*>(self)->OnEnd(name);
  }
  static void XMLCALL Text(void* self, const XML_Char* s, int len) {
    auto* me = static_cast<GraphmlImport*>(self);
    if (me->collecting_) me->text_.append(s, static_cast<size_t>(len));
  }

  void OnStart(const XML_Char* raw, const XML_Char** attrs) {
    std::string_view name = LocalName(raw);
    if (in_data_) {  // yEd graphics inside <data>: only the label text matters
      if (name == "NodeLabel" && !label_done_) {
        collecting_ = true;
        text_.clear();
      }
      return;
    }
    if (name == "key") {
      KeyStart(attrs);
    } else if (name == "default") {
      collecting_ = true;
      text_.clear();
    } else if (name == "graph") {
      if (graph_depth_++ > 0) ReportHere("nested graphs are not supported");
      seen_graph_ = true;
    } else if (name == "node") {
      const XML_Char* id = Attr(attrs, "id");
      in_node_ = true;
      node_line_ = XML_GetCurrentLineNumber(parser_);
      node_column_ = XML_GetCurrentColumnNumber(parser_) + 1;
      node_id_ = id == nullptr ? "" : id;
      values_.clear();
      label_.reset();
      if (id == nullptr) ReportHere("<node>: missing attribute 'id'");
    } else if (name == "edge") {
      EdgeStart(attrs);
    } else if (name == "data") {
      DataStart(attrs);
    } else if (name == "hyperedge") {
      ReportHere("hyperedges are not supported");
    }
  }

  void OnEnd(const XML_Char* raw) {
    std::string_view name = LocalName(raw);
    if (in_data_ && name != "data") {
      if (name == "NodeLabel" && collecting_) {
        collecting_ = false;
        label_done_ = true;
        label_ = text_;
      }
      return;
    }
    if (name == "default") {
      collecting_ = false;
      if (current_key_) keys_[*current_key_].default_value = text_;
    } else if (name == "key") {
      current_key_.reset();
    } else if (name == "graph") {
      --graph_depth_;
    } else if (name == "data") {
      DataEnd();
    } else if (name == "node") {
      NodeEnd();
    } else if (name == "edge") {
      in_edge_ = false;
      if (edge_ok_) {
        EdgeFields();
      }
    }
  }

  void KeyStart(const XML_Char** attrs) {
    const XML_Char* id = Attr(attrs, "id");
    if (id == nullptr) {
      ReportHere("<key>: missing attribute 'id'");
      return;
    }
    KeyDef def;
    const XML_Char* an = Attr(attrs, "attr.name");
    def.name = an != nullptr ? an : id;
    const XML_Char* dom = Attr(attrs, "for");
    def.domain = dom != nullptr ? dom : "all";
    const XML_Char* yt = Attr(attrs, "yfiles.type");
    def.node_graphics = yt != nullptr && std::string_view(yt) == "nodegraphics";
    if (const XML_Char* t = Attr(attrs, "attr.type")) {
      std::string_view type(t);
      if (type == "int" || type == "long") {
        def.type = AttrType::kInt;
      } else if (type == "float" || type == "double") {
        def.type = AttrType::kFloat;
      } else if (type == "boolean") {
        def.type = AttrType::kBoolean;
      } else if (type != "string") {
        ReportHere("<key id=\"" + std::string(id) + "\">: unknown attr.type '" + std::string(type) +
                   "' (expected boolean, int, long, float, double or string)");
      }
    }
    keys_[id] = std::move(def);
    current_key_ = id;
  }

  void EdgeStart(const XML_Char** attrs) {
    in_edge_ = true;
    edge_ok_ = true;
    values_.clear();
    pending_ = PendingEdge{};
    pending_.line = XML_GetCurrentLineNumber(parser_);
    pending_.column = XML_GetCurrentColumnNumber(parser_) + 1;
    const XML_Char* src = Attr(attrs, "source");
    const XML_Char* dst = Attr(attrs, "target");
    if (src == nullptr || dst == nullptr) {
      ReportHere("<edge>: missing attribute 'source' or 'target'");
      edge_ok_ = false;
      return;
    }
    pending_.edge.src = NodeRef(std::string(src));
    pending_.edge.dst = NodeRef(std::string(dst));
  }

  void DataStart(const XML_Char** attrs) {
    const XML_Char* key = Attr(attrs, "key");
    data_key_ = key == nullptr ? "" : key;
    data_line_ = XML_GetCurrentLineNumber(parser_);
    data_column_ = XML_GetCurrentColumnNumber(parser_) + 1;
    if (key == nullptr || !keys_.contains(data_key_)) {
      ReportHere("<data>: key '" + data_key_ + "' is not declared by a <key> element");
      data_key_.clear();
    }
    in_data_ = true;
    label_done_ = false;
    collecting_ = !data_key_.empty() && !keys_[data_key_].node_graphics;
    text_.clear();
  }

  void DataEnd() {
    in_data_ = false;
    collecting_ = false;
    if (data_key_.empty() || (!in_node_ && !in_edge_)) return;  // graph-level data: ignored
    const KeyDef& def = keys_[data_key_];
    if (def.node_graphics) return;  // its label was taken already
    auto v = Convert(text_, def);
    if (!v) {
      Report(data_line_, data_column_, "<data key=\"" + data_key_ + "\">: " + convert_error_);
      if (in_edge_) edge_ok_ = false;
      else node_bad_ = true;
      return;
    }
    values_[def.name] = std::move(*v);
  }

  std::optional<json> Convert(const std::string& text, const KeyDef& def) {
    std::string_view t = text;
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
    switch (def.type) {
      case AttrType::kString:
        return json(text);
      case AttrType::kInt: {
        int64_t v = 0;
        auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec == std::errc() && end == t.data() + t.size() && !t.empty()) return json(v);
        convert_error_ = "expected an integer, found '" + text + "'";
        return std::nullopt;
      }
      case AttrType::kFloat: {
        double v = 0;
        auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec == std::errc() && end == t.data() + t.size() && !t.empty() && std::isfinite(v)) {
          return json(v);
        }
        convert_error_ = "expected a finite number, found '" + text + "'";
        return std::nullopt;
      }
      case AttrType::kBoolean:
        if (t == "true" || t == "True" || t == "1") return json(true);
        if (t == "false" || t == "False" || t == "0") return json(false);
        convert_error_ = "expected true or false, found '" + text + "'";
        return std::nullopt;
    }
    return std::nullopt;
  }

  // Defaults of keys for `domain` that this element did not set.
  void ApplyDefaults(std::string_view domain) {
    for (const auto& [id, def] : keys_) {
      if (!def.default_value || values_.contains(def.name)) continue;
      if (def.domain != domain && def.domain != "all") continue;
      if (auto v = Convert(*def.default_value, def)) values_[def.name] = std::move(*v);
    }
  }

  // A string field taken out of values_; false (reported) if not a string.
  bool TakeString(const char* name, std::string* out, uint64_t line, uint64_t column) {
    auto it = values_.find(name);
    if (it == values_.end()) return true;
    if (!it->second.is_string()) {
      Report(line, column, std::string(name) + ": expected a string value");
      return false;
    }
    *out = it->second.get<std::string>();
    values_.erase(it);
    return true;
  }
  // A list of keys written as a JSON array of strings (as our export does).
  bool TakeList(const char* name, std::vector<std::string>* out, uint64_t line, uint64_t column) {
    std::string text;
    if (!TakeString(name, &text, line, column)) return false;
    if (text.empty()) return true;
    json v = JsonNestingExceeds(text, 1) ? json() : json::parse(text, nullptr, false);
    bool ok = v.is_array();
    if (ok) {
      for (const auto& item : v) ok &= item.is_string();
    }
    if (!ok) {
      Report(line, column, std::string(name) + ": expected a JSON array of strings, found '" +
                               text + "'");
      return false;
    }
    for (const auto& item : v) out->push_back(item.get<std::string>());
    return true;
  }

  json PropsFromRest() {
    json props = json::object();
    for (auto& [name, value] : values_) {
      std::string_view n = name;
      if (n.starts_with("props.") && n.size() > 6) n.remove_prefix(6);
      props[std::string(n)] = std::move(value);
    }
    return props;
  }

  void NodeEnd() {
    in_node_ = false;
    bool bad = node_bad_;
    node_bad_ = false;
    if (node_id_.empty() || bad) return;
    ++records_;
    ApplyDefaults("node");
    NodeInput node;
    node.key = node_id_;
    uint64_t l = node_line_, c = node_column_;
    bool ok = TakeString("kind", &node.kind, l, c);
    ok &= TakeString("name", &node.name, l, c);
    if (node.name.empty() && values_.contains("label") && values_["label"].is_string()) {
      TakeString("label", &node.name, l, c);
    }
    if (node.name.empty() && label_) node.name = *label_;
    ok &= TakeString("sector", &node.sector, l, c);
    ok &= TakeList("aliases", &node.aliases, l, c);
    std::vector<std::string> sources;
    ok &= TakeList("sources", &sources, l, c);
    if (!ok) return;
    for (auto& s : sources) node.sources.emplace_back(std::move(s));
    json props = PropsFromRest();
    if (!props.empty()) node.props = props.dump();
    if (Status s = ctx_.sink->AddNode(node); !s.ok()) {
      AddNodeProblem(*ctx_.problems, Location{ctx_.file, l, c}, node.sector, s);
      if (ctx_.problems->full() && !stopped_) {
        stopped_ = true;
        XML_StopParser(parser_, XML_FALSE);
      }
    }
  }

  void EdgeFields() {
    ++records_;
    ApplyDefaults("edge");
    EdgeInput& e = pending_.edge;
    uint64_t l = pending_.line, c = pending_.column;
    bool ok = TakeString("type", &e.type, l, c);
    if (e.type.empty() && values_.contains("label") && values_["label"].is_string()) {
      ok &= TakeString("label", &e.type, l, c);
    }
    if (e.type.empty()) e.type = ctx_.default_edge_type;
    if (auto it = values_.find("rank"); it != values_.end()) {
      if (it->second.is_number_integer() && it->second.get<int64_t>() >= 0 &&
          it->second.get<int64_t>() <= UINT32_MAX) {
        e.rank = it->second.get<uint32_t>();
        pending_.has_rank = true;
      } else {
        Report(l, c, "rank: expected a whole number from 0 to 4294967295");
        ok = false;
      }
      values_.erase(it);
    }
    if (auto it = values_.find("weight"); it != values_.end()) {
      if (it->second.is_number()) {
        e.weight = it->second.get<double>();
      } else {
        Report(l, c, "weight: expected a number (declare the key with attr.type=\"double\")");
        ok = false;
      }
      values_.erase(it);
    }
    for (auto [name, slot, partial] :
         {std::tuple{"valid_from", &e.validity.from, Date::Partial::kFirstDay},
          std::tuple{"valid_to", &e.validity.to, Date::Partial::kLastDay}}) {
      std::string text;
      if (!TakeString(name, &text, l, c)) {
        ok = false;
      } else if (!text.empty()) {
        auto d = Date::Parse(text, partial);
        if (d.ok()) {
          *slot = *d;
        } else {
          Report(l, c, std::string(name) + ": expected a date (YYYY-MM-DD), found '" + text + "'");
          ok = false;
        }
      }
    }
    std::vector<std::string> sources;
    ok &= TakeList("sources", &sources, l, c);
    if (!ok) return;
    for (auto& s : sources) e.sources.emplace_back(std::move(s));
    json props = PropsFromRest();
    if (!props.empty()) e.props = props.dump();
    edges_.push_back(std::move(pending_));
  }

  // Parallel edges (a multigraph) without a rank get ranks 0, 1, ... in
  // document order, so that none replaces another.
  void WriteEdges() {
    std::map<std::tuple<std::string, std::string, std::string>, uint32_t> next_rank;
    for (auto& p : edges_) {
      if (ctx_.stop()) return;
      if (!p.has_rank) p.edge.rank = next_rank[{p.edge.src.key, p.edge.type, p.edge.dst.key}]++;
      if (Status s = ctx_.sink->AddEdge(p.edge); !s.ok()) {
        ctx_.problems->Add(Location{ctx_.file, p.line, p.column}, s.message());
      }
    }
  }

  ReadContext& ctx_;
  XML_Parser parser_ = nullptr;
  bool stopped_ = false;
  std::map<std::string, KeyDef, std::less<>> keys_;
  std::optional<std::string> current_key_;
  int graph_depth_ = 0;
  bool seen_graph_ = false;
  bool in_node_ = false, in_edge_ = false, in_data_ = false;
  bool node_bad_ = false, edge_ok_ = true;
  bool collecting_ = false, label_done_ = false;
  std::string text_;
  std::string node_id_;
  uint64_t node_line_ = 0, node_column_ = 0;
  std::string data_key_;
  uint64_t data_line_ = 0, data_column_ = 0;
  std::string convert_error_;
  std::optional<std::string> label_;
  std::map<std::string, json> values_;  // attribute name -> value of the current element
  PendingEdge pending_;
  std::vector<PendingEdge> edges_;
  uint64_t records_ = 0;
};

}  // namespace

void ReadGraphml(ReadContext& ctx) { GraphmlImport(ctx).Run(); }

}  // namespace samverkan::importers
