#include "json_fields.h"

#include <cmath>

namespace samverkan::importers {

using nlohmann::json;

std::string_view JsonTypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    default: return "a value";
  }
}

bool CheckFields(const json& obj, std::initializer_list<std::string_view> allowed,
                 const FieldReport& report) {
  bool ok = true;
  for (const auto& [name, value] : obj.items()) {
    bool known = false;
    for (auto a : allowed) known |= a == name;
    if (known) continue;
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    report(name, "unknown field '" + name + "' (expected one of: " + list + ")");
    ok = false;
  }
  return ok;
}

static const json* Member(const json& obj, std::string_view name) {
  auto it = obj.find(name);
  return it == obj.end() ? nullptr : &*it;
}

bool RequiredString(const json& obj, std::string_view name, std::string* out,
                    const FieldReport& report) {
  const json* v = Member(obj, name);
  if (v == nullptr) {
    report("", "missing required field '" + std::string(name) + "'");
    return false;
  }
  if (!v->is_string() || v->get_ref<const std::string&>().empty()) {
    report(name, std::string(name) + ": expected a non-empty string, found " +
                     std::string(JsonTypeName(*v)));
    return false;
  }
  *out = v->get<std::string>();
  return true;
}

bool OptionalString(const json& obj, std::string_view name, std::string* out,
                    const FieldReport& report) {
  const json* v = Member(obj, name);
  if (v == nullptr) return true;
  if (!v->is_string()) {
    report(name, std::string(name) + ": expected a string, found " + std::string(JsonTypeName(*v)));
    return false;
  }
  *out = v->get<std::string>();
  return true;
}

bool OptionalStringList(const json& obj, std::string_view name, std::vector<std::string>* out,
                        const FieldReport& report) {
  const json* v = Member(obj, name);
  if (v == nullptr) return true;
  bool ok = v->is_array();
  if (ok) {
    for (const auto& item : *v) ok &= item.is_string();
  }
  if (!ok) {
    report(name, std::string(name) + ": expected an array of strings");
    return false;
  }
  for (const auto& item : *v) out->push_back(item.get<std::string>());
  return true;
}

bool OptionalProps(const json& obj, std::string_view name, json* out, const FieldReport& report) {
  const json* v = Member(obj, name);
  if (v == nullptr) return true;
  if (!v->is_object()) {
    report(name, std::string(name) + ": expected an object, found " + std::string(JsonTypeName(*v)));
    return false;
  }
  *out = *v;
  return true;
}

bool OptionalDate(const json& obj, std::string_view name, std::optional<Date>* out,
                  const FieldReport& report, Date::Partial partial) {
  const json* v = Member(obj, name);
  if (v == nullptr || v->is_null()) return true;
  if (!v->is_string()) {
    report(name, std::string(name) + ": expected a date as a string (YYYY-MM-DD, YYYY-MM or "
                                     "YYYY), found " + v->dump());
    return false;
  }
  auto d = Date::Parse(v->get_ref<const std::string&>(), partial);
  if (!d.ok()) {
    report(name, std::string(name) + ": " + d.status().message());
    return false;
  }
  *out = *d;
  return true;
}

bool ReadEdgeFields(const json& obj, EdgeInput* edge, const FieldReport& report) {
  bool ok = true;
  std::string src, dst;
  ok &= RequiredString(obj, "src", &src, report);
  ok &= RequiredString(obj, "type", &edge->type, report);
  ok &= RequiredString(obj, "dst", &dst, report);
  edge->src = NodeRef(std::move(src));
  edge->dst = NodeRef(std::move(dst));
  if (const json* r = Member(obj, "rank")) {
    if (r->is_number_unsigned() && r->get<uint64_t>() <= UINT32_MAX) {
      edge->rank = r->get<uint32_t>();
    } else {
      report("rank", "rank: expected a whole number from 0 to 4294967295, found " + r->dump());
      ok = false;
    }
  }
  if (const json* w = Member(obj, "weight"); w != nullptr && !w->is_null()) {
    if (w->is_number()) {
      edge->weight = w->get<double>();
    } else {
      report("weight", "weight: expected a number, found " + std::string(JsonTypeName(*w)));
      ok = false;
    }
  }
  ok &= OptionalDate(obj, "valid_from", &edge->validity.from, report);
  ok &= OptionalDate(obj, "valid_to", &edge->validity.to, report, Date::Partial::kLastDay);
  json props;
  ok &= OptionalProps(obj, "props", &props, report);
  if (props.is_object() && !props.empty()) edge->props = props.dump();
  std::vector<std::string> sources;
  ok &= OptionalStringList(obj, "sources", &sources, report);
  for (auto& s : sources) edge->sources.emplace_back(std::move(s));
  return ok;
}

}  // namespace samverkan::importers
