#include "json_options.h"

#include <cmath>

#include <fmt/format.h>

#include "samverkan/text.h"

namespace samverkan::options {

using nlohmann::json;

Status Bad(const std::string& what) { return Status::InvalidArgument("options: " + what); }

Result<std::vector<std::string>> Names(const json& v, const std::string& member) {
  std::vector<std::string> out;
  auto add = [&](std::string s) {
    s.erase(0, s.find_first_not_of(' '));
    s.erase(s.find_last_not_of(' ') + 1);
    if (!s.empty()) out.push_back(std::move(s));
  };
  if (v.is_string()) {
    std::string text = v.get<std::string>();
    size_t start = 0;
    while (start <= text.size()) {
      size_t comma = text.find(',', start);
      if (comma == std::string::npos) comma = text.size();
      add(text.substr(start, comma - start));
      start = comma + 1;
    }
    return out;
  }
  if (v.is_array()) {
    for (const auto& e : v) {
      if (!e.is_string()) return Bad(member + " must be a list of names");
      add(e.get<std::string>());
    }
    return out;
  }
  return Bad(member + " must be a name list ('a,b' or [\"a\", \"b\"])");
}

Result<std::vector<std::string>> Strings(const json& v, const std::string& member) {
  if (v.is_string()) return std::vector<std::string>{v.get<std::string>()};
  std::vector<std::string> out;
  if (v.is_array()) {
    for (const auto& e : v) {
      if (!e.is_string()) return Bad(member + " must be a string or a list of strings");
      out.push_back(e.get<std::string>());
    }
    return out;
  }
  return Bad(member + " must be a string or a list of strings");
}

Result<std::string> Text(const json& v, const std::string& member) {
  if (!v.is_string()) return Bad(member + " must be a string");
  return v.get<std::string>();
}

Result<int64_t> Integer(const json& v, const std::string& member, int64_t lo, int64_t hi) {
  if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi) {
    return Bad(fmt::format("{} must be an integer between {} and {}", member, lo, hi));
  }
  return v.get<int64_t>();
}

Result<double> Number(const json& v, const std::string& member) {
  if (!v.is_number() || !(v.get<double>() >= 0) || std::isinf(v.get<double>())) {
    return Bad(member + " must be a finite number >= 0");
  }
  return v.get<double>();
}

Result<bool> Boolean(const json& v, const std::string& member) {
  if (!v.is_boolean()) return Bad(member + " must be true or false");
  return v.get<bool>();
}

Result<json> Object(std::string_view text) {
  if (JsonNestingExceeds(text)) {
    return Bad(fmt::format("nested deeper than {} levels", kMaxJsonDepth));
  }
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Bad("expected a JSON object");
  if (auto duplicate = FindDuplicateJsonKey(text)) return Bad(DuplicateJsonKeyMessage(*duplicate));
  return j;
}

}  // namespace samverkan::options
