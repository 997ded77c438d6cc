// CSV nodes and edges files (Neo4j admin-import headers): see csv_columns.h
// for the header and docs/formats.md for the whole convention.
#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <cmath>
#include <optional>

#include <absl/cleanup/cleanup.h>

#include "samverkan/parallel.h"

#include "csv_columns.h"
#include "csv_reader.h"
#include "readers.h"
#include "utf8.h"

namespace samverkan::importers {
namespace {

constexpr uint64_t kProgressEvery = 1 << 16;

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// Edges files at least this big are read in parts, one per core.
constexpr size_t kPartBytes = size_t{1} << 20;

// One stretch of the file being read, and where its records go.
struct Part {
  Part(std::string_view data, size_t begin, size_t end, uint64_t line, size_t max_problems)
      : reader(data, begin, line), problems(max_problems), end(end) {}
  CsvReader reader;
  Problems problems;
  size_t end;
  EdgeLane* lane = nullptr;  // edges go here, or to the sink if null
  std::vector<CsvField> fields;
};

class CsvImport {
 public:
  explicit CsvImport(ReadContext& ctx) : ctx_(ctx), reader_(ctx.data) {}

  void Run() {
    if (size_t bad = FindInvalidUtf8(ctx_.data); bad != std::string_view::npos) {
      Report(LocateOffset(ctx_.file, ctx_.data, bad), "invalid UTF-8 (or a NUL byte)");
      return;
    }
    if (!ReadHeader()) return;
    const size_t begin = reader_.position();
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    if (edges_ && threads > 1 && ctx_.data.size() - begin >= kPartBytes) {
      auto lanes = ctx_.sink->OpenEdgeLanes(std::min<size_t>(threads, 4));
      if (!lanes.empty()) return ReadInParts(begin, std::move(lanes));
    }
    if (!edges_ && threads > 1 && ctx_.data.size() - begin >= kPartBytes) {
      return ReadNodesAhead(begin);
    }
    Part whole(ctx_.data, begin, ctx_.data.size(), reader_.line(), ctx_.problems->limit());
    uint64_t records = 0;
    ReadPart(whole, [&](size_t bytes) {
      if (++records % kProgressEvery == 0 && ctx_.progress) ctx_.progress(bytes, records);
    });
    ctx_.problems->Merge(whole.problems);
    if (ctx_.progress) ctx_.progress(ctx_.data.size(), records);
  }

 private:
  // Reads the records that start in the part (the last may end after it);
  // `each` gets the bytes read so far after each one.
  template <typename Each>
  void ReadPart(Part& p, Each each) {
    while (!p.problems.full() && !ctx_.interrupt->Requested() && p.reader.position() < p.end) {
      if (!p.reader.Next(p.fields)) {
        if (p.reader.error().empty()) break;
        Report(p, p.reader.Locate(ctx_.file, p.reader.error_offset()), p.reader.error());
        continue;
      }
      if (p.fields.size() == 1 && p.fields[0].text.empty() && !p.fields[0].quoted) continue;
      if (p.fields.size() != columns_.size()) {
        Report(p, At(p, p.fields.back().offset + p.fields.back().text.size()),
               "expected " + std::to_string(columns_.size()) + " fields (as in the header), found " +
                   std::to_string(p.fields.size()));
        continue;
      }
      if (edges_) {
        EdgeRow(p);
      } else {
        NodeRow(p);
      }
      each(p.reader.position());
    }
  }

  // The edges after the header split at line ends into one part per lane,
  // each read on a thread of its own. A part's first line is found without
  // reading what is before it, so the guess may be wrong (a quoted field
  // with line breaks across the cut): the part before then does not end
  // exactly there, and the guessed parts from there on are dropped and read
  // again, in order.
  void ReadInParts(size_t begin, std::vector<std::unique_ptr<EdgeLane>> lanes) {
    const std::string_view data = ctx_.data;
    const size_t n = lanes.size();
    std::vector<size_t> cut(n + 1, data.size());
    cut[0] = begin;
    for (size_t k = 1; k < n; ++k) {
      size_t guess = std::max(cut[k - 1], begin + (data.size() - begin) / n * k);
      size_t nl = data.find('\n', guess);
      cut[k] = nl == std::string_view::npos ? data.size() : nl + 1;
    }
    std::vector<std::unique_ptr<Part>> parts(n);
    std::vector<std::atomic<size_t>> done(n);
    const uint64_t first_line = reader_.line();
    auto read = [&](size_t k) {
      // Lines are counted as the reader counts them: every '\n' is one.
      uint64_t line = first_line + std::count(data.begin() + begin, data.begin() + cut[k], '\n');
      parts[k] = std::make_unique<Part>(data, cut[k], cut[k + 1], line, ctx_.problems->limit());
      parts[k]->lane = lanes[k].get();
      done[k] = cut[k];
      uint64_t records = 0;
      ReadPart(*parts[k], [&](size_t bytes) {
        if (++records % kProgressEvery != 0) return;
        done[k] = bytes;
        if (k == 0 && ctx_.progress) {
          size_t sum = 0;
          for (size_t j = 0; j < n; ++j) sum += done[j] - cut[j];
          ctx_.progress(begin + sum, records * n);
        }
      });
    };
    ParallelFor(static_cast<uint32_t>(n), static_cast<unsigned>(n),
                [&](uint32_t b, uint32_t e, unsigned) {
                  for (uint32_t k = b; k < e; ++k) read(k);
                });

    // Keep the parts up to the first that did not end at its cut.
    size_t kept = 0;
    while (kept < n) {
      const Part& p = *parts[kept++];
      if (p.problems.full() || p.reader.position() != p.end) break;
    }
    lanes.resize(kept);
    for (size_t k = 0; k < kept; ++k) ctx_.problems->Merge(parts[k]->problems);
    if (Status s = ctx_.sink->CloseEdgeLanes(std::move(lanes)); !s.ok()) {
      Report({ctx_.file, 0, 0}, s.message());
      return;
    }
    const Part& last = *parts[kept - 1];
    if (kept < n && !last.problems.full() && !ctx_.problems->full()) {
      Part rest(data, last.reader.position(), data.size(), last.reader.line(),
                ctx_.problems->limit() - ctx_.problems->count());
      ReadPart(rest, [](size_t) {});
      ctx_.problems->Merge(rest.problems);
    }
    if (ctx_.progress) ctx_.progress(data.size(), 0);
  }

  // A node record read ahead (ReadNodesAhead).
  struct NodeAhead {
    NodeInput node;
    bool bad = false;  // it has problems: it is read again, in turn, to report them
    size_t offset = 0;  // where the record starts, on `line`
    uint64_t line = 0;
    size_t sector_at = 0;
    size_t end = 0;  // the bytes read after it
  };

  // A big nodes file: a second thread reads and parses the records, a few
  // thousand ahead, while this one gives them to the sink in order (the
  // sink takes one record at a time). Records with problems are read again
  // here when their turn comes, so that problems are listed in file order.
  void ReadNodesAhead(size_t begin) {
    constexpr size_t kBatch = 4096, kBatchesAhead = 4;
    std::mutex mu;
    std::condition_variable changed;
    std::deque<std::vector<NodeAhead>> ready;
    bool done = false, stop = false;
    // Whatever ends either side (the end of the file, a full problem list,
    // an exception), the other learns it, so that neither waits for ever;
    // an exception on the reading thread reaches this one through Wait().
    auto finish = [&](bool* flag) {
      std::lock_guard lock(mu);
      *flag = true;
      changed.notify_all();
    };
    TaskGroup reading(1);
    reading.Run([&] {
      absl::Cleanup signal_done = [&] { finish(&done); };
      Part p(ctx_.data, begin, ctx_.data.size(), reader_.line(), /*max_problems=*/0);
      std::vector<NodeAhead> batch;
      auto hand_over = [&] {
        std::unique_lock lock(mu);
        changed.wait(lock, [&] { return ready.size() < kBatchesAhead || stop; });
        ready.push_back(std::move(batch));
        batch.clear();
        changed.notify_all();
        return !stop;
      };
      while (true) {
        NodeAhead r;
        const bool got = p.reader.Next(p.fields);
        r.offset = p.reader.record_offset();
        r.line = p.reader.record_line();
        if (!got && p.reader.error().empty()) break;
        if (got && p.fields.size() == 1 && p.fields[0].text.empty() && !p.fields[0].quoted) continue;
        r.bad = !got || p.fields.size() != columns_.size() || !ParseNode(p, &r.node);
        if (!r.bad) r.sector_at = SectorAt(p);
        r.end = p.reader.position();
        batch.push_back(std::move(r));
        if (batch.size() == kBatch && !hand_over()) break;
      }
      hand_over();
      return Status::OK();
    });
    absl::Cleanup signal_stop = [&] { finish(&stop); };

    Problems& problems = *ctx_.problems;
    uint64_t records = 0;
    while (!ctx_.stop()) {
      std::vector<NodeAhead> batch;
      {
        std::unique_lock lock(mu);
        changed.wait(lock, [&] { return !ready.empty() || done; });
        if (ready.empty()) break;
        batch = std::move(ready.front());
        ready.pop_front();
        changed.notify_all();
      }
      for (NodeAhead& r : batch) {
        if (ctx_.stop()) break;
        if (r.bad) {
          Part again(ctx_.data, r.offset, r.offset + 1, r.line, problems.limit() - problems.count());
          ReadPart(again, [](size_t) {});
          problems.Merge(again.problems);
        } else {
          AddNode(problems, r.node, r.offset, r.line, r.sector_at);
        }
        if (++records % kProgressEvery == 0 && ctx_.progress) ctx_.progress(r.end, records);
      }
    }
    finish(&stop);
    Status read = reading.Wait();  // rethrows what the reading thread threw
    if (!read.ok()) Report({ctx_.file, 0, 0}, read.message());
    if (ctx_.progress) ctx_.progress(ctx_.data.size(), records);
  }

  Location At(const Part& p, size_t offset) const { return p.reader.Locate(ctx_.file, offset); }
  Location At(size_t offset) const { return reader_.Locate(ctx_.file, offset); }
  void Report(const Location& where, std::string_view message) {
    ctx_.problems->Add(where, message);
  }
  void Report(Part& p, const Location& where, std::string_view message) {
    p.problems.Add(where, message);
  }

  bool ReadHeader() {
    if (!reader_.Next(fields_)) {
      if (!reader_.error().empty()) {
        Report(At(reader_.error_offset()), reader_.error());
      } else {
        Report({ctx_.file, 1, 1}, "empty file: expected a header line");
      }
      return false;
    }
    for (const auto& f : fields_) {
      if (f.text == ":START_ID" || f.text.starts_with(":START_ID(")) edges_ = true;
    }
    bool ok = true;
    std::optional<CsvRole> seen[static_cast<int>(CsvRole::kIgnore) + 1];
    for (const auto& f : fields_) {
      auto col = ParseCsvColumn(f.text, edges_);
      if (!col.ok()) {
        Report(At(f.offset), col.status().message());
        ok = false;
        continue;
      }
      int r = static_cast<int>(col->role);
      if (col->role != CsvRole::kProp && col->role != CsvRole::kIgnore && seen[r]) {
        Report(At(f.offset), "column " + Quoted(f.text) + " appears twice");
        ok = false;
      }
      seen[r] = col->role;
      if (col->role == CsvRole::kProp) has_props_ = true;
      columns_.push_back(std::move(*col));
    }
    auto require = [&](CsvRole role, const char* name) {
      if (!seen[static_cast<int>(role)]) {
        Report({ctx_.file, 1, 1}, std::string("expected a ") + name + " column in the header");
        ok = false;
      }
    };
    if (edges_) {
      require(CsvRole::kStart, ":START_ID");
      require(CsvRole::kEnd, ":END_ID");
      require(CsvRole::kType, ":TYPE");
    } else {
      require(CsvRole::kKey, ":ID (a nodes file) or :START_ID (an edges file)");
    }
    return ok;
  }

  // The typed value of cell i; reports and returns false on a bad one.
  bool Value(Part& p, size_t i, std::optional<nlohmann::json>* out) {
    auto v = ParseCsvValue(p.fields[i].text, p.fields[i].quoted, columns_[i]);
    if (!v.ok()) {
      Report(p, At(p, p.fields[i].offset), ColumnName(i) + ": " + v.status().message());
      return false;
    }
    *out = std::move(*v);
    return true;
  }

  std::string ColumnName(size_t i) const {
    const CsvColumn& c = columns_[i];
    switch (c.role) {
      case CsvRole::kProp: return c.prop;
      case CsvRole::kAliases: return "aliases";
      case CsvRole::kSources: return "sources";
      case CsvRole::kRank: return "rank";
      case CsvRole::kWeight: return "weight";
      case CsvRole::kValidFrom: return "valid_from";
      case CsvRole::kValidTo: return "valid_to";
      default: return "column " + std::to_string(i + 1);
    }
  }

  // A list of strings from an aliases/sources cell (string[] or json).
  bool StringList(Part& p, size_t i, std::vector<std::string>* out) {
    std::optional<nlohmann::json> v;
    if (!Value(p, i, &v)) return false;
    if (!v) return true;
    if (!v->is_array()) {
      Report(p, At(p, p.fields[i].offset), ColumnName(i) + ": expected a JSON array of strings");
      return false;
    }
    for (const auto& item : *v) {
      if (!item.is_string()) {
        Report(p, At(p, p.fields[i].offset), ColumnName(i) + ": expected a JSON array of strings");
        return false;
      }
      out->push_back(item.get<std::string>());
    }
    return true;
  }

  bool Date(Part& p, size_t i, std::optional<samverkan::Date>* out,
            samverkan::Date::Partial partial) {
    std::string_view t = p.fields[i].text;
    if (t.empty()) return true;
    auto d = Date::Parse(t, partial);
    if (!d.ok()) {
      Report(p, At(p, p.fields[i].offset), ColumnName(i) + ": expected a date (YYYY-MM-DD, YYYY-MM or "
                                                     "YYYY), found " + Quoted(t));
      return false;
    }
    *out = *d;
    return true;
  }

  void NodeRow(Part& p) {
    NodeInput node;
    if (!ParseNode(p, &node)) return;
    AddNode(p.problems, node, p.reader.record_offset(), p.reader.record_line(), SectorAt(p));
  }

  // The node of the current record; false, with its problems reported, if
  // it has any.
  bool ParseNode(Part& p, NodeInput* out) {
    NodeInput& node = *out;
    nlohmann::json props;  // null (no allocation) until a property is set
    bool ok = true;
    std::vector<std::string> sources;
    for (size_t i = 0; i < columns_.size(); ++i) {
      std::string_view t = p.fields[i].text;
      switch (columns_[i].role) {
        case CsvRole::kKey: node.key = std::string(t); break;
        case CsvRole::kLabel:
          if (t.find(';') != std::string_view::npos) {
            Report(p, At(p, p.fields[i].offset), ":LABEL: expected one label (the node's kind), found " +
                                              Quoted(t));
            ok = false;
          }
          node.kind = std::string(t);
          break;
        case CsvRole::kName: node.name = std::string(t); break;
        case CsvRole::kSector: node.sector = std::string(t); break;
        case CsvRole::kAliases: ok &= StringList(p, i, &node.aliases); break;
        case CsvRole::kSources: ok &= StringList(p, i, &sources); break;
        case CsvRole::kProp: ok &= Prop(p, i, props); break;
        default: break;
      }
    }
    if (node.key.empty()) {
      Report(p, At(p, p.reader.record_offset()), "missing key (the :ID column is empty)");
      return false;
    }
    if (!ok) return false;
    for (auto& s : sources) node.sources.emplace_back(std::move(s));
    if (!props.empty()) node.props = props.dump();
    return true;
  }

  // Where the current record's sector cell is, for errors about it.
  size_t SectorAt(const Part& p) const {
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (columns_[i].role == CsvRole::kSector) return p.fields[i].offset;
    }
    return p.reader.record_offset();
  }

  // Gives the sink a node read from the record at `offset` (on `line`).
  void AddNode(Problems& problems, NodeInput& node, size_t offset, uint64_t line,
               size_t sector_at) {
    Status s = ctx_.sink->AddNode(node);
    if (s.ok()) return;
    const size_t at = s.message().find("sector") != std::string::npos ? sector_at : offset;
    problems.Add(LocateOffset(ctx_.file, ctx_.data, at, offset, line), s.message());
  }

  void EdgeRow(Part& p) {
    EdgeInput edge;
    nlohmann::json props;  // null (no allocation) until a property is set
    bool ok = true;
    std::vector<std::string> sources;
    for (size_t i = 0; i < columns_.size(); ++i) {
      std::string_view t = p.fields[i].text;
      switch (columns_[i].role) {
        case CsvRole::kStart: edge.src = NodeRef(t); break;
        case CsvRole::kEnd: edge.dst = NodeRef(t); break;
        case CsvRole::kType: edge.type = std::string(t); break;
        case CsvRole::kRank:
          if (!t.empty()) {
            auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), edge.rank);
            if (ec != std::errc() || end != t.data() + t.size()) {
              Report(p, At(p, p.fields[i].offset),
                     "rank: expected a whole number from 0 to 4294967295, found " + Quoted(t));
              ok = false;
            }
          }
          break;
        case CsvRole::kWeight:
          if (!t.empty()) {
            double w = 0;
            auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), w);
            if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(w)) {
              Report(p, At(p, p.fields[i].offset), "weight: expected a number, found " + Quoted(t));
              ok = false;
            } else {
              edge.weight = w;
            }
          }
          break;
        case CsvRole::kValidFrom:
          ok &= Date(p, i, &edge.validity.from, samverkan::Date::Partial::kFirstDay);
          break;
        case CsvRole::kValidTo:
          ok &= Date(p, i, &edge.validity.to, samverkan::Date::Partial::kLastDay);
          break;
        case CsvRole::kSources: ok &= StringList(p, i, &sources); break;
        case CsvRole::kProp: ok &= Prop(p, i, props); break;
        default: break;
      }
    }
    for (auto [ref, name] : {std::pair{&edge.src, ":START_ID"}, std::pair{&edge.dst, ":END_ID"}}) {
      if (ref->key.empty()) {
        Report(p, At(p, p.reader.record_offset()), std::string("missing ") + name);
        ok = false;
      }
    }
    if (edge.type.empty()) {
      Report(p, At(p, p.reader.record_offset()), "missing :TYPE");
      ok = false;
    }
    if (!ok) return;
    for (auto& s : sources) edge.sources.emplace_back(std::move(s));
    if (has_props_ && !props.empty()) edge.props = props.dump();
    Status s = p.lane ? p.lane->AddEdge(edge) : ctx_.sink->AddEdge(edge);
    if (!s.ok()) Report(p, At(p, p.reader.record_offset()), s.message());
  }

  bool Prop(Part& p, size_t i, nlohmann::json& props) {
    std::optional<nlohmann::json> v;
    if (!Value(p, i, &v)) return false;
    if (v) props[columns_[i].prop] = std::move(*v);
    return true;
  }

  ReadContext& ctx_;
  CsvReader reader_;
  std::vector<CsvField> fields_;
  std::vector<CsvColumn> columns_;
  bool edges_ = false;
  bool has_props_ = false;
};

}  // namespace

CsvFileKind PeekCsvKind(std::string_view data) {
  CsvReader reader(data);
  std::vector<CsvField> header;
  if (!reader.Next(header)) return CsvFileKind::kUnknown;
  for (const auto& f : header) {
    if (f.text.starts_with(":START_ID")) return CsvFileKind::kEdges;
  }
  for (const auto& f : header) {
    if (f.text.ends_with(":ID") || f.text.find(":ID(") != std::string_view::npos) {
      return CsvFileKind::kNodes;
    }
  }
  return CsvFileKind::kUnknown;
}

void ReadCsv(ReadContext& ctx) { CsvImport(ctx).Run(); }

}  // namespace samverkan::importers
