// The rows of a scan over a CSR snapshot's property columns, and how a
// property of a pattern variable is read at one of them.
//
// A scan over columns (column_source.h) makes no Row: a row is the scanned
// node, the node at the far end of the first expansion and the relationship
// between them, and the node and relationship of a second expansion from
// that far node, as five numbers (At). A property of one of those is a
// ColumnRef; Reader reads it at a row as a null test, a code or a Value.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "json_value.h"
#include "memory.h"
#include "value_ops.h"
#include "samverkan/csr.h"
#include "samverkan/cypher_value.h"
#include "samverkan/property_column.h"

namespace samverkan::cypher {

// Which row of a column a scanned row reads: the scanned node's (dense
// index), the far node's, the relationship's (edge position), or those of
// the second expansion.
enum class Where : uint8_t { kNear, kFar, kEdge, kFar2, kEdge2 };

// A scanned row: the near node, the far node and the edge's position; the
// second expansion's node and edge position.
struct At {
  uint32_t near = 0, far = 0, pos = 0, far2 = 0, pos2 = 0;
  uint32_t of(Where w) const {
    switch (w) {
      case Where::kNear: return near;
      case Where::kFar: return far;
      case Where::kEdge: return pos;
      case Where::kFar2: return far2;
      default: return pos2;  // kEdge2
    }
  }
};

// Whether `w` is a relationship's position (else a node's dense index).
inline bool IsEdge(Where w) { return w == Where::kEdge || w == Where::kEdge2; }

// One property of a pattern variable, as the scan reads it.
struct ColumnRef {
  Where where = Where::kNear;
  const PropertyColumn* column = nullptr;  // null: the node's sector (from the snapshot)
  // Strings (dictionary codes), booleans (0/1) and sectors (symbol ids)
  // are read as codes: each code's Value is made once.
  bool coded = false;
  size_t n_codes = 0;
  // Each code's Value, made when first needed (a dictionary may hold a
  // value per node, of which a query reads few), and charged to `memory`.
  const Value& CodeValue(uint32_t code) const {
    if (code_values.empty()) {
      Charge(n_codes * sizeof(Value));
      code_values.resize(n_codes);
    }
    Value& v = code_values[code];
    if (v.is_null() && column && column->type() == ColumnType::kString) {
      v = Value::String(std::string(column->dictionary()[code]));
      Charge(memory->SizeOf(v) - sizeof(Value));
    }
    return v;
  }
  mutable std::vector<Value> code_values;  // by code; sectors and booleans: filled at once
  // The query's working memory, and what the scan has charged to it.
  MemoryBudget* memory = nullptr;
  MemoryCharge* charge = nullptr;
  void Charge(uint64_t bytes) const { charge->Add(*memory, bytes); }

  ColumnType type() const { return column ? column->type() : ColumnType::kString; }
};

// Reads ColumnRefs at a row's index (At::of(ref.where)).
class Reader {
 public:
  explicit Reader(const CsrGraph& csr) : csr_(csr) {}

  bool IsNull(const ColumnRef& c, uint32_t r) const {
    if (!c.column) return csr_.sector(r) == 0;
    return c.column->type() == ColumnType::kNull || c.column->is_null(r);
  }
  // REQUIRES: c.coded, !IsNull.
  uint32_t Code(const ColumnRef& c, uint32_t r) const {
    if (!c.column) return csr_.sector(r);
    return c.column->type() == ColumnType::kBool ? (c.column->boolean(r) ? 1 : 0)
                                                 : c.column->code(r);
  }
  // A coded column's code, or an integer or date column's number: what
  // tells two non-null values of a groupable column apart.
  // REQUIRES: !IsNull; c coded or of type kInt or kDate.
  int64_t Token(const ColumnRef& c, uint32_t r) const {
    return c.coded ? Code(c, r) : c.column->integer(r);
  }
  // How ORDER BY orders the values of `c` at rows x and y (OrderCompare's
  // -1, 0, 1): nulls after everything, NaN after the other numbers, strings
  // by code (a dictionary is sorted), mixed types (JSON) as Values.
  int Order(const ColumnRef& c, uint32_t x, uint32_t y) const {
    const bool nx = IsNull(c, x), ny = IsNull(c, y);
    if (nx || ny) return nx == ny ? 0 : nx ? 1 : -1;
    if (!c.column) return OrderCompare(ValueAt(c, x), ValueAt(c, y));  // sectors: ids unordered
    const PropertyColumn& col = *c.column;
    switch (col.type()) {
      case ColumnType::kDouble: {
        const double a = col.number(x), b = col.number(y);
        const bool na = std::isnan(a), nb = std::isnan(b);
        if (na || nb) return na == nb ? 0 : na ? 1 : -1;
        return a < b ? -1 : a > b ? 1 : 0;
      }
      case ColumnType::kString:
      case ColumnType::kBool: {
        const uint32_t a = Code(c, x), b = Code(c, y);
        return a < b ? -1 : a > b ? 1 : 0;
      }
      case ColumnType::kInt:
      case ColumnType::kDate: {
        const int64_t a = col.integer(x), b = col.integer(y);
        return a < b ? -1 : a > b ? 1 : 0;
      }
      default: return OrderCompare(ValueAt(c, x), ValueAt(c, y));
    }
  }
  Value ValueAt(const ColumnRef& c, uint32_t r) const {
    if (IsNull(c, r)) return Value();
    if (c.coded) return c.CodeValue(Code(c, r));
    const PropertyColumn& col = *c.column;
    switch (col.type()) {
      case ColumnType::kInt: return Value::Int(col.integer(r));
      case ColumnType::kDouble: return Value::Float(col.number(r));
      case ColumnType::kDate: return Value::MakeDate(col.date(r));
      case ColumnType::kJson: return FromJson(nlohmann::json::parse(col.json(r)));
      default: return Value();
    }
  }

 private:
  const CsrGraph& csr_;
};

}  // namespace samverkan::cypher
