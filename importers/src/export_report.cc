// The report: one HTML page a researcher can send, readable on screen and
// printed to PDF. Sections: counts by kind and sector; the sector mixing
// matrix as a heatmap with the E-I index; ties per year by sector pair; the
// most central actors; the brokers between sectors; communities and their
// sector make-up; the drawing. Every figure is computed from the drawing's
// selection (its nodes and ties), with the engine's analytics.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <unordered_map>

#include <fmt/format.h>

#include "assets.h"
#include "drawing_model.h"
#include "export_common.h"
#include "samverkan/version.h"

namespace samverkan::importers {
namespace {

// The sector of each drawn node as a group (nodes without one: none).
NodeGroups SectorGroups(const Drawing& d) {
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

std::string SectorColor(const std::string& sector, size_t i) { return GroupColor(sector, i); }

// A cell colour from white to dark blue for a share in [0, 1].
std::string HeatColor(double share) {
  const double t = std::clamp(share, 0.0, 1.0);
  auto mix = [t](int from, int to) { return static_cast<int>(std::lround(from + (to - from) * t)); };
  return fmt::format("#{:02x}{:02x}{:02x}", mix(0xff, 0x1f), mix(0xff, 0x4e), mix(0xff, 0x89));
}

std::string Section(const std::string& id, const std::string& title) {
  return "<section id=\"" + id + "\">\n<h2>" + XmlEscape(title) + "</h2>\n";
}

std::string Counts(const Drawing& d) {
  std::map<std::string, uint64_t> kinds, sectors;
  for (const auto& n : d.nodes) {
    ++kinds[n.kind];
    ++sectors[n.sector.empty() ? "(none)" : n.sector];
  }
  std::string s = Section("counts", "The network in numbers");
  s += fmt::format("<p>{} nodes and {} ties are drawn below.</p>\n<div class=\"columns\">\n",
                   d.nodes.size(), d.ties.num_ties());
  s += "<table class=\"counts\"><thead><tr><th>kind</th><th>nodes</th></tr></thead><tbody>\n";
  for (const auto& [k, c] : kinds) {
    s += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td></tr>\n", XmlEscape(k), c);
  }
  s += "</tbody></table>\n";
  s += "<table class=\"counts\"><thead><tr><th>sector</th><th>nodes</th></tr></thead><tbody>\n";
  size_t i = 0;
  for (const auto& [k, c] : sectors) {
    s += fmt::format(
        "<tr><td><span class=\"swatch\" style=\"background:{}\"></span>{}</td><td "
        "class=\"num\">{}</td></tr>\n",
        SectorColor(k, i++), XmlEscape(k), c);
  }
  s += "</tbody></table>\n</div>\n</section>\n";
  return s;
}

Result<std::string> MixingSection(const Drawing& d, const NodeGroups& groups) {
  SV_ASSIGN_OR_RETURN(Mixing m, MixingOf(d.ties, groups));
  EiIndex ei = EiIndexOf(m);
  const uint32_t k = m.num_groups;
  std::string s = Section("mixing", "Who works with whom: sector mixing");
  if (k == 0 || m.total_weight == 0) {
    return s + "<p>No ties between nodes with a sector.</p>\n</section>\n";
  }
  double max_ties = 0;
  for (double w : m.weight) max_ties = std::max(max_ties, w);
  s += "<p>Ties between the sectors of their two ends (each tie once). Darker cells hold more "
       "ties. The E-I index is (external - internal) / (external + internal): -1 when a "
       "sector's ties stay inside it, +1 when they all cross to other sectors.</p>\n";
  s += "<table class=\"heatmap\"><thead><tr><th></th>";
  for (const auto& name : groups.names) s += "<th>" + XmlEscape(name) + "</th>";
  s += "<th>E-I index</th></tr></thead><tbody>\n";
  for (uint32_t a = 0; a < k; ++a) {
    s += "<tr><th>" + XmlEscape(groups.names[a]) + "</th>";
    for (uint32_t b = 0; b < k; ++b) {
      const double w = m.weight[a * k + b];
      const double share = max_ties > 0 ? w / max_ties : 0;
      s += fmt::format("<td class=\"num\" style=\"background:{};color:{}\">{}</td>",
                       HeatColor(share), share > 0.55 ? "#fff" : "#222", Num(w, 1));
    }
    s += "<td class=\"num\">" + (std::isnan(ei.index[a]) ? std::string("—") : Num(ei.index[a], 2)) +
         "</td></tr>\n";
  }
  s += "</tbody></table>\n";
  s += fmt::format("<p>The whole network's E-I index: <strong>{}</strong> ({} ties inside a "
                   "sector, {} across sectors); assortativity by sector {}.</p>\n",
                   std::isnan(ei.index_total) ? "—" : Num(ei.index_total, 2),
                   Num(ei.internal_total, 1), Num(ei.external_total, 1),
                   std::isnan(Assortativity(m)) ? "—" : Num(Assortativity(m), 2));
  return s + "</section>\n";
}

// Ties per year by sector pair: the drawing's selection rebuilt for each
// year (edges valid in it), its ties between drawn nodes counted by the
// sectors of their ends.
Result<std::string> YearsSection(const GraphView& view, const Drawing& d,
                                 const Interrupt& interrupt) {
  std::string s = Section("years", "Ties per year by sector pair");
  // The years the edges are valid in.
  int lo = 10000, hi = 0;
  uint64_t seen = 0;
  auto edges = view.AllEdges();
  for (; edges->Valid(); edges->Next()) {
    if (++seen % 4096 == 0) SV_RETURN_IF_ERROR(interrupt.Check());
    const Validity& v = edges->edge().validity;
    if (v.from) lo = std::min(lo, v.from->Year()), hi = std::max(hi, v.from->Year());
    if (v.to) lo = std::min(lo, v.to->Year()), hi = std::max(hi, v.to->Year());
  }
  SV_RETURN_IF_ERROR(edges->status());
  if (d.options.from_year) lo = *d.options.from_year;
  if (d.options.to_year) hi = *d.options.to_year;
  if (lo > hi) {
    return s + "<p>No edge has validity dates, so ties cannot be placed in years.</p>\n</section>\n";
  }
  lo = std::max(lo, hi - 39);
  // The drawn nodes' sectors as small integers, so that a tie is counted
  // by index (sector a x sector b x year), not by name.
  std::map<std::string, int32_t> sector_index;
  for (const auto& n : d.nodes) {
    if (!n.sector.empty()) sector_index.emplace(n.sector, 0);
  }
  std::vector<std::string> sector_names;
  for (auto& [name, i] : sector_index) {
    i = static_cast<int32_t>(sector_names.size());
    sector_names.push_back(name);
  }
  std::unordered_map<NodeId, int32_t> sector_of;
  for (const auto& n : d.nodes) {
    if (!n.sector.empty()) sector_of[d.csr->node_id(n.csr)] = sector_index[n.sector];
  }
  const size_t k = sector_names.size();
  const int years = hi - lo + 1;
  const auto span = static_cast<size_t>(years);
  std::vector<double> counts(k * k * span, 0.0);  // [a][b][year], a <= b
  std::vector<int32_t> sector;                     // per node of a year's graph
  for (int y = lo; y <= hi; ++y) {
    SV_RETURN_IF_ERROR(interrupt.Check());
    CsrSpec spec{.node_kinds = d.options.kinds, .edge_types = d.options.types,
                 .valid_on = d.options.valid_on, .year = y};
    SV_ASSIGN_OR_RETURN(auto csr, CsrGraph::Build(view, spec));
    SimpleGraph g;
    if (!d.options.via.empty()) {
      SV_ASSIGN_OR_RETURN(g, Project(*csr, view.schema(), d.options.keep, d.options.via, interrupt));
    } else {
      SV_ASSIGN_OR_RETURN(g, MakeSimpleGraph(*csr, Direction::kBoth, false));
    }
    sector.assign(g.num_nodes, -1);
    for (uint32_t v = 0; v < g.num_nodes; ++v) {
      auto it = sector_of.find(csr->node_id(v));
      if (it != sector_of.end()) sector[v] = it->second;
    }
    for (uint32_t v = 0; v < g.num_nodes; ++v) {
      if (v % 4096 == 0) SV_RETURN_IF_ERROR(interrupt.Check());
      if (sector[v] < 0) continue;
      for (uint32_t u : g.neighbors(v)) {
        if (u <= v || sector[u] < 0) continue;
        const auto a = static_cast<size_t>(std::min(sector[v], sector[u]));
        const auto b = static_cast<size_t>(std::max(sector[v], sector[u]));
        counts[(a * k + b) * span + static_cast<size_t>(y - lo)] += 1;
      }
    }
  }
  std::map<std::string, std::vector<double>> pairs;  // "a – b" -> ties per year
  for (size_t a = 0; a < k; ++a) {
    for (size_t b = a; b < k; ++b) {
      const auto first = counts.begin() + static_cast<ptrdiff_t>((a * k + b) * span);
      std::vector<double> series(first, first + static_cast<ptrdiff_t>(span));
      if (std::any_of(series.begin(), series.end(), [](double c) { return c > 0; })) {
        pairs[sector_names[a] + " – " + sector_names[b]] = std::move(series);
      }
    }
  }
  if (pairs.empty()) {
    return s + "<p>No ties between nodes with a sector in these years.</p>\n</section>\n";
  }
  // The eight pairs with the most ties.
  std::vector<std::pair<std::string, std::vector<double>>> top(pairs.begin(), pairs.end());
  std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
    return std::accumulate(a.second.begin(), a.second.end(), 0.0) >
           std::accumulate(b.second.begin(), b.second.end(), 0.0);
  });
  if (top.size() > 8) top.resize(8);
  double max_y = 1;
  for (const auto& [name, series] : top) {
    max_y = std::max(max_y, *std::max_element(series.begin(), series.end()));
  }
  const double w = 640, h = 260, left = 48, bottom = 28, top_pad = 10;
  const double plot_w = w - left - 10, plot_h = h - bottom - top_pad;
  auto px = [&](int i) { return left + (years == 1 ? plot_w / 2 : plot_w * i / (years - 1)); };
  auto py = [&](double v) { return top_pad + plot_h * (1 - v / max_y); };
  s += "<p>Ties valid in each year (an edge without dates counts in every year), for the eight "
       "sector pairs with the most ties.</p>\n";
  s += fmt::format("<svg class=\"chart\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
                   "font-size=\"11\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n",
                   w, h, w, h);
  for (int t = 0; t <= 4; ++t) {
    const double v = max_y * t / 4;
    s += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#e0e0e0\"/>"
                     "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#666\">{}</text>\n",
                     left, w - 10, Num(py(v)), Num(py(v)), left - 4, Num(py(v) + 4), Num(v, 0));
  }
  const int step = std::max(1, years / 10);
  for (int i = 0; i < years; i += step) {
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#666\">{}</text>\n",
                     Num(px(i)), h - 8, lo + i);
  }
  static const char* kLines[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759",
                                 "#b07aa1", "#76b7b2", "#edc948", "#9c755f"};
  std::string legend = "<ul class=\"chart-legend\">";
  for (size_t p = 0; p < top.size(); ++p) {
    std::string points;
    for (int i = 0; i < years; ++i) {
      points += fmt::format("{},{} ", Num(px(i)), Num(py(top[p].second[static_cast<size_t>(i)])));
    }
    s += fmt::format("<polyline class=\"series\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" "
                     "points=\"{}\"><title>{}</title></polyline>\n",
                     kLines[p], points, XmlEscape(top[p].first));
    legend += fmt::format("<li><span class=\"swatch\" style=\"background:{}\"></span>{}</li>",
                          kLines[p], XmlEscape(top[p].first));
  }
  s += "</svg>\n" + legend + "</ul>\n</section>\n";
  return s;
}

Result<std::string> CentralSection(const Drawing& d, const Interrupt& interrupt) {
  SV_ASSIGN_OR_RETURN(PageRankResult pr, PageRank(*d.csr, {}, interrupt));
  std::vector<uint32_t> order(d.nodes.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return pr.rank[d.nodes[a].csr] > pr.rank[d.nodes[b].csr];
  });
  std::string s = Section("central", "The most central actors");
  s += "<p>By PageRank over the selected graph (as <code>kg_pagerank</code> computes it), with "
       "each node's ties in the drawing.</p>\n";
  s += "<table><thead><tr><th>#</th><th>name</th><th>kind</th><th>sector</th><th>ties</th>"
       "<th>PageRank</th></tr></thead><tbody>\n";
  int shown = 0;
  for (uint32_t i : order) {
    if (shown == 15) break;
    const DrawnNode& n = d.nodes[i];
    s += fmt::format("<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td "
                     "class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                     ++shown, XmlEscape(n.name), XmlEscape(n.kind), XmlEscape(n.sector),
                     n.degree, fmt::format("{:.4f}", pr.rank[n.csr]));
  }
  return s + "</tbody></table>\n</section>\n";
}

Result<std::string> BrokerSection(const Drawing& d, const NodeGroups& groups,
                                  const Interrupt& interrupt) {
  SV_ASSIGN_OR_RETURN(Brokerage b, BrokerageOf(d.ties, groups, interrupt));
  struct Row {
    uint32_t node;
    uint64_t across;
  };
  std::vector<Row> rows;
  for (uint32_t v = 0; v < d.nodes.size(); ++v) {
    const uint64_t across = b.count(v, BrokerRole::kItinerant) +
                            b.count(v, BrokerRole::kRepresentative) +
                            b.count(v, BrokerRole::kGatekeeper) + b.count(v, BrokerRole::kLiaison);
    if (across > 0) rows.push_back({v, across});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& c) { return a.across > c.across; });
  std::string s = Section("brokers", "Brokers between sectors");
  if (rows.empty()) return s + "<p>No node links two others across sectors.</p>\n</section>\n";
  s += "<p>Gould and Fernandez's brokerage roles: how often a node lies between two others that "
       "are not tied to each other, where a sector boundary is crossed (coordinator roles, all "
       "in one sector, are left out).</p>\n";
  s += "<table><thead><tr><th>name</th><th>sector</th><th>itinerant</th><th>representative</th>"
       "<th>gatekeeper</th><th>liaison</th><th>total</th></tr></thead><tbody>\n";
  for (size_t i = 0; i < rows.size() && i < 10; ++i) {
    const uint32_t v = rows[i].node;
    s += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                     "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                     "</tr>\n",
                     XmlEscape(d.nodes[v].name), XmlEscape(d.nodes[v].sector),
                     b.count(v, BrokerRole::kItinerant), b.count(v, BrokerRole::kRepresentative),
                     b.count(v, BrokerRole::kGatekeeper), b.count(v, BrokerRole::kLiaison),
                     rows[i].across);
  }
  return s + "</tbody></table>\n</section>\n";
}

Result<std::string> CommunitySection(const Drawing& d, const Interrupt& interrupt) {
  SV_ASSIGN_OR_RETURN(Communities c, Louvain(d.ties, {}, interrupt));
  std::vector<std::vector<uint32_t>> members(c.count);
  for (uint32_t v = 0; v < d.nodes.size(); ++v) members[c.community[v]].push_back(v);
  std::vector<uint32_t> order(c.count);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return members[a].size() > members[b].size();
  });
  std::string s = Section("communities", "Communities and their sectors");
  s += fmt::format("<p>Louvain communities of the drawn ties: {} communities, modularity {}. The "
                   "largest ten, each with its sector make-up and its three best-connected "
                   "members.</p>\n",
                   c.count, Num(c.modularity, 3));
  s += "<table class=\"communities\"><thead><tr><th>#</th><th>nodes</th><th>sectors</th>"
       "<th>best connected</th></tr></thead><tbody>\n";
  for (size_t r = 0; r < order.size() && r < 10; ++r) {
    auto& m = members[order[r]];
    std::map<std::string, uint64_t> sectors;
    for (uint32_t v : m) ++sectors[d.nodes[v].sector.empty() ? "(none)" : d.nodes[v].sector];
    std::string bar = "<div class=\"bar\">";
    size_t i = 0;
    for (const auto& [name, count] : sectors) {
      bar += fmt::format("<span style=\"width:{}%;background:{}\" title=\"{}: {}\"></span>",
                         Num(100.0 * count / m.size(), 2), SectorColor(name, i++),
                         XmlEscape(name), count);
    }
    bar += "</div><div class=\"bar-legend\">";
    for (const auto& [name, count] : sectors) bar += XmlEscape(name) + " " + std::to_string(count) + " ";
    bar += "</div>";
    std::stable_sort(m.begin(), m.end(), [&](uint32_t a, uint32_t b) {
      return d.nodes[a].degree > d.nodes[b].degree;
    });
    std::string best;
    for (size_t j = 0; j < m.size() && j < 3; ++j) {
      best += (j ? ", " : "") + XmlEscape(d.nodes[m[j]].name);
    }
    s += fmt::format("<tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td>"
                     "</tr>\n",
                     r + 1, m.size(), bar, best);
  }
  return s + "</tbody></table>\n</section>\n";
}

}  // namespace

Status WriteReport(const GraphView& view, const Drawing& d, const Interrupt& interrupt,
                   std::ostream& out) {
  const NodeGroups groups = SectorGroups(d);
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<meta name=\"generator\" content=\"samverkan\">\n"
      << "<title>" << XmlEscape(d.title) << " — report</title>\n<style>\n"
      << assets::kReportCss << "</style>\n</head>\n<body>\n<header>\n<h1>"
      << XmlEscape(d.title) << "</h1>\n<p class=\"subtitle\">" << XmlEscape(d.subtitle)
      << "</p>\n<nav><a href=\"#counts\">Numbers</a> · <a href=\"#mixing\">Sector mixing</a> · "
         "<a href=\"#years\">Per year</a> · <a href=\"#central\">Central actors</a> · <a "
         "href=\"#brokers\">Brokers</a> · <a href=\"#communities\">Communities</a> · <a "
         "href=\"#drawing\">Drawing</a></nav>\n</header>\n<main>\n";
  out << Counts(d);
  SV_ASSIGN_OR_RETURN(std::string mixing, MixingSection(d, groups));
  out << mixing;
  SV_ASSIGN_OR_RETURN(std::string years, YearsSection(view, d, interrupt));
  out << years;
  SV_ASSIGN_OR_RETURN(std::string central, CentralSection(d, interrupt));
  out << central;
  SV_ASSIGN_OR_RETURN(std::string brokers, BrokerSection(d, groups, interrupt));
  out << brokers;
  SV_ASSIGN_OR_RETURN(std::string communities, CommunitySection(d, interrupt));
  out << communities;
  out << Section("drawing", "The network") << "<figure>\n" << SvgText(d, false)
      << "</figure>\n</section>\n";
  out << "</main>\n<footer>Made with samverkan " << kVersion
      << " (<code>samverkan report</code> / <code>kg_export(..., 'report', ...)</code>).</footer>\n"
      << "</body>\n</html>\n";
  return Status::OK();
}

}  // namespace samverkan::importers
