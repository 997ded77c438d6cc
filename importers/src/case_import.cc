// Case files (samverkan-case/1): docs/case-format.md is the specification
// this reader implements, rule by rule.
//
// All nodes are written first (sources, then each section in order), then
// all edges (those implied by region / part_of / roles, then relations), so
// that an entry may refer to a node defined further down the file.
#include <map>
#include <set>

#include <fmt/format.h>

#include "json_fields.h"
#include "json_limits.h"
#include "json_positions.h"
#include "readers.h"

namespace samverkan::importers {
namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "samverkan-case/1";

struct Section {
  const char* name;
  const char* kind;  // nullptr: entries name their own kind
};
constexpr Section kSections[] = {{"actors", "actor"},   {"projects", "project"},
                                 {"regions", "region"}, {"people", "person"},
                                 {"events", "event"},   {"nodes", nullptr}};

class CaseImport {
 public:
  explicit CaseImport(ReadContext& ctx) : ctx_(ctx) {}

  void Run() {
    if (auto at = JsonNestingExceeds(ctx_.data, kMaxDocumentDepth)) {
      Report(*at, "JSON " + TooDeepMessage(kMaxDocumentDepth));
      return;
    }
    doc_ = ParseWithPositions(ctx_.data);
    if (doc_.failed) {
      Report(doc_.error_offset, doc_.error);
      return;
    }
    if (auto duplicate = FindDuplicateJsonKey(ctx_.data)) {
      Report(duplicate->offset, DuplicateJsonKeyMessage(*duplicate));
      return;
    }
    const json& root = doc_.value;
    if (!root.is_object()) {
      Report(0, "expected a case object ({\"format\": \"samverkan-case/1\", ...}), found " +
                    std::string(JsonTypeName(root)));
      return;
    }
    CheckFields(root, {"format", "source", "sources", "actors", "projects", "regions", "people",
                       "events", "nodes", "relations"},
                Reporter(""));
    auto format = root.find("format");
    if (format == root.end()) {
      Report(0, "missing required field 'format' (expected \"samverkan-case/1\")");
      return;
    }
    if (!format->is_string() || format->get<std::string>() != kFormat) {
      Report(At("/format"), "format: expected \"samverkan-case/1\", found " + format->dump());
      return;
    }
    Sources(root);
    for (const Section& s : kSections) NodeSection(root, s);
    for (auto& [edge, path] : implied_edges_) WriteEdge(edge, path);
    Relations(root);
    if (ctx_.progress) ctx_.progress(ctx_.data.size(), records_);
  }

 private:
  size_t At(const std::string& path) const { return doc_.OffsetOf(path); }
  void Report(size_t offset, std::string_view message) {
    ctx_.problems->Add(LocateOffset(ctx_.file, ctx_.data, offset), message);
  }
  // Reports problems about the members of the object at `path`.
  FieldReport Reporter(std::string path) {
    return [this, path](std::string_view field, const std::string& message) {
      Report(At(field.empty() ? path : path + "/" + std::string(field)), message);
    };
  }

  // The array member `name` of the object at `path`; reports anything else.
  const json* Array(const json& obj, const char* name, const std::string& path = "") {
    auto it = obj.find(name);
    if (it == obj.end()) return nullptr;
    if (!it->is_array()) {
      Report(At(path + "/" + name),
             std::string(name) + ": expected an array, found " + std::string(JsonTypeName(*it)));
      return nullptr;
    }
    return &*it;
  }

  // `source` and `sources`: nodes of kind "source".
  void Sources(const json& root) {
    if (auto it = root.find("source"); it != root.end()) {
      if (SourceNode(*it, "/source")) default_sources_ = {main_source_};
    }
    if (const json* list = Array(root, "sources")) {
      for (size_t i = 0; i < list->size(); ++i) {
        SourceNode((*list)[i], "/sources/" + std::to_string(i));
      }
    }
  }

  bool SourceNode(const json& entry, const std::string& path) {
    FieldReport report = Reporter(path);
    if (!entry.is_object()) {
      report("", "expected a source object, found " + std::string(JsonTypeName(entry)));
      return false;
    }
    bool ok = CheckFields(entry, {"key", "url", "title", "date"}, report);
    NodeInput node;
    node.kind = "source";
    std::string url, title, date;
    ok &= RequiredString(entry, "key", &node.key, report);
    ok &= OptionalString(entry, "url", &url, report);
    ok &= OptionalString(entry, "title", &title, report);
    ok &= OptionalString(entry, "date", &date, report);
    if (!date.empty() && !Date::Parse(date).ok()) {
      report("date", "date: expected YYYY-MM-DD, YYYY-MM or YYYY, found \"" + date + "\"");
      ok = false;
    }
    if (!ok) return false;
    json props = json::object();
    if (!url.empty()) props["url"] = url;
    if (!title.empty()) props["title"] = title;
    if (!date.empty()) props["date"] = date;
    node.name = title.empty() ? node.key : title;
    if (!props.empty()) node.props = props.dump();
    if (path == "/source") main_source_ = node.key;
    return WriteNode(node, path);
  }

  void NodeSection(const json& root, const Section& section) {
    const json* list = Array(root, section.name);
    if (list == nullptr) return;
    for (size_t i = 0; i < list->size() && !ctx_.stop(); ++i) {
      std::string path = std::string("/") + section.name + "/" + std::to_string(i);
      Entry((*list)[i], section, path);
    }
  }

  void Entry(const json& entry, const Section& section, const std::string& path) {
    FieldReport report = Reporter(path);
    if (!entry.is_object()) {
      report("", std::string(section.name) + ": expected an object, found " +
                     std::string(JsonTypeName(entry)));
      return;
    }
    std::string_view s = section.name;
    bool ok = true;
    if (s == "actors") {
      ok = CheckFields(entry, {"key", "name", "aliases", "props", "sources", "sector", "form", "region"}, report);
    } else if (s == "regions") {
      ok = CheckFields(entry, {"key", "name", "aliases", "props", "sources", "level", "code", "part_of"}, report);
    } else if (s == "people") {
      ok = CheckFields(entry, {"key", "name", "aliases", "props", "sources", "roles"}, report);
    } else if (s == "events") {
      ok = CheckFields(entry, {"key", "name", "aliases", "props", "sources", "valid_from", "valid_to"}, report);
    } else if (s == "nodes") {
      ok = CheckFields(entry, {"key", "kind", "name", "aliases", "props", "sources"}, report);
    } else {
      ok = CheckFields(entry, {"key", "name", "aliases", "props", "sources"}, report);
    }
    NodeInput node;
    ok &= RequiredString(entry, "key", &node.key, report);
    if (section.kind != nullptr) {
      node.kind = section.kind;
    } else {
      ok &= RequiredString(entry, "kind", &node.kind, report);
    }
    ok &= OptionalString(entry, "name", &node.name, report);
    ok &= OptionalStringList(entry, "aliases", &node.aliases, report);
    json props = json::object();
    ok &= OptionalProps(entry, "props", &props, report);
    std::vector<NodeRef> sources;
    ok &= EntrySources(entry, &sources, report);
    if (s == "actors") {
      ok &= OptionalString(entry, "sector", &node.sector, report);
      ok &= PropString(entry, "form", &props, report);
      ok &= ImpliedEdge(entry, "region", "located_in", node.key, sources, path, report);
    } else if (s == "regions") {
      ok &= PropString(entry, "level", &props, report);
      ok &= PropString(entry, "code", &props, report);
      ok &= ImpliedEdge(entry, "part_of", "part_of", node.key, sources, path, report);
    } else if (s == "people") {
      ok &= Roles(entry, node.key, sources, path);
    } else if (s == "events") {
      for (const char* f : {"valid_from", "valid_to"}) {
        std::optional<Date> d;
        if (OptionalDate(entry, f, &d, report) && entry.contains(f) && !entry[f].is_null()) {
          props[f] = entry[f];
        } else if (entry.contains(f) && !entry[f].is_null()) {
          ok = false;
        }
      }
    }
    if (!ok) return;
    if (!props.empty()) node.props = props.dump();
    node.sources = std::move(sources);
    WriteNode(node, path);
  }

  // A string field stored as a property of the same name.
  bool PropString(const json& entry, const char* name, json* props, const FieldReport& report) {
    std::string value;
    if (!OptionalString(entry, name, &value, report)) return false;
    if (entry.contains(name)) (*props)[name] = value;
    return true;
  }

  // The edge a field of an entry implies (an actor's `region`, a region's
  // `part_of`): from the entry's node `from` to the key the field names,
  // written once every node is.
  bool ImpliedEdge(const json& entry, const char* field, const char* type, const std::string& from,
                   const std::vector<NodeRef>& sources, const std::string& path,
                   const FieldReport& report) {
    std::string to;
    if (!OptionalString(entry, field, &to, report)) return false;
    if (!to.empty()) {
      implied_edges_.push_back({EdgeInput{.src = from, .type = type, .dst = to, .sources = sources},
                                path + "/" + field});
    }
    return true;
  }

  // An entry's own `sources`, or the file's source.
  bool EntrySources(const json& entry, std::vector<NodeRef>* out, const FieldReport& report) {
    std::vector<std::string> keys;
    if (!OptionalStringList(entry, "sources", &keys, report)) return false;
    if (!entry.contains("sources")) {
      for (const auto& k : default_sources_) out->emplace_back(k);
      return true;
    }
    bool ok = true;
    for (auto& k : keys) {
      if (!ctx_.sink->HasNode(k)) {
        report("sources", "sources: unknown source '" + k +
                              "' (declare it in \"source\" or \"sources\", or import it first)");
        ok = false;
      }
      out->emplace_back(std::move(k));
    }
    return ok;
  }

  bool Roles(const json& entry, const std::string& person, const std::vector<NodeRef>& sources,
             const std::string& path) {
    const json* roles = Array(entry, "roles", path);
    if (roles == nullptr) return !entry.contains("roles");  // Array() reported a non-array
    bool ok = true;
    std::map<std::string, uint32_t> ranks;  // two roles at one actor: ranks 0, 1, ...
    for (size_t i = 0; i < roles->size(); ++i) {
      std::string rpath = path + "/roles/" + std::to_string(i);
      FieldReport report = Reporter(rpath);
      const json& r = (*roles)[i];
      if (!r.is_object()) {
        report("", "roles: expected an object, found " + std::string(JsonTypeName(r)));
        ok = false;
        continue;
      }
      bool rok = CheckFields(r, {"at", "role", "valid_from", "valid_to"}, report);
      std::string at, role;
      EdgeInput edge;
      rok &= RequiredString(r, "at", &at, report);
      rok &= OptionalString(r, "role", &role, report);
      rok &= OptionalDate(r, "valid_from", &edge.validity.from, report);
      rok &= OptionalDate(r, "valid_to", &edge.validity.to, report, Date::Partial::kLastDay);
      if (!rok) {
        ok = false;
        continue;
      }
      edge.src = person;
      edge.type = "works_at";
      edge.dst = at;
      edge.rank = ranks[at]++;
      if (r.contains("role")) edge.props = json{{"role", role}}.dump();
      edge.sources = sources;
      implied_edges_.push_back({std::move(edge), rpath + "/at"});
    }
    return ok;
  }

  void Relations(const json& root) {
    const json* list = Array(root, "relations");
    if (list == nullptr) return;
    for (size_t i = 0; i < list->size() && !ctx_.stop(); ++i) {
      std::string path = "/relations/" + std::to_string(i);
      FieldReport report = Reporter(path);
      const json& r = (*list)[i];
      if (!r.is_object()) {
        report("", "relations: expected an object, found " + std::string(JsonTypeName(r)));
        continue;
      }
      bool ok = CheckFields(r, {"src", "type", "dst", "rank", "weight", "valid_from", "valid_to",
                                "props", "sources"},
                            report);
      EdgeInput edge;
      ok &= ReadEdgeFields(r, &edge, report);
      edge.sources.clear();  // ReadEdgeFields took them as given; check them here
      ok &= EntrySources(r, &edge.sources, report);
      if (ok) WriteEdge(edge, path);
    }
  }

  bool WriteNode(NodeInput& node, const std::string& path) {
    ++records_;
    Status s = ctx_.sink->AddNode(node);
    if (s.ok()) return true;
    rejected_.insert(node.key);
    bool about_sector = !node.sector.empty() && s.message().find("sector") != std::string::npos;
    AddNodeProblem(*ctx_.problems,
                   LocateOffset(ctx_.file, ctx_.data, At(about_sector ? path + "/sector" : path)),
                   node.sector, s);
    return false;
  }

  // An edge whose end is a node this file defines but that was rejected (its
  // problem is reported where it is defined) is left out silently; an end
  // defined nowhere is reported, by its own key.
  void WriteEdge(EdgeInput& edge, const std::string& path) {
    ++records_;
    bool skip = false;
    for (const NodeRef* end : {&edge.src, &edge.dst}) {
      if (end->key.empty()) continue;
      if (rejected_.contains(end->key)) {
        skip = true;
      } else if (!ctx_.sink->HasNode(end->key)) {
        Report(At(path), fmt::format("edge {} -{}-> {}: unknown node '{}' (not defined in this "
                                     "file nor in the graph)",
                                     edge.src.key, edge.type, edge.dst.key, end->key));
        skip = true;
      }
    }
    if (skip) return;
    Status s = ctx_.sink->AddEdge(edge);
    if (!s.ok()) Report(At(path), s.message());
  }

  ReadContext& ctx_;
  PositionedJson doc_;
  std::string main_source_;
  std::vector<std::string> default_sources_;
  std::vector<std::pair<EdgeInput, std::string>> implied_edges_;  // edge, path for messages
  std::set<std::string> rejected_;  // keys of node entries the sink refused
  uint64_t records_ = 0;
};

}  // namespace

void ReadCase(ReadContext& ctx) { CaseImport(ctx).Run(); }

}  // namespace samverkan::importers
