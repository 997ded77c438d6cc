// nlohmann/json: the most widely used C++ JSON library, header-only, in
// Debian; its merge_patch() is RFC 7386 exactly. Properties are small, so
// its speed is not a concern here.
#include "storage/json_props.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "samverkan/text.h"

namespace samverkan::storage {
namespace {

// nlohmann prefixes messages with "[json.exception.parse_error.101] ".
std::string_view StripExceptionTag(std::string_view msg) {
  if (!msg.empty() && msg.front() == '[') {
    auto end = msg.find("] ");
    if (end != std::string_view::npos) msg.remove_prefix(end + 2);
  }
  return msg;
}

std::string Dump(const nlohmann::json& j) {
  if (j.empty()) return {};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

Result<std::string> NormalizeProps(std::string_view text,
                                   const std::function<std::string()>& what) {
  if (text.empty()) return std::string();
  // nlohmann parses without recursion but prints, copies and merges with it:
  // a value nested 100,000 deep would overflow the stack there.
  if (auto at = JsonNestingExceeds(text)) {
    return Status::InvalidArgument(fmt::format(
        "{} nest deeper than {} levels (at byte {})", what(), kMaxJsonDepth, *at));
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(
        fmt::format("invalid JSON in {}: {}", what(), StripExceptionTag(e.what())));
  }
  if (!j.is_object()) {
    return Status::InvalidArgument(
        fmt::format("{} must be a JSON object, not {}", what(), j.type_name()));
  }
  if (auto duplicate = FindDuplicateJsonKey(text)) {
    return Status::InvalidArgument(fmt::format("invalid JSON in {}: {} (at byte {})", what(),
                                               DuplicateJsonKeyMessage(*duplicate),
                                               duplicate->offset));
  }
  return Dump(j);
}

std::string MergeProps(std::string_view base, std::string_view patch) {
  if (patch.empty()) return std::string(base);
  // Both inputs were validated by NormalizeProps, so parsing cannot fail.
  nlohmann::json merged = base.empty() ? nlohmann::json::object() : nlohmann::json::parse(base);
  merged.merge_patch(nlohmann::json::parse(patch));
  return Dump(merged);
}

std::optional<double> NumericProp(std::string_view props, std::string_view name) {
  if (props.empty()) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(props, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  auto it = j.find(name);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

}  // namespace samverkan::storage
