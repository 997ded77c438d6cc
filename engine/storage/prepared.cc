#include "storage/prepared.h"

#include <nlohmann/json.hpp>

#include "samverkan/text.h"
#include "storage/coding.h"

namespace samverkan::storage {

// A fixed32 length, the JSON header of that length, then the write batch.
std::string EncodePreparedHeader(const PreparedRecord& record) {
  // By hand, as EncodeBatchRecord: a JSON document object allocates while it
  // is destroyed.
  std::string text = R"({"batch":)" + std::to_string(record.batch) + R"(,"coordinator":)";
  AppendJsonString(record.about.coordinator, &text);
  text += R"(,"label":)";
  AppendJsonString(record.about.label, &text);
  text += '}';
  std::string out;
  out.reserve(4 + text.size());
  PutFixed32BE(&out, static_cast<uint32_t>(text.size()));
  out += text;
  return out;
}

std::string EncodePrepared(const PreparedRecord& record) {
  return EncodePreparedHeader(record) + record.writes;
}

std::optional<PreparedRecord> DecodePrepared(std::string_view xid, std::string_view value) {
  if (value.size() < 4) return std::nullopt;
  const uint32_t n = DecodeFixed32BE(value.data());
  if (value.size() - 4 < n) return std::nullopt;
  const auto header = nlohmann::json::parse(value.substr(4, n), nullptr, /*allow_exceptions=*/false);
  if (!header.is_object() || !header.contains("coordinator") || !header.contains("batch") ||
      !header["coordinator"].is_string() || !header["batch"].is_number_unsigned()) {
    return std::nullopt;
  }
  PreparedRecord r;
  r.about.xid = std::string(xid);
  r.about.coordinator = header["coordinator"].get<std::string>();
  if (header.contains("label") && header["label"].is_string()) {
    r.about.label = header["label"].get<std::string>();
  }
  r.batch = header["batch"].get<BatchId>();
  r.writes = std::string(value.substr(4 + n));
  return r;
}

}  // namespace samverkan::storage
