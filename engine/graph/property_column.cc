// PropertyColumn and the scans that fill one for a CSR snapshot.
#include "samverkan/property_column.h"

#include <algorithm>
#include <bit>

#include "samverkan/hash_table.h"
#include <nlohmann/json.hpp>

#include "column_build.h"

namespace samverkan {

unsigned CodeWidth(size_t dictionary_size) {
  if (dictionary_size <= size_t{1} << 8) return 1;
  if (dictionary_size <= size_t{1} << 16) return 2;
  return 4;
}

std::optional<uint32_t> PropertyColumn::CodeOf(std::string_view text) const {
  auto it = std::lower_bound(dictionary_.begin(), dictionary_.end(), text);
  if (it == dictionary_.end() || *it != text) return std::nullopt;
  return static_cast<uint32_t>(it - dictionary_.begin());
}

uint64_t PropertyColumn::memory_bytes() const {
  return present_.bytes() + ints_.bytes() + ints32_.bytes() + doubles_.bytes() +
         codes8_.bytes() + codes16_.bytes() + codes32_.bytes() + dictionary_.memory_bytes() +
         json_.memory_bytes();
}

// Takes the values of one column row by row. The first value fixes the
// type; a value of another type turns the column into JSON text, the
// values so far included.
class ColumnBuilder {
 public:
  explicit ColumnBuilder(size_t rows) : rows_(rows), present_((rows + 63) / 64, 0) {}

  void SetInt(uint32_t row, int64_t v) { SetScalar(row, ColumnType::kInt, v); }
  void SetBool(uint32_t row, bool v) { SetScalar(row, ColumnType::kBool, v ? 1 : 0); }
  void SetDate(uint32_t row, Date d) { SetScalar(row, ColumnType::kDate, d.days); }
  void SetDouble(uint32_t row, double v) {
    if (!Typed(ColumnType::kDouble)) return SetJson(row, nlohmann::json(v).dump());
    doubles_[row] = v;
    Mark(row);
  }
  void SetString(uint32_t row, std::string_view v) {
    if (!Typed(ColumnType::kString)) return SetJson(row, nlohmann::json(v).dump());
    auto [it, added] = codes_.try_emplace(std::string(v), static_cast<uint32_t>(strings_.size()));
    if (added) strings_.emplace_back(v);
    ints_[row] = it->second;
    Mark(row);
  }
  // A JSON value as props hold it.
  void SetJsonValue(uint32_t row, const nlohmann::json& v) {
    if (v.is_null()) return;
    if (v.is_boolean()) return SetBool(row, v.get<bool>());
    if (v.is_number_integer() && !v.is_number_unsigned()) return SetInt(row, v.get<int64_t>());
    if (v.is_number_unsigned() && v.get<uint64_t>() <= INT64_MAX) {
      return SetInt(row, static_cast<int64_t>(v.get<uint64_t>()));
    }
    if (v.is_number_float()) return SetDouble(row, v.get<double>());
    if (v.is_string()) return SetString(row, v.get_ref<const std::string&>());
    SetJson(row, v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }

  std::shared_ptr<const PropertyColumn> Finish() {
    std::vector<std::string> dictionary;
    if (type_ == ColumnType::kString) {
      // Sorted dictionary: codes then compare as the strings do.
      std::vector<uint32_t> order(strings_.size());
      for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
      std::sort(order.begin(), order.end(),
                [&](uint32_t a, uint32_t b) { return strings_[a] < strings_[b]; });
      std::vector<int64_t> recode(order.size());
      dictionary.resize(order.size());
      for (uint32_t i = 0; i < order.size(); ++i) {
        recode[order[i]] = i;
        dictionary[i] = std::move(strings_[order[i]]);
      }
      for (uint32_t row = 0; row < rows_; ++row) {
        if (!IsNull(present_, row)) ints_[row] = recode[static_cast<size_t>(ints_[row])];
      }
    }
    return Make(type_, rows_, std::move(present_), std::move(ints_), std::move(doubles_),
                StringList(dictionary), StringList(json_));
  }

  // `base` with its rows moved (new row r holds old row old_row[r]) and the
  // rows set in `written` (where old_row[r] is kWritten) taken from there;
  // null unless that equals a column built afresh over the same values. A
  // build's column depends only on the set of (row, value): its type is
  // the values' one type (or JSON), its dictionary their sorted strings.
  static constexpr uint32_t kWritten = UINT32_MAX;
  static std::shared_ptr<const PropertyColumn> Patch(const PropertyColumn& base,
                                                     std::span<const uint32_t> old_row,
                                                     ColumnBuilder written) {
    std::shared_ptr<const PropertyColumn> fresh_column = written.Finish();
    const PropertyColumn& fresh = *fresh_column;
    const size_t rows = old_row.size();
    uint64_t kept = 0;  // base values that stay
    for (uint32_t o : old_row) kept += o != kWritten && !base.is_null(o);
    if (kept == 0) return fresh_column;  // the written values are all there is
    if (fresh.type_ == ColumnType::kNull) {
      uint64_t values = 0;
      for (uint64_t word : base.present_) values += static_cast<uint64_t>(std::popcount(word));
      // Values of mixed types, some gone: the rest may share one type.
      if (base.type_ == ColumnType::kJson && kept != values) return nullptr;
    } else if (fresh.type_ != base.type_ || base.type_ == ColumnType::kJson) {
      return nullptr;  // would turn into JSON (or stay JSON with new texts): build it
    }
    const ColumnType type = base.type_;
    std::vector<uint64_t> present((rows + 63) / 64, 0);
    std::vector<int64_t> ints;
    std::vector<double> doubles;
    // Views into `base` and `fresh`, which outlive them: a patch copies each
    // string once, into the new column's block, not through a std::string.
    std::vector<std::string_view> dictionary, json;
    if (type == ColumnType::kDouble) {
      doubles.assign(rows, 0);
    } else if (type == ColumnType::kJson) {
      json.assign(rows, std::string_view());
    } else {
      ints.assign(rows, 0);
    }
    // Strings: the dictionary of the values that stay and those written,
    // sorted; both sides' codes renumbered into it. The written strings are
    // few: each is placed by a binary search, and the base's between them
    // are taken without comparing.
    std::vector<int64_t> base_code, fresh_code;
    if (type == ColumnType::kString) {
      const StringList& bd = base.dictionary_;
      const StringList& fd = fresh.dictionary_;
      std::vector<bool> used(bd.size(), false);
      for (uint32_t o : old_row) {
        if (o != kWritten && !base.is_null(o)) used[base.code(o)] = true;
      }
      base_code.assign(bd.size(), -1);
      fresh_code.assign(fd.size(), -1);
      dictionary.reserve(bd.size() + fd.size());
      size_t i = 0;
      auto take_base_until = [&](size_t end) {
        for (; i < end; ++i) {
          if (!used[i]) continue;
          base_code[i] = static_cast<int64_t>(dictionary.size());
          dictionary.push_back(bd[i]);
        }
      };
      for (size_t j = 0; j < fd.size(); ++j) {
        const auto from = bd.begin() + static_cast<std::ptrdiff_t>(i);
        take_base_until(static_cast<size_t>(std::lower_bound(from, bd.end(), fd[j]) - bd.begin()));
        const auto code = static_cast<int64_t>(dictionary.size());
        dictionary.push_back(fd[j]);
        fresh_code[j] = code;
        if (i < bd.size() && bd[i] == fd[j]) {  // one entry for both
          if (used[i]) base_code[i] = code;
          ++i;
        }
      }
      take_base_until(bd.size());
    }
    auto copy = [&](const PropertyColumn& from, uint32_t o, const std::vector<int64_t>& recode,
                    uint32_t r) {
      switch (type) {
        case ColumnType::kDouble: doubles[r] = from.doubles_[o]; break;
        case ColumnType::kJson: json[r] = from.json_[o]; break;
        case ColumnType::kString: ints[r] = recode[from.code(o)]; break;
        case ColumnType::kInt: ints[r] = from.integer(o); break;
        case ColumnType::kBool: ints[r] = from.boolean(o) ? 1 : 0; break;
        case ColumnType::kDate: ints[r] = from.date(o).days; break;
        default: break;
      }
      present[r >> 6] |= uint64_t{1} << (r & 63);
    };
    for (uint32_t r = 0; r < rows; ++r) {
      const uint32_t o = old_row[r];
      if (o != kWritten) {
        if (!base.is_null(o)) copy(base, o, base_code, r);
      } else if (!fresh.is_null(r)) {
        copy(fresh, r, fresh_code, r);
      }
    }
    return Make(type, rows, std::move(present), std::move(ints), std::move(doubles),
                StringList(dictionary), StringList(json));
  }

 private:
  static bool IsNull(const std::vector<uint64_t>& present, uint32_t row) {
    return !((present[row >> 6] >> (row & 63)) & 1);
  }

  static std::shared_ptr<const PropertyColumn> Make(ColumnType type, size_t rows,
                                                    std::vector<uint64_t> present,
                                                    std::vector<int64_t> ints,
                                                    std::vector<double> doubles,
                                                    StringList dictionary, StringList json) {
    auto c = std::make_shared<PropertyColumn>();
    c->type_ = type;
    c->rows_ = rows;
    c->present_ = std::move(present);
    switch (type) {
      case ColumnType::kNull:
      case ColumnType::kJson: break;
      case ColumnType::kDouble:
        c->width_ = 8;
        c->doubles_ = std::move(doubles);
        break;
      case ColumnType::kBool:
        c->width_ = 1;
        c->codes8_ = Narrowed<uint8_t>(ints);
        break;
      case ColumnType::kDate:  // Date's days are 32-bit
        c->width_ = 4;
        c->ints32_ = Narrowed<int32_t>(ints);
        break;
      case ColumnType::kInt: {
        const bool fits = std::all_of(ints.begin(), ints.end(), [](int64_t v) {
          return v >= INT32_MIN && v <= INT32_MAX;
        });
        c->width_ = fits ? 4 : 8;
        if (fits) {
          c->ints32_ = Narrowed<int32_t>(ints);
        } else {
          c->ints_ = std::move(ints);
        }
        break;
      }
      case ColumnType::kString:
        // Codes are below the dictionary's size.
        c->width_ = CodeWidth(dictionary.size());
        if (c->width_ == 1) {
          c->codes8_ = Narrowed<uint8_t>(ints);
        } else if (c->width_ == 2) {
          c->codes16_ = Narrowed<uint16_t>(ints);
        } else {
          c->codes32_ = Narrowed<uint32_t>(ints);
        }
        break;
    }
    if (type == ColumnType::kString) c->dictionary_ = std::move(dictionary);
    if (type == ColumnType::kJson) c->json_ = std::move(json);
    return c;
  }

  // The values, each of which fits a T.
  template <typename T>
  static std::vector<T> Narrowed(const std::vector<int64_t>& values) {
    return std::vector<T>(values.begin(), values.end());
  }

  void Mark(uint32_t row) { present_[row >> 6] |= uint64_t{1} << (row & 63); }

  // Whether the column is (now) of `type`; false once it is JSON or of
  // another type, which then turns it into JSON.
  bool Typed(ColumnType type) {
    if (type_ == type) return true;
    if (type_ == ColumnType::kNull) {
      type_ = type;
      if (type == ColumnType::kDouble) {
        doubles_.assign(rows_, 0);
      } else {
        ints_.assign(rows_, 0);
      }
      return true;
    }
    ToJson();
    return false;
  }

  void SetScalar(uint32_t row, ColumnType type, int64_t v) {
    if (!Typed(type)) {
      nlohmann::json j = type == ColumnType::kBool ? nlohmann::json(v != 0)
                         : type == ColumnType::kDate ? nlohmann::json(Date{static_cast<int32_t>(v)}.ToString())
                                                     : nlohmann::json(v);
      return SetJson(row, j.dump());
    }
    ints_[row] = v;
    Mark(row);
  }

  void SetJson(uint32_t row, std::string text) {
    if (type_ != ColumnType::kJson) ToJson();
    json_[row] = std::move(text);
    Mark(row);
  }

  // Rewrites the values so far as JSON text.
  void ToJson() {
    if (type_ == ColumnType::kJson) return;
    json_.assign(rows_, std::string());
    for (uint32_t row = 0; row < rows_; ++row) {
      if (IsNull(present_, row)) continue;
      nlohmann::json j;
      switch (type_) {
        case ColumnType::kInt: j = ints_[row]; break;
        case ColumnType::kBool: j = ints_[row] != 0; break;
        case ColumnType::kDate: j = Date{static_cast<int32_t>(ints_[row])}.ToString(); break;
        case ColumnType::kDouble: j = doubles_[row]; break;
        case ColumnType::kString: j = strings_[static_cast<size_t>(ints_[row])]; break;
        default: break;
      }
      json_[row] = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    type_ = ColumnType::kJson;
    ints_ = {};
    doubles_ = {};
    strings_ = {};
    codes_ = {};
  }

  ColumnType type_ = ColumnType::kNull;
  size_t rows_ = 0;
  std::vector<uint64_t> present_;  // one bit per row
  std::vector<int64_t> ints_;
  std::vector<double> doubles_;
  std::vector<std::string> json_;
  std::vector<std::string> strings_;  // kString, in order of appearance
  HashMap<std::string, uint32_t> codes_;
};

namespace {

// The member `key` of a props object, or null.
nlohmann::json Member(const std::string& props, const std::string& key) {
  if (props.size() <= 2) return nullptr;  // "{}"
  nlohmann::json j = nlohmann::json::parse(props, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nlohmann::json(nullptr) : std::move(*it);
}

// Fills the columns of several props keys from one pass over the rows:
// each row's JSON is parsed once for all of them. Besides the key asked for,
// it takes the keys the first rows hold, as many as the budget allows.
class PropsColumns {
 public:
  PropsColumns(size_t rows, std::span<const std::string> wanted) : rows_(rows) {
    // Cells (rows × columns) filled at once: each costs 8 bytes while it is
    // built and after; 16 columns of a million rows, 3 of ten million.
    constexpr size_t kCells = size_t{32} << 20;
    constexpr size_t kMaxColumns = 16;
    limit_ = std::max<size_t>(1, std::min(kMaxColumns, kCells / std::max<size_t>(rows, 1)));
    for (const std::string& key : wanted) {
      if (!index_.contains(key)) Add(key);
    }
  }

  void Take(uint32_t row, const std::string& props) {
    if (props.size() <= 2) return;  // "{}"
    nlohmann::json j = nlohmann::json::parse(props, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return;
    const bool sampling = ++seen_ <= kSampleRows;
    for (auto& [key, value] : j.items()) {
      auto it = index_.find(key);
      if (it == index_.end()) {
        if (!sampling || builders_.size() >= limit_) continue;
        it = Add(key);
      }
      builders_[it->second].second.SetJsonValue(row, value);
    }
  }

  std::vector<std::pair<std::string, std::shared_ptr<const PropertyColumn>>> Finish() {
    std::vector<std::pair<std::string, std::shared_ptr<const PropertyColumn>>> out;
    for (auto& [key, b] : builders_) out.emplace_back(key, b.Finish());
    return out;
  }

 private:
  static constexpr uint64_t kSampleRows = 4096;  // rows with props whose keys are taken

  HashMap<std::string, size_t>::iterator Add(const std::string& key) {
    builders_.emplace_back(key, ColumnBuilder(rows_));
    return index_.emplace(key, builders_.size() - 1).first;
  }

  size_t rows_;
  size_t limit_;
  uint64_t seen_ = 0;
  std::vector<std::pair<std::string, ColumnBuilder>> builders_;
  HashMap<std::string, size_t> index_;
};

}  // namespace

namespace {

// The value a build puts in a column's row for a node or an edge.
void SetField(ColumnBuilder& b, uint32_t row, const Node& node, NodeField field,
              const std::string& key) {
  switch (field) {
    case NodeField::kKey: b.SetString(row, node.key); break;
    case NodeField::kName: b.SetString(row, node.name); break;
    case NodeField::kProps: b.SetJsonValue(row, Member(node.props, key)); break;
  }
}

void SetField(ColumnBuilder& b, uint32_t row, const Edge& e, EdgeField field,
              const std::string& key) {
  switch (field) {
    case EdgeField::kWeight:
      if (e.weight) b.SetDouble(row, *e.weight);
      break;
    case EdgeField::kValidFrom:
      if (e.validity.from) b.SetDate(row, *e.validity.from);
      break;
    case EdgeField::kValidTo:
      if (e.validity.to) b.SetDate(row, *e.validity.to);
      break;
    case EdgeField::kRank: b.SetInt(row, e.rank); break;
    case EdgeField::kProps: b.SetJsonValue(row, Member(e.props, key)); break;
  }
}

template <typename Record, typename Field>
std::shared_ptr<const PropertyColumn> PatchColumn(
    const PropertyColumn& column, Field field, const std::string& key,
    std::span<const uint32_t> old_row, const std::vector<std::pair<uint32_t, Record>>& written) {
  ColumnBuilder b(old_row.size());
  for (const auto& [row, record] : written) SetField(b, row, record, field, key);
  return ColumnBuilder::Patch(column, old_row, std::move(b));
}

}  // namespace

std::shared_ptr<const PropertyColumn> PatchNodeColumn(
    const PropertyColumn& column, NodeField field, const std::string& key,
    std::span<const uint32_t> old_row, const std::vector<std::pair<uint32_t, Node>>& written) {
  return PatchColumn(column, field, key, old_row, written);
}

std::shared_ptr<const PropertyColumn> PatchEdgeColumn(
    const PropertyColumn& column, EdgeField field, const std::string& key,
    std::span<const uint32_t> old_row, const std::vector<std::pair<uint32_t, Edge>>& written) {
  return PatchColumn(column, field, key, old_row, written);
}

Result<std::vector<std::pair<std::string, std::shared_ptr<const PropertyColumn>>>>
BuildPropsColumns(const GraphView& view, const CsrGraph& csr, bool edges,
                  std::span<const std::string> keys, const Interrupt& interrupt) {
  PropsColumns columns(edges ? csr.num_edges() : csr.num_nodes(), keys);
  uint32_t n = 0;
  if (!edges) {
    auto nodes = view.Nodes();
    for (; nodes->Valid(); nodes->Next()) {
      if (++n % 4096 == 0 && interrupt.Requested()) return Interrupt::Stopped();
      auto v = csr.index_of(nodes->node().id);
      if (v) columns.Take(*v, nodes->node().props);
    }
    SV_RETURN_IF_ERROR(nodes->status());
    return columns.Finish();
  }
  SV_RETURN_IF_ERROR(csr.CheckEdgePositions());
  // Edges in the order of positions, as BuildEdgeColumn reads them.
  uint32_t next = 0;
  auto it = view.AllEdges();
  for (; it->Valid() && next < csr.num_edges(); it->Next()) {
    if (++n % 4096 == 0 && interrupt.Requested()) return Interrupt::Stopped();
    if (it->edge().id != csr.edge_id(next)) continue;
    SV_ASSIGN_OR_RETURN(Edge full, it->Load());
    columns.Take(next++, full.props);
  }
  SV_RETURN_IF_ERROR(it->status());
  if (next != csr.num_edges()) {
    return Status::Internal("the graph does not hold the snapshot's edges in their order");
  }
  return columns.Finish();
}

Result<std::shared_ptr<const PropertyColumn>> BuildNodeColumn(const GraphView& view,
                                                              const CsrGraph& csr,
                                                              NodeField field,
                                                              const std::string& key,
                                                              const Interrupt& interrupt) {
  ColumnBuilder b(csr.num_nodes());
  uint32_t n = 0;
  auto nodes = view.Nodes();
  for (; nodes->Valid(); nodes->Next()) {
    if (++n % 4096 == 0 && interrupt.Requested()) return Interrupt::Stopped();
    const Node& node = nodes->node();
    auto v = csr.index_of(node.id);
    if (!v) continue;  // of a kind the snapshot leaves out
    switch (field) {
      case NodeField::kKey: b.SetString(*v, node.key); break;
      case NodeField::kName: b.SetString(*v, node.name); break;
      case NodeField::kProps: b.SetJsonValue(*v, Member(node.props, key)); break;
    }
  }
  SV_RETURN_IF_ERROR(nodes->status());
  return b.Finish();
}

Result<std::shared_ptr<const PropertyColumn>> BuildEdgeColumn(const GraphView& view,
                                                              const CsrGraph& csr,
                                                              EdgeField field,
                                                              const std::string& key,
                                                              const Interrupt& interrupt) {
  SV_RETURN_IF_ERROR(csr.CheckEdgePositions());
  ColumnBuilder b(csr.num_edges());
  // AllEdges comes in (src, type, dst, rank) order, the order of the
  // snapshot's positions: a scanned edge is at the next position when the
  // ids agree, else the snapshot left it out (a filtered snapshot).
  uint32_t next = 0;
  uint32_t n = 0;
  auto edges = view.AllEdges();
  for (; edges->Valid() && next < csr.num_edges(); edges->Next()) {
    if (++n % 4096 == 0 && interrupt.Requested()) return Interrupt::Stopped();
    const EdgeRef& e = edges->edge();
    if (e.id != csr.edge_id(next)) continue;
    const uint32_t row = next++;
    switch (field) {
      case EdgeField::kWeight:
        if (e.weight) b.SetDouble(row, *e.weight);
        break;
      case EdgeField::kValidFrom:
        if (e.validity.from) b.SetDate(row, *e.validity.from);
        break;
      case EdgeField::kValidTo:
        if (e.validity.to) b.SetDate(row, *e.validity.to);
        break;
      case EdgeField::kRank:
        b.SetInt(row, e.rank);
        break;
      case EdgeField::kProps: {
        SV_ASSIGN_OR_RETURN(Edge full, edges->Load());
        b.SetJsonValue(row, Member(full.props, key));
        break;
      }
    }
  }
  SV_RETURN_IF_ERROR(edges->status());
  if (next != csr.num_edges()) {
    return Status::Internal("the graph does not hold the snapshot's edges in their order");
  }
  return b.Finish();
}

}  // namespace samverkan
