// PropertyColumn: one property of every node or every edge of a CSR
// snapshot, as a typed array indexed like the snapshot (a node's dense
// index, an edge's position: CsrGraph::out_edge / in_edge).
//
// A column holds the values of one key that all have one type: integers,
// doubles, booleans, strings (dictionary-encoded: each row holds a code into
// a sorted dictionary, so codes compare as the strings do), or dates (day
// numbers). A key whose values have several types (1 and 1.5, "a" and 2), or
// lists and objects, keeps each value as JSON text. Rows without the key
// (or with null) are null, kept in a bitmap; a key no row has makes a column
// of type kNull.
//
// Columns are built by CsrGraph::NodeColumn / EdgeColumn on first use and
// cached with the snapshot, so a commit (which makes a new snapshot) drops
// them with it. The writer saves them beside the snapshot's file; a mapped
// snapshot gets them from there, as views into the mapping
// (docs/on-disk-format.md, "Columns files").
//
//   SV_ASSIGN_OR_RETURN(auto role, csr->EdgeColumn(view, EdgeField::kProps, "role"));
//   if (role->type() == ColumnType::kString && !role->is_null(pos)) use(role->text(pos));
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "samverkan/csr_array.h"
#include "samverkan/types.h"

namespace samverkan {

enum class ColumnType : uint8_t { kNull, kInt, kDouble, kBool, kString, kDate, kJson };

// Which property of a node a column holds. kProps: a key of its props.
enum class NodeField : uint8_t { kKey, kName, kProps };
// Which property of an edge a column holds. Rank is an integer, the
// validity ends are dates; kProps: a key of its props.
enum class EdgeField : uint8_t { kWeight, kValidFrom, kValidTo, kRank, kProps };

class PropertyColumn {
 public:
  ColumnType type() const { return type_; }
  size_t size() const { return rows_; }
  bool is_null(uint32_t row) const { return !((present_[row >> 6] >> (row & 63)) & 1); }

  // The value of a non-null row; each for its own type only. The width
  // tests are the same for every row of a column, so a loop over rows
  // predicts them.
  int64_t integer(uint32_t row) const {  // kInt
    return width_ == 8 ? ints_[row] : ints32_[row];
  }
  bool boolean(uint32_t row) const { return codes8_[row] != 0; }     // kBool
  Date date(uint32_t row) const { return Date{ints32_[row]}; }       // kDate
  double number(uint32_t row) const { return doubles_[row]; }        // kDouble
  uint32_t code(uint32_t row) const {                                // kString
    return width_ == 1 ? codes8_[row] : width_ == 2 ? codes16_[row] : codes32_[row];
  }
  std::string_view text(uint32_t row) const { return dictionary_[code(row)]; }  // kString
  std::string_view json(uint32_t row) const { return json_[row]; }              // kJson
  // Bytes a value takes in memory and on disk: 8 for doubles, 4 for dates,
  // 1 for booleans, 4 or 8 for integers (4 when every one fits), 1, 2 or 4
  // for string codes (as the dictionary's size allows); 0 for JSON and null.
  unsigned value_width() const { return width_; }

  // kString: the distinct values, sorted (byte order), and a value's code.
  const StringList& dictionary() const { return dictionary_; }
  std::optional<uint32_t> CodeOf(std::string_view text) const;

  uint64_t memory_bytes() const;

 private:
  friend class ColumnBuilder;
  friend class ColumnsFile;  // columns_file.cc: saves and maps columns

  ColumnType type_ = ColumnType::kNull;
  size_t rows_ = 0;
  uint8_t width_ = 0;            // value_width(): which array below holds the values
  CsrArray<uint64_t> present_;   // one bit per row
  CsrArray<int64_t> ints_;       // kInt, width 8
  CsrArray<int32_t> ints32_;     // kInt, width 4; kDate (days)
  CsrArray<double> doubles_;     // kDouble
  CsrArray<uint8_t> codes8_;     // kBool (0/1); kString, width 1
  CsrArray<uint16_t> codes16_;   // kString, width 2
  CsrArray<uint32_t> codes32_;   // kString, width 4
  StringList dictionary_;       // kString
  StringList json_;             // kJson
  // The columns file the arrays view (null when built in memory).
  std::shared_ptr<const void> mapping_;
};

}  // namespace samverkan
