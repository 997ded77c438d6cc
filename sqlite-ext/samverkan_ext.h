// samverkan_ext.h: the extension's one exported symbol.
//
// Load it with `.load ./build/samverkan` in the sqlite3 shell, or
// sqlite3_load_extension(db, "build/samverkan", NULL, &err); SQLite derives
// the entry point sqlite3_samverkan_init from the file name.
#pragma once

#if defined(_WIN32)
#define SAMVERKAN_EXT_API __declspec(dllexport)
#else
#define SAMVERKAN_EXT_API __attribute__((visibility("default")))
#endif

struct sqlite3;
struct sqlite3_api_routines;

extern "C" SAMVERKAN_EXT_API int sqlite3_samverkan_init(sqlite3* db, char** err,
                                                        const sqlite3_api_routines* api);
