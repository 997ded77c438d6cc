// The years each drawn tie is valid in: TieSpans (the rule of TiesPerYear and
// the report's per-year chart) over the drawn nodes, renumbered to them.
#include <climits>

#include "drawing_model.h"

namespace samverkan::pictures {

Result<DrawnTieYears> TieYearsOf(const GraphView& view, const Drawing& d,
                                 const Interrupt& interrupt) {
  const CsrGraph& csr = *d.csr;
  NodeGroups drawn{std::vector<int32_t>(csr.num_nodes(), -1), {"drawn"}};
  std::vector<uint32_t> index(csr.num_nodes(), UINT32_MAX);
  for (uint32_t i = 0; i < d.nodes.size(); ++i) {
    drawn.group[d.nodes[i].csr] = 0;
    index[d.nodes[i].csr] = i;
  }
  const DrawingOptions& o = d.options;
  YearlyTiesOptions options{.keep_kind = o.via.empty() ? "" : o.keep, .through_kind = o.via};
  SV_ASSIGN_OR_RETURN(std::vector<TieSpan> spans,
                      TieSpans(view, csr, drawn, options, interrupt));
  DrawnTieYears out;
  int first = INT_MAX, last = INT_MIN;
  for (const TieSpan& s : spans) {
    uint32_t a = index[s.a], b = index[s.b];
    if (a > b) std::swap(a, b);
    out.spans[uint64_t{a} << 32 | b].push_back({s.from, s.to});
    for (int y : {s.from, s.to}) {
      if (y == INT_MIN || y == INT_MAX) continue;
      first = std::min(first, y);
      last = std::max(last, y);
    }
  }
  if (first <= last) out.first_year = first, out.last_year = last;
  return out;
}

const std::vector<std::pair<int, int>>& DrawnTieYears::of(uint32_t a, uint32_t b) const {
  static const std::vector<std::pair<int, int>> kNone;
  if (a > b) std::swap(a, b);
  auto it = spans.find(uint64_t{a} << 32 | b);
  return it == spans.end() ? kNone : it->second;
}

}  // namespace samverkan::pictures
