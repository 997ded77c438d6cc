// options.cc: the one options reader. See samverkan/options.h.
#include "samverkan/options.h"

#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "samverkan/text.h"

namespace samverkan::options {

using nlohmann::json;

namespace {

constexpr std::string_view kNameList = "must be a list of names, as in 'a,b' or '[\"a\",\"b\"]'";

// A JSON value as a message shows it: 2, null, [1], {"a":1}, cut short.
std::string Shown(const json& v) {
  std::string text = v.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return EscapeForMessage(text);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Wording::Wording(std::string prefix, Namer name, Namer unknown)
    : prefix_(std::move(prefix)), name_(std::move(name)), unknown_(std::move(unknown)) {}

Wording Wording::JsonMembers() {
  return Wording(
      "options: ", [](std::string_view option) { return std::string(option); },
      [](std::string_view option) { return "unknown member '" + std::string(option) + "'"; });
}

Wording Wording::Plain() {
  return Wording(
      "", [](std::string_view option) { return std::string(option); },
      [](std::string_view option) { return "unknown option '" + std::string(option) + "'"; });
}

Status Wording::Say(const Problem& p) const {
  std::string message = prefix_;
  if (p.unknown) {
    message += unknown_(p.option);
    if (!p.known.empty()) message += " (known: " + p.known + ")";
    return Status::InvalidArgument(message);
  }
  if (!p.option.empty()) {
    message += name_(p.option) + p.path;
    if (!p.what.empty() && p.what.front() != ':') message += ' ';
  }
  message += p.what;
  if (!p.then.empty()) message += " " + name_(p.then);
  return Status::InvalidArgument(message);
}

std::string_view Trim(std::string_view text) {
  auto blank = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

Status Reader::Refuse(std::string_view option, std::string what, std::string then) const {
  return wording_.Say({.option = std::string(option), .what = std::move(what),
                       .then = std::move(then)});
}

Status Reader::Unknown(std::string_view option,
                      std::initializer_list<std::string_view> known) const {
  Problem p{.option = std::string(option), .unknown = true};
  for (std::string_view k : known) p.known += (p.known.empty() ? "" : ", ") + std::string(k);
  return wording_.Say(p);
}

Status Reader::NotOneOf(std::string_view option, std::string_view given,
                        std::initializer_list<std::string_view> choices) const {
  std::string what = "must be ";
  size_t i = 0;
  for (std::string_view choice : choices) {
    if (i > 0) what += i + 1 == choices.size() ? " or " : ", ";
    what += fmt::format("'{}'", choice);
    ++i;
  }
  return Refuse(option, what + fmt::format(", not '{}'", EscapeForMessage(given)));
}

Status Reader::NotAString(std::string_view option, size_t index, const json& element,
                          std::string_view wanted) const {
  return wording_.Say({.option = std::string(option), .path = fmt::format("[{}]", index),
                       .what = fmt::format("must be {}, not {}", wanted, Shown(element))});
}

Result<json> Reader::Object(std::string_view text, std::string_view example) const {
  if (auto at = JsonNestingExceeds(text)) {
    return Refuse({}, fmt::format("nested deeper than {} levels (at byte {})", kMaxJsonDepth, *at));
  }
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Refuse({}, example.empty() ? "expected a JSON object"
                                      : fmt::format("expected a JSON object, as in '{}'", example));
  }
  if (auto duplicate = FindDuplicateJsonKey(text)) {
    return Refuse({}, DuplicateJsonKeyMessage(*duplicate));
  }
  return j;
}

Result<std::string> Reader::Text(const json& v, std::string_view option) const {
  if (!v.is_string()) return Refuse(option, "must be a string");
  return v.get<std::string>();
}

Result<std::string> Reader::OneOf(const json& v, std::string_view option,
                                  std::initializer_list<std::string_view> choices) const {
  std::string given = v.is_string() ? v.get<std::string>() : v.dump();
  for (std::string_view choice : choices) {
    if (v.is_string() && given == choice) return given;
  }
  return NotOneOf(option, given, choices);
}

Result<std::vector<std::string>> Reader::Names(const json& v, std::string_view option) const {
  std::vector<std::string> out;
  auto add = [&](std::string_view name) {
    name = Trim(name);
    if (!name.empty()) out.emplace_back(name);
  };
  if (v.is_string()) {
    std::string_view text = v.get_ref<const std::string&>();
    while (true) {
      size_t comma = text.find(',');
      add(text.substr(0, comma));
      if (comma == std::string_view::npos) break;
      text.remove_prefix(comma + 1);
    }
    return out;
  }
  if (!v.is_array()) return Refuse(option, std::string(kNameList));
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string()) return NotAString(option, i, v[i], "a name (a string)");
    add(v[i].get_ref<const std::string&>());
  }
  return out;
}

Result<std::vector<std::string>> Reader::Strings(const json& v, std::string_view option) const {
  if (v.is_string()) return std::vector<std::string>{v.get<std::string>()};
  if (!v.is_array()) return Refuse(option, "must be a string or a list of strings");
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string()) return NotAString(option, i, v[i], "a string");
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

Result<int64_t> Reader::Integer(const json& v, std::string_view option, int64_t lo,
                                int64_t hi) const {
  if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi) {
    return Refuse(option, fmt::format("must be an integer between {} and {}", lo, hi));
  }
  return v.get<int64_t>();
}

Result<double> Reader::Number(const json& v, std::string_view option) const {
  if (!v.is_number() || !(v.get<double>() >= 0) || std::isinf(v.get<double>())) {
    return Refuse(option, "must be a finite number >= 0");
  }
  return v.get<double>();
}

Result<bool> Reader::Boolean(const json& v, std::string_view option) const {
  if (!v.is_boolean()) return Refuse(option, "must be true or false");
  return v.get<bool>();
}

Result<bool> Reader::YesNo(std::string_view text, std::string_view option) const {
  const std::string word = Lower(text);
  if (word == "1" || word == "true" || word == "yes" || word == "on") return true;
  if (word == "0" || word == "false" || word == "no" || word == "off") return false;
  return Refuse(option, fmt::format("must be 1 or 0 (true or false), not '{}'",
                                    EscapeForMessage(text)));
}

Result<std::vector<std::string>> Reader::NameList(std::string_view text,
                                                  std::string_view option) const {
  text = Trim(text);
  if (text.empty() || text.front() != '[') return Names(json(std::string(text)), option);
  // Nested deeper than the list itself is wrong anyway; refusing it before
  // parsing keeps a hostile value from costing time.
  json j = JsonNestingExceeds(text, 1) ? json()
                                       : json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return Refuse(option, std::string(kNameList));
  return Names(j, option);
}

}  // namespace samverkan::options
