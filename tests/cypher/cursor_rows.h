// cursor_rows.h: a Cypher cursor's rows as JSON text, for the tests' Rows()
// helpers. A failure is reported to GoogleTest and ends the rows.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "samverkan/cypher.h"

namespace samverkan::test {

inline std::vector<std::string> CursorRows(cypher::Cursor& cursor) {
  std::vector<std::string> rows;
  for (;;) {
    auto more = cursor.Next();
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    auto json = cursor.RowJson();
    EXPECT_TRUE(json.ok()) << json.status().ToString();
    rows.push_back(json.ok() ? *json : "");
  }
  return rows;
}

}  // namespace samverkan::test
