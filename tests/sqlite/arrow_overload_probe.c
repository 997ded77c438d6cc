/* arrow_overload_probe: what SQLite does with `props ->> 'role'` when props
 * is a column of a virtual table (docs/architecture.md, "SQL scans over the
 * snapshot"). A two-row virtual table whose xFindFunction overloads `->>`;
 * the probe prints one line per event, in order:
 *
 *   find ->> 2        xFindFunction was asked about ->> with 2 arguments
 *   column            xColumn(props) ran
 *   overload TEXT     the overload ran and was given TEXT as its first argument
 *
 * so test_snapshot_scans.py sees whether SQLite consults xFindFunction for
 * the operator, and whether the column is read before the overload runs.
 * Built as build/tests/arrow_overload_probe (tests/sqlite/CMakeLists.txt). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { sqlite3_vtab base; } Table;
typedef struct { sqlite3_vtab_cursor base; int row; } Cursor;

static int Connect(sqlite3* db, void* aux, int argc, const char* const* argv,
                   sqlite3_vtab** out, char** err) {
  (void)aux; (void)argc; (void)argv; (void)err;
  int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(props TEXT)");
  if (rc != SQLITE_OK) return rc;
  *out = calloc(1, sizeof(Table));
  return *out ? SQLITE_OK : SQLITE_NOMEM;
}
static int BestIndex(sqlite3_vtab* t, sqlite3_index_info* info) {
  (void)t;
  info->estimatedCost = 10;
  return SQLITE_OK;
}
static int Disconnect(sqlite3_vtab* t) { free(t); return SQLITE_OK; }
static int Open(sqlite3_vtab* t, sqlite3_vtab_cursor** out) {
  (void)t;
  *out = calloc(1, sizeof(Cursor));
  return *out ? SQLITE_OK : SQLITE_NOMEM;
}
static int Close(sqlite3_vtab_cursor* c) { free(c); return SQLITE_OK; }
static int Filter(sqlite3_vtab_cursor* c, int n, const char* s, int argc, sqlite3_value** argv) {
  (void)n; (void)s; (void)argc; (void)argv;
  ((Cursor*)c)->row = 0;
  return SQLITE_OK;
}
static int Next(sqlite3_vtab_cursor* c) { ((Cursor*)c)->row++; return SQLITE_OK; }
static int Eof(sqlite3_vtab_cursor* c) { return ((Cursor*)c)->row >= 2; }
static int Column(sqlite3_vtab_cursor* c, sqlite3_context* ctx, int col) {
  (void)col;
  printf("column\n");
  sqlite3_result_text(ctx, ((Cursor*)c)->row ? "{\"role\":\"b\"}" : "{\"role\":\"a\"}", -1,
                      SQLITE_TRANSIENT);
  return SQLITE_OK;
}
static int Rowid(sqlite3_vtab_cursor* c, sqlite3_int64* rowid) {
  *rowid = ((Cursor*)c)->row;
  return SQLITE_OK;
}
static void Overload(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  (void)argc;
  const unsigned char* text = sqlite3_value_text(argv[0]);
  printf("overload %s\n", text ? (const char*)text : "NULL");
  sqlite3_result_text(ctx, "overloaded", -1, SQLITE_STATIC);
}
static int FindFunction(sqlite3_vtab* t, int argc, const char* name,
                        void (**fn)(sqlite3_context*, int, sqlite3_value**), void** arg) {
  (void)t;
  printf("find %s %d\n", name, argc);
  if (strcmp(name, "->>") != 0) return 0;
  *fn = Overload;
  *arg = NULL;
  return 1;
}

static sqlite3_module kModule = {
    1, Connect, Connect, BestIndex, Disconnect, Disconnect, Open, Close, Filter, Next, Eof,
    Column, Rowid, NULL, NULL, NULL, NULL, NULL, FindFunction,
};

int main(void) {
  sqlite3* db;
  char* err = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
      sqlite3_create_module(db, "probe", &kModule, NULL) != SQLITE_OK ||
      sqlite3_exec(db, "CREATE VIRTUAL TABLE v USING probe", NULL, NULL, &err) != SQLITE_OK ||
      sqlite3_exec(db, "SELECT props ->> 'role' FROM v", NULL, NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "probe: %s\n", err ? err : sqlite3_errmsg(db));
    return 1;
  }
  sqlite3_close(db);
  return 0;
}
