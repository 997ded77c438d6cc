// vtab_base.cc: error helpers and value conversions shared by every module.
#include "vtab_base.h"

#include <cstdarg>

#include <nlohmann/json.hpp>

#include "samverkan/options.h"
#include "samverkan/text.h"

namespace samverkan::sql {

namespace {

// sqlite3_vmprintf, then escaped: a new sqlite3_malloc'd string.
char* Escaped(char* formatted) {
  if (formatted == nullptr) return nullptr;
  std::string escaped = EscapeForMessage(formatted);
  sqlite3_free(formatted);
  return sqlite3_mprintf("%s", escaped.c_str());
}

}  // namespace

void SetError(sqlite3_vtab* vtab, const char* format, ...) {
  va_list args;
  va_start(args, format);
  sqlite3_free(vtab->zErrMsg);
  vtab->zErrMsg = Escaped(sqlite3_vmprintf(format, args));
  va_end(args);
}

char* FormatError(const char* format, ...) {
  va_list args;
  va_start(args, format);
  char* message = Escaped(sqlite3_vmprintf(format, args));
  va_end(args);
  return message;
}

void ResultError(sqlite3_context* ctx, std::string_view message) {
  std::string escaped = EscapeForMessage(message);
  sqlite3_result_error(ctx, escaped.data(), static_cast<int>(escaped.size()));
}

bool IsOutOfMemory(const std::system_error& e) {
  return e.code() == std::errc::resource_unavailable_try_again ||
         e.code() == std::errc::not_enough_memory;
}

int ConstructorError(const std::exception& e, char** err) {
  const auto* system = dynamic_cast<const std::system_error*>(&e);
  if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr || (system && IsOutOfMemory(*system))) {
    return SQLITE_NOMEM;
  }
  *err = FormatError("%s%s", kInternalErrorPrefix, e.what());
  return SQLITE_ERROR;
}

int SqliteCode(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk: return SQLITE_OK;
    case Status::Code::kBusy: return SQLITE_BUSY;
    case Status::Code::kLocked: return SQLITE_READONLY;
    case Status::Code::kReadOnly: return SQLITE_READONLY;
    case Status::Code::kCorruption: return SQLITE_CORRUPT;
    case Status::Code::kIOError: return SQLITE_IOERR;
    case Status::Code::kInterrupted: return SQLITE_INTERRUPT;
    case Status::Code::kOutOfMemory: return SQLITE_NOMEM;
    case Status::Code::kInvalidArgument:
    case Status::Code::kNotFound:
    case Status::Code::kNotSupported:
    case Status::Code::kInternal: return SQLITE_ERROR;
  }
  return SQLITE_ERROR;
}

int StatusError(sqlite3_vtab* vtab, std::string_view who, const Status& status) {
  const char* prefix = status.code() == Status::Code::kInternal ? kInternalErrorPrefix : "";
  // Not through printf's %s, which would stop at a NUL in the message.
  std::string message = std::string(prefix) + std::string(who) + ": " + status.message();
  sqlite3_free(vtab->zErrMsg);
  vtab->zErrMsg = sqlite3_mprintf("%s", EscapeForMessage(message).c_str());
  return SqliteCode(status);
}

std::string_view ValueText(sqlite3_value* value) {
  const unsigned char* text = sqlite3_value_text(value);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_value_bytes(value))};
}

bool IsNull(sqlite3_value* value) {
  return value == nullptr || sqlite3_value_type(value) == SQLITE_NULL;
}

std::optional<std::string> OptionalText(sqlite3_value* value) {
  if (IsNull(value)) return std::nullopt;
  return std::string(ValueText(value));
}

void ResultText(sqlite3_context* ctx, std::string_view text) {
  sqlite3_result_text(ctx, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string QuoteLiteral(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

bool ReplacesOnConflict(sqlite3* db) { return sqlite3_vtab_on_conflict(db) == SQLITE_REPLACE; }

int UniqueConflict(sqlite3_vtab* vtab, sqlite3* db, std::string_view table,
                   const std::vector<std::string_view>& columns,
                   const std::vector<std::string>& values) {
  // SQLite skips the row without looking at the message; leaving none keeps
  // a stale one from reaching sqlite3_errmsg() after the statement.
  if (sqlite3_vtab_on_conflict(db) == SQLITE_IGNORE) return SQLITE_CONSTRAINT_UNIQUE;
  std::string message = "UNIQUE constraint failed: ";
  for (size_t i = 0; i < columns.size(); ++i) {
    message += (i == 0 ? "" : ", ") + std::string(table) + "." + std::string(columns[i]);
  }
  message += " (";
  for (size_t i = 0; i < values.size(); ++i) message += (i == 0 ? "" : ", ") + values[i];
  message += "); OR REPLACE overwrites the existing row, OR IGNORE keeps it";
  // Not through printf's %s, which would stop at a NUL in a key.
  sqlite3_free(vtab->zErrMsg);
  vtab->zErrMsg = sqlite3_mprintf("%s", EscapeForMessage(message).c_str());
  return SQLITE_CONSTRAINT_UNIQUE;
}

Result<std::vector<std::string>> ParseJsonStringArray(std::string_view text,
                                                      std::string_view what) {
  // Nested deeper than the array itself is wrong anyway; refusing it before
  // parsing keeps a hostile value from costing time.
  nlohmann::json j = JsonNestingExceeds(text, 1)
                         ? nlohmann::json()
                         : nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> items;
  bool ok = j.is_array();
  for (size_t i = 0; ok && i < j.size(); ++i) {
    ok = j[i].is_string();
    if (ok) items.push_back(j[i].get<std::string>());
  }
  if (!ok) {
    return Status::InvalidArgument(std::string(what) +
                                   " must be a JSON array of strings, as in '[\"a\",\"b\"]'");
  }
  return items;
}

const options::Reader& ArgumentReader() {
  static const options::Reader reader(options::Wording::Plain());
  return reader;
}

}  // namespace samverkan::sql
