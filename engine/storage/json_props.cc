// nlohmann/json: the most widely used C++ JSON library, header-only, in
// Debian. Its parser and its printing of scalars are used here, through its
// SAX interface, but not its document type: a nlohmann::json object or
// array allocates while it is destroyed (it flattens itself onto a vector,
// in a noexcept destructor), so a write with properties that ran out of
// memory there ended the process (docs/architecture.md, "Running out of
// memory"). The tree below frees only strings and vectors.
#include "storage/json_props.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "samverkan/text.h"

namespace samverkan::storage {
namespace {

using nlohmann::json;

// nlohmann prefixes messages with "[json.exception.parse_error.101] ".
std::string_view StripExceptionTag(std::string_view msg) {
  if (!msg.empty() && msg.front() == '[') {
    auto end = msg.find("] ");
    if (end != std::string_view::npos) msg.remove_prefix(end + 2);
  }
  return msg;
}

// A double as nlohmann prints it (the shortest text that reads back as it,
// "1.0" for an integral one, "-0.0", "1e+300").
std::string PrintDouble(double d) { return json(d).dump(); }

enum class JsonType { kNull, kBoolean, kNumber, kString, kObject, kArray };

// The type's name as nlohmann's messages give it.
const char* TypeName(JsonType type) {
  switch (type) {
    case JsonType::kNull: return "null";
    case JsonType::kBoolean: return "boolean";
    case JsonType::kNumber: return "number";
    case JsonType::kString: return "string";
    case JsonType::kObject: return "object";
    case JsonType::kArray: return "array";
  }
  return "?";
}

// A parsed JSON value: nodes in one vector, node 0 the root.
struct JsonTree {
  struct Node {
    JsonType type = JsonType::kNull;
    std::string key;            // as a member of an object: its key
    std::string text;           // a string: its value; another scalar: its JSON text
    double number = 0;          // a number: its value
    std::vector<uint32_t> children;  // an object's members, an array's items
  };
  std::vector<Node> nodes;
  std::string error;  // nlohmann's message, when the text did not parse
};

// Builds a JsonTree from nlohmann's SAX events.
class TreeBuilder {
 public:
  explicit TreeBuilder(JsonTree* tree) : tree_(*tree) {}

  bool null() { return Scalar(JsonType::kNull, "null"); }
  bool boolean(bool b) { return Scalar(JsonType::kBoolean, b ? "true" : "false"); }
  bool number_integer(json::number_integer_t i) {
    return Scalar(JsonType::kNumber, std::to_string(i), static_cast<double>(i));
  }
  bool number_unsigned(json::number_unsigned_t u) {
    return Scalar(JsonType::kNumber, std::to_string(u), static_cast<double>(u));
  }
  bool number_float(json::number_float_t d, const json::string_t&) {
    return Scalar(JsonType::kNumber, PrintDouble(d), d);
  }
  bool string(json::string_t& s) { return Scalar(JsonType::kString, std::move(s)); }
  bool binary(json::binary_t&) { return false; }  // not in JSON text
  bool start_object(std::size_t) {
    open_.push_back(Add(JsonType::kObject));
    return true;
  }
  bool key(json::string_t& k) {
    key_ = std::move(k);
    return true;
  }
  bool end_object() {
    open_.pop_back();
    return true;
  }
  bool start_array(std::size_t) {
    open_.push_back(Add(JsonType::kArray));
    return true;
  }
  bool end_array() {
    open_.pop_back();
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    tree_.error = StripExceptionTag(e.what());
    return false;
  }

 private:
  bool Scalar(JsonType type, std::string text, double number = 0) {
    Add(type, std::move(text), number);
    return true;
  }
  // Adds a node under the open container (with the key just read, in an
  // object); its index.
  uint32_t Add(JsonType type, std::string text = {}, double number = 0) {
    const auto index = static_cast<uint32_t>(tree_.nodes.size());
    JsonTree::Node& node = tree_.nodes.emplace_back();
    node.type = type;
    node.text = std::move(text);
    node.number = number;
    if (!open_.empty()) {
      JsonTree::Node& parent = tree_.nodes[open_.back()];
      if (parent.type == JsonType::kObject) node.key = std::move(key_);
      parent.children.push_back(index);
    }
    return index;
  }

  JsonTree& tree_;
  std::vector<uint32_t> open_;  // the containers being read, innermost last
  std::string key_;
};

JsonTree Parse(std::string_view text) {
  JsonTree tree;
  TreeBuilder builder(&tree);
  if (!json::sax_parse(text.begin(), text.end(), &builder) && tree.error.empty()) {
    tree.error = "unreadable JSON";
  }
  return tree;
}

bool IsObject(const JsonTree::Node& n) { return n.type == JsonType::kObject; }

// The members of object node `n`, by key (bytewise, as nlohmann's std::map).
std::vector<uint32_t> SortedMembers(const JsonTree& t, const JsonTree::Node& n) {
  std::vector<uint32_t> members = n.children;
  std::stable_sort(members.begin(), members.end(),
                   [&](uint32_t a, uint32_t b) { return t.nodes[a].key < t.nodes[b].key; });
  return members;
}

// Appends `key` and the colon after it.
void AppendKey(const std::string& key, std::string* out) {
  AppendJsonString(key, out);
  out->push_back(':');
}

// Appends node `index` of `t` in compact form, object keys sorted: what
// nlohmann's dump(-1) prints of the same value (its escaping is
// AppendJsonString's). Recursion is bounded by kMaxJsonDepth
// (NormalizeProps refuses deeper text).
void AppendValue(const JsonTree& t, uint32_t index, std::string* out) {
  const JsonTree::Node& n = t.nodes[index];
  if (IsObject(n)) {
    out->push_back('{');
    bool first = true;
    for (uint32_t m : SortedMembers(t, n)) {
      if (!first) out->push_back(',');
      first = false;
      AppendKey(t.nodes[m].key, out);
      AppendValue(t, m, out);
    }
    out->push_back('}');
  } else if (n.type == JsonType::kArray) {
    out->push_back('[');
    for (size_t i = 0; i < n.children.size(); ++i) {
      if (i != 0) out->push_back(',');
      AppendValue(t, n.children[i], out);
    }
    out->push_back(']');
  } else if (n.type == JsonType::kString) {
    AppendJsonString(n.text, out);
  } else {
    out->append(n.text);
  }
}

// Appends `patch`'s node `p` applied to `base`'s node `b` (none: absent) as
// an RFC 7386 merge patch, in the form AppendValue prints.
void AppendMerged(const JsonTree& base, const uint32_t* b, const JsonTree& patch, uint32_t p,
                  std::string* out) {
  const JsonTree::Node& pn = patch.nodes[p];
  if (!IsObject(pn)) return AppendValue(patch, p, out);
  std::vector<uint32_t> old;
  if (b != nullptr && IsObject(base.nodes[*b])) old = SortedMembers(base, base.nodes[*b]);
  const std::vector<uint32_t> changes = SortedMembers(patch, pn);
  out->push_back('{');
  bool first = true;
  auto separate = [&] {
    if (!first) out->push_back(',');
    first = false;
  };
  size_t i = 0, j = 0;
  while (i < old.size() || j < changes.size()) {
    const std::string* old_key = i < old.size() ? &base.nodes[old[i]].key : nullptr;
    const std::string* new_key = j < changes.size() ? &patch.nodes[changes[j]].key : nullptr;
    if (new_key == nullptr || (old_key != nullptr && *old_key < *new_key)) {
      separate();
      AppendKey(*old_key, out);
      AppendValue(base, old[i++], out);
      continue;
    }
    const uint32_t* kept = old_key != nullptr && *old_key == *new_key ? &old[i++] : nullptr;
    const uint32_t change = changes[j++];
    if (patch.nodes[change].type == JsonType::kNull) continue;  // removes the key
    separate();
    AppendKey(*new_key, out);
    AppendMerged(base, kept, patch, change, out);
  }
  out->push_back('}');
}

// The stored form of an object's text: "" for {}.
std::string Stored(std::string text) { return text == "{}" ? std::string() : text; }

}  // namespace

Result<std::string> NormalizeProps(std::string_view text,
                                   const std::function<std::string()>& what) {
  if (text.empty()) return std::string();
  // Printing recurses: a value nested 100,000 deep would overflow the stack.
  if (auto at = JsonNestingExceeds(text)) {
    return Status::InvalidArgument(fmt::format(
        "{} nest deeper than {} levels (at byte {})", what(), kMaxJsonDepth, *at));
  }
  const JsonTree tree = Parse(text);
  if (!tree.error.empty()) {
    return Status::InvalidArgument(fmt::format("invalid JSON in {}: {}", what(), tree.error));
  }
  if (!IsObject(tree.nodes[0])) {
    return Status::InvalidArgument(
        fmt::format("{} must be a JSON object, not {}", what(), TypeName(tree.nodes[0].type)));
  }
  if (auto duplicate = FindDuplicateJsonKey(text)) {
    return Status::InvalidArgument(fmt::format("invalid JSON in {}: {} (at byte {})", what(),
                                               DuplicateJsonKeyMessage(*duplicate),
                                               duplicate->offset));
  }
  std::string out;
  AppendValue(tree, 0, &out);
  return Stored(std::move(out));
}

std::string MergeProps(std::string_view base, std::string_view patch) {
  if (patch.empty()) return std::string(base);
  // Both inputs were made by NormalizeProps, so they parse.
  const JsonTree b = Parse(base.empty() ? std::string_view("{}") : base);
  const JsonTree p = Parse(patch);
  const uint32_t root = 0;
  std::string out;
  AppendMerged(b, &root, p, 0, &out);
  return Stored(std::move(out));
}

std::optional<double> NumericProp(std::string_view props, std::string_view name) {
  if (props.empty()) return std::nullopt;
  const JsonTree tree = Parse(props);
  if (!tree.error.empty() || !IsObject(tree.nodes[0])) return std::nullopt;
  for (uint32_t m : tree.nodes[0].children) {
    const JsonTree::Node& n = tree.nodes[m];
    if (n.key == name && n.type == JsonType::kNumber) return n.number;
  }
  return std::nullopt;
}

}  // namespace samverkan::storage
