// json_value.cc: see json_value.h.
#include "json_value.h"

#include <charconv>
#include <cmath>

#include "error.h"
#include "stack_guard.h"
#include "temporal.h"

namespace samverkan::cypher {

namespace {

// Dates and durations in JSON (stored properties, parameters) are objects
// of one member: {"$date": "2021-01-01"} (as MongoDB's extended JSON writes
// dates) and {"$duration": "P1Y2M"}.
constexpr const char* kDateKey = "$date";
constexpr const char* kDurationKey = "$duration";

std::optional<Value> TemporalFromJson(const nlohmann::json& j) {
  if (j.size() != 1) return std::nullopt;
  auto it = j.begin();
  if (!it.value().is_string()) return std::nullopt;
  const std::string& text = it.value().get_ref<const std::string&>();
  if (it.key() == kDateKey) {
    if (auto d = ParseIsoDate(text)) return Value::MakeDate(*d);
  } else if (it.key() == kDurationKey) {
    if (auto d = ParseIsoDuration(text)) return Value::MakeDuration(*d);
  }
  return std::nullopt;
}

}  // namespace

Value FromJson(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return Value();
    case nlohmann::json::value_t::boolean: return Value::Bool(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return Value::Int(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      uint64_t u = j.get<uint64_t>();
      if (u <= static_cast<uint64_t>(INT64_MAX)) return Value::Int(static_cast<int64_t>(u));
      return Value::Float(static_cast<double>(u));
    }
    case nlohmann::json::value_t::number_float: return Value::Float(j.get<double>());
    case nlohmann::json::value_t::string: return Value::String(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      List items;
      items.reserve(j.size());
      for (const auto& x : j) items.push_back(FromJson(x));
      return Value::MakeList(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      if (auto temporal = TemporalFromJson(j)) return *temporal;
      Map entries;
      entries.reserve(j.size());
      for (auto it = j.begin(); it != j.end(); ++it) entries.emplace_back(it.key(), FromJson(it.value()));
      return Value::MakeMap(std::move(entries));
    }
    default: return Value();
  }
}

nlohmann::json PropertyToJson(const Value& v, std::string_view key) {
  switch (v.type()) {
    case Value::Type::kNull: return nullptr;
    case Value::Type::kBool: return v.boolean();
    case Value::Type::kInt: return v.integer();
    case Value::Type::kFloat: return v.floating();
    case Value::Type::kString: return v.string();
    case Value::Type::kDate: return {{kDateKey, DateText(v.date())}};
    case Value::Type::kDuration: return {{kDurationKey, DurationText(v.duration())}};
    case Value::Type::kList: {
      nlohmann::json a = nlohmann::json::array();
      for (const Value& x : v.list()) {
        if (x.type() == Value::Type::kList || x.type() == Value::Type::kMap) {
          TypeError("InvalidPropertyType", "property `" + std::string(key) +
                    "`: a list property holds only numbers, strings and booleans");
        }
        a.push_back(PropertyToJson(x, key));
      }
      return a;
    }
    default:
      TypeError("InvalidPropertyType", "property `" + std::string(key) + "` cannot hold a " +
                std::string(TypeName(v.type())));
  }
}

std::string FormatFloat(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

void AppendJson(const Value& v, std::string* out,
                const std::function<void(const Value&, std::string*)>& entity) {
  CheckStack(kNoPosition);  // a value a query built may nest deeper than its text
  switch (v.type()) {
    case Value::Type::kNull: out->append("null"); return;
    case Value::Type::kBool: out->append(v.boolean() ? "true" : "false"); return;
    case Value::Type::kInt: out->append(std::to_string(v.integer())); return;
    case Value::Type::kFloat: {
      double d = v.floating();
      if (std::isnan(d)) {
        out->append("null");
      } else if (std::isinf(d)) {
        out->append(d > 0 ? "1e999" : "-1e999");
      } else {
        out->append(FormatFloat(d));
      }
      return;
    }
    case Value::Type::kString: AppendJsonString(v.string(), out); return;
    case Value::Type::kDate: AppendJsonString(DateText(v.date()), out); return;
    case Value::Type::kDuration: AppendJsonString(DurationText(v.duration()), out); return;
    case Value::Type::kList: {
      out->push_back('[');
      bool first = true;
      for (const Value& x : v.list()) {
        if (!first) out->push_back(',');
        first = false;
        AppendJson(x, out, entity);
      }
      out->push_back(']');
      return;
    }
    case Value::Type::kMap: {
      out->push_back('{');
      bool first = true;
      for (const auto& [k, x] : v.map()) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(k, out);
        out->push_back(':');
        AppendJson(x, out, entity);
      }
      out->push_back('}');
      return;
    }
    default: entity(v, out); return;
  }
}

}  // namespace samverkan::cypher
