// MakeDrawing: selection, measures, layout, canvas, colours and labels.
#include "drawing_model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>

#include <fmt/format.h>

#include "samverkan/text.h"
#include "samverkan/traversal.h"

namespace samverkan::pictures {
namespace {

// Canvas: the longer side of the layout's bounding box is this wide, with
// a margin for labels and the largest circles.
constexpr double kCanvas = 1000, kMargin = 40;
constexpr double kMinRadius = 3, kMaxRadius = 18;
constexpr double kFontSize = 12;
// Longer names are cut in labels (the hover card and title show them whole).
constexpr size_t kLabelChars = 40;
// Paul Tol's "muted" scheme (eight of its nine colours), made to stay
// distinct for colour-blind readers and readable on white: the largest
// groups get one each, in order, and the rest are grey "other". Tableau's
// 10 had two browns and two blues that readers confused.
constexpr const char* kPalette[] = {"#332288", "#ddcc77", "#117733", "#cc6677",
                                    "#aa4499", "#88ccee", "#44aa99", "#882255"};
// At most this many groups get a colour of their own; the rest are "other".
constexpr size_t kColoured = std::size(kPalette);
constexpr const char* kOther = "#c0c0c0";

// The ties among `keep` (a subset of g's nodes, in order), renumbered.
SimpleGraph Induced(const SimpleGraph& g, const std::vector<uint32_t>& keep) {
  std::vector<uint32_t> at(g.num_nodes, UINT32_MAX);
  for (uint32_t i = 0; i < keep.size(); ++i) at[keep[i]] = i;
  SimpleGraph out;
  out.num_nodes = static_cast<uint32_t>(keep.size());
  out.offsets.push_back(0);
  for (uint32_t v : keep) {
    for (uint64_t i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
      if (at[g.targets[i]] == UINT32_MAX) continue;
      out.targets.push_back(at[g.targets[i]]);
      if (g.weighted()) out.weights.push_back(g.weights[i]);
    }
    out.offsets.push_back(out.targets.size());
  }
  return out;
}

// 66720 as "66,720".
std::string Thousands(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// "1 tie", "181,000 ties".
std::string Counted(uint64_t n, const std::string& noun) {
  return Thousands(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string Join(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

// Characters (code points) in UTF-8 text.
size_t Chars(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// The text of a label: the name, cut to kLabelChars characters with an
// ellipsis (never inside a UTF-8 sequence).
std::string LabelText(const std::string& name) {
  if (name.size() <= kLabelChars) return name;
  size_t cut = kLabelChars - 1;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  return name.substr(0, cut) + "\u2026";
}

// Labels the most central nodes, each under its circle, skipping a label
// whose box would overlap one placed before it; a box that would stick out
// of the canvas is moved sideways into it. Boxes are estimated from the
// character count (labels are drawn in a sans-serif face whose average
// glyph is about 0.6 em wide). Placed boxes are kept in a grid of cells as
// wide as the widest label, so each test looks at a few cells, not at
// every label placed.
void PlaceLabels(Drawing* d) {
  if (d->options.labels == 0) return;
  std::vector<uint32_t> order(d->nodes.size());
  std::iota(order.begin(), order.end(), 0u);
  // The ego first; nodes with no drawn tie (kept isolates) get none.
  std::erase_if(order, [&](uint32_t v) { return d->nodes[v].degree == 0 && !d->nodes[v].ego; });
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (d->nodes[a].ego != d->nodes[b].ego) return d->nodes[a].ego;
    return d->nodes[a].value > d->nodes[b].value;
  });
  struct Box {
    double x0, y0, x1, y1;
  };
  const double cell = 0.6 * kFontSize * kLabelChars;
  const auto columns = static_cast<size_t>(d->width / cell) + 1;
  const auto rows = static_cast<size_t>(d->height / cell) + 1;
  std::vector<std::vector<Box>> grid(columns * rows);
  auto cells = [&](const Box& b, auto&& visit) {
    const auto clamp_to = [](double v, size_t n) {
      return std::min(n - 1, static_cast<size_t>(std::max(0.0, v)));
    };
    for (size_t r = clamp_to(b.y0 / cell, rows); r <= clamp_to(b.y1 / cell, rows); ++r) {
      for (size_t c = clamp_to(b.x0 / cell, columns); c <= clamp_to(b.x1 / cell, columns); ++c) {
        if (!visit(grid[r * columns + c])) return false;
      }
    }
    return true;
  };
  uint32_t count = 0;
  for (uint32_t v : order) {
    if (count >= d->options.labels) break;
    DrawnNode& n = d->nodes[v];
    const std::string text = LabelText(n.name);
    const double w = 0.6 * kFontSize * static_cast<double>(Chars(text));
    const double h = kFontSize * 1.2;
    const double lx = std::clamp(n.x, w / 2, std::max(w / 2, d->width - w / 2));
    const Box b{lx - w / 2, n.y + n.r + 1, lx + w / 2, n.y + n.r + 1 + h};
    const bool clear = cells(b, [&](const std::vector<Box>& in) {
      for (const Box& o : in) {
        if (b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1) return false;
      }
      return true;
    });
    if (!clear) continue;
    cells(b, [&](std::vector<Box>& in) {
      in.push_back(b);
      return true;
    });
    n.label_rank = count + 1;
    n.label_text = text;
    n.label_x = lx;
    ++count;
  }
}

// The ties the drawing may show, and the nodes that may be drawn: the
// projection's kept nodes, or every node of the snapshot.
struct Candidates {
  SimpleGraph ties;
  std::vector<uint32_t> nodes;
};

Result<Candidates> SelectCandidates(const CsrGraph& csr, const Schema& schema,
                                    const DrawingOptions& o, const Interrupt& interrupt) {
  Candidates c;
  if (!o.via.empty()) {
    SV_ASSIGN_OR_RETURN(c.ties, Project(csr, schema, o.keep, o.via, interrupt));
    // An unknown kind matches no node.
    const SymbolId keep = schema.Find(SymbolSpace::kKind, o.keep).value_or(UINT32_MAX);
    const SymbolId via = schema.Find(SymbolSpace::kKind, o.via).value_or(UINT32_MAX);
    for (uint32_t v = 0; v < csr.num_nodes(); ++v) {
      if (o.keep.empty() ? csr.kind(v) != via : csr.kind(v) == keep) c.nodes.push_back(v);
    }
  } else {
    SV_ASSIGN_OR_RETURN(c.ties, MakeSimpleGraph(csr, Direction::kBoth, false));
    c.nodes.resize(csr.num_nodes());
    std::iota(c.nodes.begin(), c.nodes.end(), 0u);
  }
  return c;
}

// The ego network: breadth-first over the ties from the start, among the
// candidates; all of them without a start. Sorted.
Result<std::vector<uint32_t>> SelectNodes(const GraphView& view, const CsrGraph& csr,
                                          const Candidates& c, const DrawingOptions& o) {
  if (o.start.empty()) return c.nodes;
  auto id = view.FindKey(o.start);
  if (!id.ok()) return Status::NotFound("start: unknown node '" + o.start + "'");
  auto at = csr.index_of(*id);
  std::vector<char> candidate(csr.num_nodes(), 0);
  for (uint32_t v : c.nodes) candidate[v] = 1;
  if (!at || !candidate[*at]) {
    return Status::InvalidArgument("start: node '" + o.start +
                                   "' is not among the nodes selected to be drawn");
  }
  std::vector<uint32_t> selected;
  std::vector<uint32_t> depth(csr.num_nodes(), UINT32_MAX);
  depth[*at] = 0;
  selected.push_back(*at);
  for (size_t head = 0; head < selected.size(); ++head) {
    const uint32_t v = selected[head];
    if (depth[v] >= o.depth) continue;
    for (uint32_t u : c.ties.neighbors(v)) {
      if (depth[u] == UINT32_MAX && candidate[u]) {
        depth[u] = depth[v] + 1;
        selected.push_back(u);
      }
    }
  }
  std::sort(selected.begin(), selected.end());
  return selected;
}

// Leaves out the selected nodes with no drawn tie (but never the ego),
// counting them in d->isolates_left_out: on real data they are often most
// of the nodes, and drawn they would bury the network.
Status LeaveOutIsolates(const GraphView& view, std::vector<uint32_t>* selected, Drawing* d) {
  std::optional<uint32_t> ego;
  if (!d->options.start.empty()) {
    SV_ASSIGN_OR_RETURN(NodeId id, view.FindKey(d->options.start));
    ego = d->csr->index_of(id);
  }
  std::vector<uint32_t> tied, kept;
  for (uint32_t i = 0; i < selected->size(); ++i) {
    if (d->ties.degree(i) > 0 || (*selected)[i] == ego) {
      tied.push_back(i);
      kept.push_back((*selected)[i]);
    }
  }
  d->isolates_left_out = selected->size() - kept.size();
  if (d->isolates_left_out > 0) {
    d->ties = Induced(d->ties, tied);
    *selected = std::move(kept);
  }
  return Status::OK();
}

// Names and the measure that sizes the nodes: one DrawnNode per selected
// node, in d->ties' order.
Status DescribeNodes(const GraphView& view, const std::vector<uint32_t>& selected,
                     const Interrupt& interrupt, Drawing* d) {
  const DrawingOptions& o = d->options;
  const CsrGraph& csr = *d->csr;
  const uint32_t n = d->ties.num_nodes;
  d->nodes.resize(n);
  std::vector<double> rank;
  if (o.size != "degree" && o.size != "pagerank") {
    return Status::InvalidArgument("size must be 'degree' or 'pagerank', not '" + o.size + "'");
  }
  if (o.size == "pagerank") {
    SV_ASSIGN_OR_RETURN(rank, DrawnPageRank(*d, interrupt));
  }
  std::map<NodeId, std::string> source_names;
  for (uint32_t i = 0; i < n; ++i) {
    if (i % 1024 == 0) SV_RETURN_IF_ERROR(interrupt.Check());
    DrawnNode& dn = d->nodes[i];
    dn.csr = selected[i];
    SV_ASSIGN_OR_RETURN(Node node, view.GetNode(csr.node_id(dn.csr)));
    dn.key = std::move(node.key);
    dn.name = std::move(node.name);
    dn.kind = std::move(node.kind);
    dn.sector = std::move(node.sector);
    auto folded = FoldName(dn.name);
    dn.folded = folded.ok() ? *folded : dn.name;
    for (NodeId s : node.sources) {
      auto [it, fresh] = source_names.emplace(s, std::string());
      if (fresh) {
        auto src = view.GetNode(s);
        it->second = src.ok() ? src->name : "";
      }
      if (!it->second.empty()) dn.sources.push_back(it->second);
    }
    dn.degree = d->ties.degree(i);
    dn.ego = !o.start.empty() && dn.key == o.start;
    dn.value = rank.empty() ? static_cast<double>(dn.degree) : rank[i];
  }
  return Status::OK();
}

// The group each node is coloured by: its community, sector or kind.
Result<std::vector<std::string>> GroupNames(const Interrupt& interrupt, Drawing* d) {
  const DrawingOptions& o = d->options;
  const auto n = static_cast<uint32_t>(d->nodes.size());
  std::vector<std::string> group_name(n);
  if (o.color == "community") {
    SV_ASSIGN_OR_RETURN(d->communities, Louvain(d->ties, {}, interrupt));
    std::vector<uint64_t> size(d->communities.count, 0);
    for (uint32_t c : d->communities.community) ++size[c];
    std::vector<uint32_t> by_size(d->communities.count);
    std::iota(by_size.begin(), by_size.end(), 0u);
    std::stable_sort(by_size.begin(), by_size.end(),
                     [&](uint32_t a, uint32_t b) { return size[a] > size[b]; });
    std::vector<uint32_t> rank_of(d->communities.count);
    for (uint32_t r = 0; r < by_size.size(); ++r) rank_of[by_size[r]] = r;
    for (uint32_t i = 0; i < n; ++i) {
      const uint32_t r = rank_of[d->communities.community[i]];
      group_name[i] = r < kColoured ? fmt::format("community {}", r + 1) : "other";
    }
  } else if (o.color == "sector" || o.color == "kind") {
    for (uint32_t i = 0; i < n; ++i) {
      const std::string& g = o.color == "sector" ? d->nodes[i].sector : d->nodes[i].kind;
      group_name[i] = g.empty() ? "(none)" : g;
    }
  } else {
    return Status::InvalidArgument("color must be 'sector', 'kind' or 'community', not '" +
                                   o.color + "'");
  }
  return group_name;
}

// Colours: one legend entry per group, the largest first; the largest
// kColoured have a colour each and the rest are folded into grey "other"
// (as are nodes without a sector, "(none)").
void ColourGroups(std::vector<std::string> group_name, Drawing* d) {
  auto grey = [](const std::string& g) { return g == "other" || g == "(none)"; };
  std::map<std::string, uint64_t> counts;
  for (const auto& g : group_name) ++counts[g];
  std::vector<std::pair<std::string, uint64_t>> groups(counts.begin(), counts.end());
  std::stable_sort(groups.begin(), groups.end(), [&](const auto& a, const auto& b) {
    if (grey(a.first) != grey(b.first)) return grey(b.first);  // those last
    if (a.first.starts_with("community ") && b.first.starts_with("community ")) {
      return std::stoul(a.first.substr(10)) < std::stoul(b.first.substr(10));
    }
    return a.second > b.second;
  });
  const auto coloured = static_cast<size_t>(
      std::count_if(groups.begin(), groups.end(), [&](const auto& g) { return !grey(g.first); }));
  if (coloured > kColoured) {  // fold the smallest, and "(none)", into "other"
    uint64_t rest = 0;
    std::map<std::string, bool> folded;
    for (size_t i = kColoured; i < groups.size(); ++i) {
      rest += groups[i].second;
      folded[groups[i].first] = true;
    }
    groups.resize(kColoured);
    groups.push_back({"other", rest});
    for (auto& g : group_name) {
      if (folded.count(g)) g = "other";
    }
  }
  std::map<std::string, uint32_t> group_index;
  for (size_t i = 0; i < groups.size(); ++i) {
    group_index[groups[i].first] = static_cast<uint32_t>(i);
    d->legend.push_back({groups[i].first, GroupColor(groups[i].first, i), groups[i].second});
  }
  for (size_t i = 0; i < d->nodes.size(); ++i) d->nodes[i].group = group_index[group_name[i]];
}

// Each node's connected component in `g`, numbered by size: 0 is the
// largest (the first found among equals).
std::vector<uint32_t> ComponentsBySize(const SimpleGraph& g) {
  std::vector<uint32_t> comp(g.num_nodes, UINT32_MAX), queue;
  std::vector<uint64_t> size;
  for (uint32_t s = 0; s < g.num_nodes; ++s) {
    if (comp[s] != UINT32_MAX) continue;
    const auto c = static_cast<uint32_t>(size.size());
    comp[s] = c;
    queue.assign(1, s);
    for (size_t head = 0; head < queue.size(); ++head) {
      for (uint32_t u : g.neighbors(queue[head])) {
        if (comp[u] == UINT32_MAX) {
          comp[u] = c;
          queue.push_back(u);
        }
      }
    }
    size.push_back(queue.size());
  }
  std::vector<uint32_t> by_size(size.size());
  std::iota(by_size.begin(), by_size.end(), 0u);
  std::stable_sort(by_size.begin(), by_size.end(),
                   [&](uint32_t a, uint32_t b) { return size[a] > size[b]; });
  std::vector<uint32_t> rank(size.size());
  for (uint32_t r = 0; r < by_size.size(); ++r) rank[by_size[r]] = r;
  for (uint32_t& c : comp) c = rank[c];
  return comp;
}

// The layout fitted to the canvas (y grows downwards, as in SVG), and each
// node's circle sized by its value. The view is fitted to the main (largest)
// component alone, so that a few small components the layout pushed far out
// cannot shrink it to a blob; the other components keep their own shape,
// each at most kPiece wide, and are packed in shelves in a strip along the
// main component's right side (or below it when it is wider than a screen),
// the largest first and single nodes last. The strip takes the room a
// screen-shaped view of the main component leaves (at least an eighth of its
// depth): where many small components would make it deeper (all of Horizon
// 2020 has over a thousand), they are drawn smaller, so that the main
// component still fills the view.
void FitToCanvas(const Layout& at, Drawing* d) {
  constexpr double kPiece = 120, kGap = 10;
  const auto n = static_cast<uint32_t>(d->nodes.size());
  double max_value = 0;
  for (const auto& dn : d->nodes) max_value = std::max(max_value, dn.value);
  // Smaller circles in crowded drawings.
  const double max_r = std::clamp(kCanvas / (2 * std::sqrt(static_cast<double>(n) + 1)),
                                  kMinRadius + 1, kMaxRadius);
  for (DrawnNode& dn : d->nodes) {
    // Area grows with the value; the ego is drawn as the largest.
    const double f = dn.ego ? 1 : max_value > 0 ? std::sqrt(dn.value / max_value) : 0;
    dn.r = kMinRadius + (max_r - kMinRadius) * f;
  }
  if (n == 0) {
    d->width = 300, d->height = 200;
    return;
  }
  const std::vector<uint32_t> comp = ComponentsBySize(d->ties);
  const uint32_t count = *std::max_element(comp.begin(), comp.end()) + 1;
  struct Box {
    double lo_x = HUGE_VAL, lo_y = HUGE_VAL, hi_x = -HUGE_VAL, hi_y = -HUGE_VAL, r = 0;
    double scale = 0, x = 0, y = 0;  // its scale and top-left corner on the canvas
  };
  std::vector<Box> box(count);
  for (uint32_t i = 0; i < n; ++i) {
    Box& b = box[comp[i]];
    b.lo_x = std::min(b.lo_x, at.x[i]), b.hi_x = std::max(b.hi_x, at.x[i]);
    b.lo_y = std::min(b.lo_y, at.y[i]), b.hi_y = std::max(b.hi_y, at.y[i]);
    b.r = std::max(b.r, d->nodes[i].r);
  }
  const double main_span = std::max({box[0].hi_x - box[0].lo_x, box[0].hi_y - box[0].lo_y, 1e-9});
  const double scale = (kCanvas - 2 * kMargin) / main_span;
  const double main_w = (box[0].hi_x - box[0].lo_x) * scale;
  const double main_h = (box[0].hi_y - box[0].lo_y) * scale;
  box[0].scale = scale;
  // The strip: `along` its length, shelves stacked `across` it.
  // The strip takes the room a screen-shaped (kScreen wide to 1 tall) view
  // of the main component leaves, or an eighth of its depth if that is more.
  constexpr double kScreen = 1.4;
  const double box_w = main_w + 2 * kMargin, box_h = main_h + 2 * kMargin;
  const bool below = box_w >= kScreen * box_h;
  const double length = std::max(below ? main_w : main_h, 300.0 - 2 * kMargin);
  const double spare = below ? box_w / kScreen - box_h : box_h * kScreen - box_w;
  const double max_depth = std::max({spare, 0.125 * (below ? box_h : box_w), 30.0});
  // Packs the strip with pieces at most `piece` wide; returns its depth.
  const auto pack = [&](double piece, double gap) {
    double along = 0, across = 0, shelf = 0;
    for (uint32_t c = 1; c < count; ++c) {
      Box& b = box[c];
      const double span = std::max(b.hi_x - b.lo_x, b.hi_y - b.lo_y);
      b.scale = span > 0 ? std::min(scale, piece / span) : 0;
      const double w = (b.hi_x - b.lo_x) * b.scale + 2 * b.r;
      const double h = (b.hi_y - b.lo_y) * b.scale + 2 * b.r;
      const double len = below ? w : h, depth = below ? h : w;
      if (along > 0 && along + len > length) {
        across += shelf + gap;
        along = shelf = 0;
      }
      (below ? b.x : b.y) = along;
      (below ? b.y : b.x) = across;
      along += len + gap;
      shelf = std::max(shelf, depth);
    }
    return across + shelf;
  };
  double piece = kPiece, gap = kGap, depth = pack(piece, gap);
  // The strip's area grows with piece², so each try shrinks it by the root
  // of how much too deep it is; circles keep their size, so stop at 2 px.
  for (int tries = 0; tries < 16 && depth > max_depth && piece > 2; ++tries) {
    const double f = std::clamp(std::sqrt(max_depth / depth), 0.5, 0.95);
    piece = std::max(2.0, piece * f);
    gap = std::max(2.0, gap * f);
    depth = pack(piece, gap);
  }
  const double strip = count > 1 ? depth + kMargin : 0;
  d->width = std::max(300.0, main_w + 2 * kMargin + (below ? 0 : strip));
  d->height = std::max(200.0, main_h + 2 * kMargin + (below ? strip : 0));
  // The main component is centred in its part of the canvas.
  box[0].x = ((below ? d->width : main_w + 2 * kMargin) - main_w) / 2;
  box[0].y = ((below ? main_h + 2 * kMargin : d->height) - main_h) / 2;
  for (uint32_t c = 1; c < count; ++c) {
    (below ? box[c].y : box[c].x) += (below ? main_h : main_w) + 2 * kMargin;
    (below ? box[c].x : box[c].y) += kMargin;
  }
  for (uint32_t i = 0; i < n; ++i) {
    const Box& b = box[comp[i]];
    const double pad = comp[i] == 0 ? 0 : b.r;
    d->nodes[i].x = b.x + pad + (at.x[i] - b.lo_x) * b.scale;
    d->nodes[i].y = b.y + pad + (at.y[i] - b.lo_y) * b.scale;
  }
}

// The title, and the subtitle: what was selected and how it is drawn.
void Describe(LayoutAlgorithm algorithm, Drawing* d) {
  const DrawingOptions& o = d->options;
  d->title = !o.title.empty() ? o.title
             : !o.start.empty() ? fmt::format("Ego network of {}", o.start)
             : !o.via.empty()   ? fmt::format("{} ties through shared {}", o.keep, o.via)
                                : "Collaboration network";
  std::vector<std::string> parts;
  parts.push_back(fmt::format("{} nodes, {} ties", d->nodes.size(), d->ties.num_ties()));
  if (d->isolates_left_out > 0) {
    parts.push_back(fmt::format("{} isolated node{} not drawn", d->isolates_left_out,
                                d->isolates_left_out == 1 ? "" : "s"));
  }
  if (!o.start.empty()) parts.push_back(fmt::format("within {} of {}", o.depth, o.start));
  if (!o.kinds.empty()) parts.push_back("kinds " + Join(o.kinds));
  if (!o.types.empty()) parts.push_back("edge types " + Join(o.types));
  if (o.year) parts.push_back(fmt::format("year {}", *o.year));
  if (o.valid_on) parts.push_back("valid on " + o.valid_on->ToString());
  if (!o.via.empty()) parts.push_back(fmt::format("{} tied through shared {}", o.keep, o.via));
  parts.push_back("colour: " + o.color);
  parts.push_back("size: " + o.size);
  parts.push_back(fmt::format("layout: {} (seed {})", LayoutAlgorithmName(algorithm),
                              o.layout.seed));
  d->subtitle = Join(parts);
}

}  // namespace

Result<std::vector<double>> DrawnPageRank(const Drawing& d, const Interrupt& interrupt) {
  // Unweighted, with the engine's defaults (damping 0.85, stop when the ranks
  // change by less than 1e-10 in sum): nx.pagerank on the drawn graph.
  SV_ASSIGN_OR_RETURN(PageRankResult pr, PageRank(d.ties, PageRankOptions{}, interrupt));
  return std::move(pr.rank);
}

std::string PaletteColor(size_t i) { return kPalette[i % std::size(kPalette)]; }

std::string GroupColor(const std::string& name, size_t i) {
  static const std::map<std::string, std::string> kSectors = {
      {"academia", kPalette[0]},  {"business", kPalette[1]},           {"public", kPalette[2]},
      {"nonprofit", kPalette[3]}, {"research_institute", kPalette[4]}, {"(none)", kOther},
      {"other", kOther}};
  auto it = kSectors.find(name);
  if (it != kSectors.end()) return it->second;
  return PaletteColor(i + 5);
}

NodeGroups DrawnSectors(const Drawing& d) {
  NodeGroups g;
  std::map<std::string, int32_t> index;
  for (const auto& n : d.nodes) {
    if (!n.sector.empty()) index.emplace(n.sector, 0);
  }
  for (auto& [name, i] : index) {
    i = static_cast<int32_t>(g.names.size());
    g.names.push_back(name);
  }
  for (const auto& n : d.nodes) g.group.push_back(n.sector.empty() ? -1 : index[n.sector]);
  return g;
}

std::string Num(double x, int digits) {
  std::string s = fmt::format("{:.{}f}", x, digits);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

Result<Drawing> MakeDrawing(const GraphView& view, const DrawingOptions& o,
                            const Interrupt& interrupt,
                            const std::function<void(std::string_view)>& stage) {
  auto say = [&](const std::string& what) {
    if (stage) stage(what);
  };
  Drawing d;
  d.options = o;
  // Names the graph has never seen are errors, as in the analytics functions.
  SV_RETURN_IF_ERROR(CheckEdgeTypes(view.schema(), o.types, "types"));
  SV_RETURN_IF_ERROR(CheckKinds(view.schema(), o.kinds, "kinds"));
  if (!o.via.empty()) SV_RETURN_IF_ERROR(CheckKinds(view.schema(), {o.via}, "via"));
  CsrSpec spec{.node_kinds = o.kinds, .edge_types = o.types, .valid_on = o.valid_on,
               .year = o.year};
  say("selecting");
  SV_ASSIGN_OR_RETURN(d.csr, CsrGraph::Build(view, spec));
  SV_RETURN_IF_ERROR(interrupt.Check());

  SV_ASSIGN_OR_RETURN(Candidates candidates,
                      SelectCandidates(*d.csr, view.schema(), o, interrupt));
  SV_ASSIGN_OR_RETURN(std::vector<uint32_t> selected, SelectNodes(view, *d.csr, candidates, o));
  d.ties = Induced(candidates.ties, selected);
  if (!o.isolates) SV_RETURN_IF_ERROR(LeaveOutIsolates(view, &selected, &d));
  const std::string size = Counted(d.ties.num_nodes, "node") + " and " +
                           Counted(d.ties.num_ties(), "tie");
  say("measuring " + size);
  SV_RETURN_IF_ERROR(DescribeNodes(view, selected, interrupt, &d));
  SV_ASSIGN_OR_RETURN(std::vector<std::string> group_name, GroupNames(interrupt, &d));
  ColourGroups(std::move(group_name), &d);
  say(fmt::format("laying out {} ({})", size,
                  LayoutAlgorithmName(ResolveLayoutAlgorithm(d.ties, o.layout.algorithm))));
  SV_ASSIGN_OR_RETURN(Layout at, LayOut(d.ties, o.layout, interrupt));
  say("placing labels");
  FitToCanvas(at, &d);
  PlaceLabels(&d);
  Describe(at.algorithm, &d);
  return d;
}

}  // namespace samverkan::pictures
