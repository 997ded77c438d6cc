// Reading big CSV files on both cores (see csv_import.h): an edges file in
// parts, each on a thread of its own into an edge lane of the sink; a nodes
// file parsed a batch ahead on a second thread while the sink takes its
// records in order. Problems are listed in file order either way.
#include <absl/cleanup/cleanup.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "csv_import.h"
#include "samverkan/parallel.h"

namespace samverkan::importers {

// The edges after the header split at line ends into one part per lane,
// each read on a thread of its own. A part's first line is found without
// reading what is before it, so the guess may be wrong (a quoted field
// with line breaks across the cut): the part before then does not end
// exactly there, and the guessed parts from there on are dropped and read
// again, in order.
void CsvImport::ReadInParts(size_t begin, std::vector<std::unique_ptr<EdgeLane>> lanes) {
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
    parts[k] = std::make_unique<Part>(data, cut[k], cut[k + 1], line, ctx_.problems->limit(),
                                      syntax());
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
              ctx_.problems->limit() - ctx_.problems->count(), syntax());
    ReadPart(rest, [](size_t) {});
    ctx_.problems->Merge(rest.problems);
  }
  if (ctx_.progress) ctx_.progress(data.size(), 0);
}

// A big nodes file: a second thread reads and parses the records, a few
// thousand ahead, while this one gives them to the sink in order (the
// sink takes one record at a time). Records with problems are read again
// here when their turn comes, so that problems are listed in file order.
void CsvImport::ReadNodesAhead(size_t begin) {
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
    Part p(ctx_.data, begin, ctx_.data.size(), reader_.line(), /*max_problems=*/0, syntax());
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
      if (got) ApplyNulls(p.fields);
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
        Part again(ctx_.data, r.offset, r.offset + 1, r.line, problems.limit() - problems.count(),
                   syntax());
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

}  // namespace samverkan::importers
