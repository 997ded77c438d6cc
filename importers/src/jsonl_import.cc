// JSON Lines: one node or edge object per line (docs/formats.md).
//
//   {"key":"org:msi","kind":"actor","name":"MSI","sector":"nonprofit","props":{"founded":2010}}
//   {"src":"org:msi","type":"located_in","dst":"reg:malmo"}
//
// A line with "key" is a node, one with "src" an edge. Nodes must come
// before the edges that use them.
#include "json_error.h"
#include "json_fields.h"
#include "json_limits.h"
#include "readers.h"

namespace samverkan::importers {
namespace {

constexpr uint64_t kProgressEvery = 1 << 14;

using nlohmann::json;

class JsonlImport {
 public:
  explicit JsonlImport(ReadContext& ctx) : ctx_(ctx) {}

  void Run() {
    std::string_view data = ctx_.data;
    if (data.starts_with("\xEF\xBB\xBF")) pos_ = 3;
    uint64_t records = 0;
    while (pos_ < data.size() && !ctx_.stop()) {
      size_t nl = data.find('\n', pos_);
      size_t end = nl == std::string_view::npos ? data.size() : nl;
      line_ = data.substr(pos_, end - pos_);
      if (line_.ends_with('\r')) line_.remove_suffix(1);
      line_start_ = pos_;
      if (line_.find_first_not_of(" \t") != std::string_view::npos) {
        Line();
        if (++records % kProgressEvery == 0 && ctx_.progress) ctx_.progress(end, records);
      }
      pos_ = end + 1;
      ++line_no_;
    }
    if (ctx_.progress) ctx_.progress(data.size(), records);
  }

 private:
  Location At(size_t offset_in_line) const {
    return LocateOffset(ctx_.file, ctx_.data, line_start_ + offset_in_line, line_start_, line_no_);
  }
  // Where a member is: the first occurrence of its quoted name on the line.
  Location AtField(std::string_view field) const {
    if (field.empty()) return At(0);
    size_t at = line_.find("\"" + std::string(field) + "\"");
    return At(at == std::string_view::npos ? 0 : at);
  }

  void Line() {
    if (auto at = JsonNestingExceeds(line_, kMaxDocumentDepth)) {
      ctx_.problems->Add(At(*at), "JSON " + TooDeepMessage(kMaxDocumentDepth));
      return;
    }
    json obj;
    try {
      obj = json::parse(line_);
    } catch (const json::parse_error& e) {
      size_t byte = e.byte > 0 ? e.byte - 1 : 0;
      ctx_.problems->Add(At(std::min(byte, line_.size())), JsonErrorText(e));
      return;
    } catch (const json::exception& e) {
      // Not a syntax error but a value nlohmann cannot hold (a number such
      // as 1e999 overflows): no position, so the line.
      std::string what = e.what();
      size_t bracket = what.find("] ");
      ctx_.problems->Add(At(0), bracket == std::string::npos ? what : what.substr(bracket + 2));
      return;
    }
    if (auto duplicate = FindDuplicateJsonKey(line_)) {
      ctx_.problems->Add(At(duplicate->offset), DuplicateJsonKeyMessage(*duplicate));
      return;
    }
    FieldReport report = [&](std::string_view field, const std::string& message) {
      ctx_.problems->Add(AtField(field), message);
    };
    if (!obj.is_object()) {
      ctx_.problems->Add(At(0), "expected an object, found " + std::string(JsonTypeName(obj)));
    } else if (obj.contains("key")) {
      Node(obj, report);
    } else if (obj.contains("src")) {
      Edge(obj, report);
    } else {
      ctx_.problems->Add(At(0), "expected a node (an object with \"key\") or an edge (with "
                                "\"src\", \"type\" and \"dst\")");
    }
  }

  void Node(const json& obj, const FieldReport& report) {
    NodeInput node;
    bool ok = CheckFields(obj, {"key", "kind", "name", "sector", "aliases", "props", "sources"},
                          report);
    ok &= RequiredString(obj, "key", &node.key, report);
    ok &= OptionalString(obj, "kind", &node.kind, report);
    ok &= OptionalString(obj, "name", &node.name, report);
    ok &= OptionalString(obj, "sector", &node.sector, report);
    ok &= OptionalStringList(obj, "aliases", &node.aliases, report);
    json props;
    ok &= OptionalProps(obj, "props", &props, report);
    if (props.is_object() && !props.empty()) node.props = props.dump();
    std::vector<std::string> sources;
    ok &= OptionalStringList(obj, "sources", &sources, report);
    for (auto& s : sources) node.sources.emplace_back(std::move(s));
    if (!ok) return;
    if (Status s = ctx_.sink->AddNode(node); !s.ok()) {
      AddNodeProblem(*ctx_.problems, At(0), node.sector, s);
    }
  }

  void Edge(const json& obj, const FieldReport& report) {
    EdgeInput edge;
    bool ok = CheckFields(obj, {"src", "type", "dst", "rank", "weight", "valid_from", "valid_to",
                                "props", "sources"},
                          report);
    ok &= ReadEdgeFields(obj, &edge, report);
    if (!ok) return;
    if (Status s = ctx_.sink->AddEdge(edge); !s.ok()) ctx_.problems->Add(At(0), s);
  }

  ReadContext& ctx_;
  size_t pos_ = 0;
  uint64_t line_no_ = 1;
  std::string_view line_;
  size_t line_start_ = 0;
};

}  // namespace

void ReadJsonl(ReadContext& ctx) { JsonlImport(ctx).Run(); }

}  // namespace samverkan::importers
