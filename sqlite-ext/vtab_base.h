// vtab_base.h: what every virtual table and function of the extension shares.
//
//   * The SQLite API: the loadable-extension header (sqlite3ext.h) with
//     SQLITE_EXTENSION_INIT3, so every file calls through the one routine
//     table that extension.cc receives (its SQLITE_EXTENSION_INIT1/2).
//   * Errors. User mistakes start with the table or function name
//     ("kg_neighbors: unknown node 'org:x'"); bugs start with
//     "kg internal error: ". SetError() is printf-style and frees the old
//     message first (sqlite-vec's vtab_set_error).
//   * The exception firewall: Guard() runs a callback body and turns any C++
//     exception into an error code plus message, so none ever reaches SQLite.
//   * Small value helpers, and the registration table entries (sqlite-vec
//     style) that extension.cc walks.
#pragma once

#ifndef SQLITE_CORE
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
#else
#include <sqlite3.h>
#endif

#include <cstdint>
#include <exception>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "samverkan/memory_reserve.h"
#include "samverkan/result.h"
#include "samverkan/status.h"

namespace samverkan::options {
class Reader;  // samverkan/options.h
}  // namespace samverkan::options

namespace samverkan::sql {

inline constexpr const char* kInternalErrorPrefix = "kg internal error: ";

// Every error message leaves the extension through these three, which
// escape what is not UTF-8 text (samverkan/text.h, EscapeForMessage): input
// quoted in a message may hold any bytes.
//
// Replaces pVtab->zErrMsg with a printf-formatted message.
void SetError(sqlite3_vtab* vtab, const char* format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
// A printf-formatted message for the char** err of xCreate/xConnect
// (sqlite3_malloc'd, as SQLite frees it).
char* FormatError(const char* format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
// sqlite3_result_error with the whole message, however many NULs it holds.
void ResultError(sqlite3_context* ctx, std::string_view message);

// The SQLite result code that best matches an engine Status.
int SqliteCode(const Status& status);

// Sets `vtab`'s message to "<who>: <status message>" and returns the code.
int StatusError(sqlite3_vtab* vtab, std::string_view who, const Status& status);

// The text of a value ("" for NULL), without the copy sqlite3_value_text
// makes callers think about.
std::string_view ValueText(sqlite3_value* value);
bool IsNull(sqlite3_value* value);
// NULL-aware text: nullopt for SQL NULL.
std::optional<std::string> OptionalText(sqlite3_value* value);

// Text results, always copied by SQLite (SQLITE_TRANSIENT).
void ResultText(sqlite3_context* ctx, std::string_view text);

// True for the error of a thread that could not start (EAGAIN, ENOMEM): for
// want of memory, or of threads; either way the statement cannot go on, and
// SQLite's nearest code is SQLITE_NOMEM.
bool IsOutOfMemory(const std::system_error& e);

// For xCreate and xConnect, which report through *err: SQLITE_NOMEM when
// `e` says memory ran out (std::bad_alloc, a thread that could not start),
// else SQLITE_ERROR with an internal-error message.
int ConstructorError(const std::exception& e, char** err);

// Runs `body` (which returns an SQLite result code) and converts escaping
// exceptions into SQLITE_NOMEM / SQLITE_ERROR with an internal-error message
// on `vtab`, for the callbacks that end a transaction (xCommit, xRollback,
// savepoints), which must run whatever memory is left: it refills the memory
// reserve if a failed allocation spent it (samverkan/memory_reserve.h), and
// runs `body` even when that fails.
template <typename Body>
int GuardTransactionEnd(sqlite3_vtab* vtab, Body&& body) noexcept {
  RefillMemoryReserve();
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  } catch (const std::system_error& e) {
    if (IsOutOfMemory(e)) return SQLITE_NOMEM;
    if (vtab != nullptr) SetError(vtab, "%s%s", kInternalErrorPrefix, e.what());
    return SQLITE_ERROR;
  } catch (const std::exception& e) {
    if (vtab != nullptr) SetError(vtab, "%s%s", kInternalErrorPrefix, e.what());
    return SQLITE_ERROR;
  } catch (...) {
    if (vtab != nullptr) SetError(vtab, "%sunknown exception", kInternalErrorPrefix);
    return SQLITE_ERROR;
  }
}

// The same for every other sqlite3_module callback that can throw, which
// fails with SQLITE_NOMEM before it starts when the reserve cannot be
// refilled: memory is still short, and RocksDB, which the callback may
// reach, does not survive an allocation that fails inside it.
template <typename Body>
int Guard(sqlite3_vtab* vtab, Body&& body) noexcept {
  if (!RefillMemoryReserve()) return SQLITE_NOMEM;
  return GuardTransactionEnd(vtab, std::forward<Body>(body));
}

// The sqlite3_module callbacks every table writes alike. `Table` and `Cursor`
// are structs whose first member is SQLite's base struct, so the casts are
// the ones SQLite's own examples make.
template <typename Table>
int DeleteTable(sqlite3_vtab* vtab) {  // xDisconnect/xDestroy with nothing else to do
  delete reinterpret_cast<Table*>(vtab);
  return SQLITE_OK;
}
template <typename Cursor>
int OpenCursor(sqlite3_vtab* vtab, sqlite3_vtab_cursor** out) {
  return Guard(vtab, [&] {
    *out = &(new Cursor)->base;
    return SQLITE_OK;
  });
}
template <typename Cursor>
int CloseCursor(sqlite3_vtab_cursor* cur) {
  delete reinterpret_cast<Cursor*>(cur);
  return SQLITE_OK;
}

// The same firewall for scalar functions: errors go to sqlite3_result_error.
template <typename Body>
void GuardFunction(sqlite3_context* ctx, Body&& body) noexcept {
  if (!RefillMemoryReserve()) return sqlite3_result_error_nomem(ctx);
  try {
    body();
  } catch (const std::bad_alloc&) {
    sqlite3_result_error_nomem(ctx);
  } catch (const std::system_error& e) {
    if (IsOutOfMemory(e)) return sqlite3_result_error_nomem(ctx);
    ResultError(ctx, std::string(kInternalErrorPrefix) + e.what());
  } catch (const std::exception& e) {
    ResultError(ctx, std::string(kInternalErrorPrefix) + e.what());
  } catch (...) {
    ResultError(ctx, "kg internal error: unknown exception");
  }
}

// Quotes an SQL identifier: kg -> "kg", a"b -> "a""b".
std::string QuoteIdentifier(std::string_view name);
// Quotes an SQL string literal: org:msi -> 'org:msi', it's -> 'it''s'.
std::string QuoteLiteral(std::string_view text);

// ON CONFLICT for the graph's tables, as SQLite's own tables and its R-Tree
// and FTS5 have it. A table that calls sqlite3_vtab_config(db,
// SQLITE_VTAB_CONSTRAINT_SUPPORT, 1) in xConnect learns the statement's
// conflict clause from sqlite3_vtab_on_conflict() during xUpdate, and SQLite
// applies the clause to the SQLITE_CONSTRAINT that xUpdate returns:
//   ABORT (plain INSERT/UPDATE)  the statement's changes are undone
//   FAIL                         its earlier rows stay
//   ROLLBACK                     the whole transaction is rolled back
//   IGNORE                       the row is skipped, the statement goes on
// REPLACE is the table's own to do: it overwrites the row that holds the key.
bool ReplacesOnConflict(sqlite3* db);
// The answer of xUpdate to a row whose identity (`columns`, e.g.
// {"key"}) another row already has (`values`, SQL literals):
// SQLITE_CONSTRAINT_UNIQUE with, unless the row is to be ignored,
//   UNIQUE constraint failed: kg_nodes.key ('org:msi'); ...
// (SQLite's own wording, with the values and what to write instead).
int UniqueConflict(sqlite3_vtab* vtab, sqlite3* db, std::string_view table,
                   const std::vector<std::string_view>& columns,
                   const std::vector<std::string>& values);

// A JSON array of strings. InvalidArgument: "<what> must be a JSON array of
// strings, as in '["a","b"]'".
Result<std::vector<std::string>> ParseJsonStringArray(std::string_view text,
                                                      std::string_view what);

// The options reader (samverkan/options.h) for the arguments of SQL
// functions, which names them as they are written in SQL: "types must be a
// list of names, ...", "include_start must be 1 or 0 (true or false), not
// 'maybe'". The function's name goes in front (StatusError).
const options::Reader& ArgumentReader();

// One row of the registration tables in extension.cc.
struct FunctionEntry {
  const char* name;
  int n_args;
  int flags;
  void (*fn)(sqlite3_context*, int, sqlite3_value**);
};
struct ModuleEntry {
  const char* name;
  const sqlite3_module* module;
};

}  // namespace samverkan::sql
