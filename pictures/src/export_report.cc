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

#include <fmt/format.h>

#include "assets.h"
#include "drawing_model.h"
#include "export_common.h"
#include "samverkan/version.h"

namespace samverkan::pictures {
using exporters::XmlEscape;
namespace {

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

// The report's two words for how much links nodes: "ties" are pairs of
// drawn nodes that are tied, each pair once, whatever its weight; the "tie
// weight" sums the ties' weights: in a projection (`via`), the number of
// `via` nodes each pair shares. Drawings without `via` have no weights, and
// there the two are the same, so only ties are named.
std::string TieWeightMeaning(const Drawing& d) {
  return fmt::format("the number of {} nodes the two ends share, summed over the ties",
                     XmlEscape(d.options.via));
}

double TieWeight(const SimpleGraph& g) {
  double total = 0;
  for (double w : g.weights) total += w;
  return g.directed ? total : total / 2;
}

std::string Counts(const Drawing& d) {
  std::map<std::string, uint64_t> kinds, sectors;
  for (const auto& n : d.nodes) {
    ++kinds[n.kind];
    ++sectors[n.sector.empty() ? "(none)" : n.sector];
  }
  std::string s = Section("counts", "The network in numbers");
  s += fmt::format("<p>{} nodes and {} ties are drawn below", d.nodes.size(),
                   d.ties.num_ties());
  if (d.ties.weighted()) {
    s += fmt::format("; their tie weight, {}, is {}",
                     TieWeightMeaning(d), Num(TieWeight(d.ties), 1));
  }
  s += ". A tie is a pair of nodes, counted once.";
  if (d.isolates_left_out > 0) {
    s += fmt::format(" {} selected node{} with no tie {} left out of the drawing and of "
                     "these counts (option <code>isolates</code> keeps them).",
                     d.isolates_left_out, d.isolates_left_out == 1 ? "" : "s",
                     d.isolates_left_out == 1 ? "is" : "are");
  }
  s += "</p>\n<div class=\"columns\">\n";
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

std::string EiText(double x) { return std::isnan(x) ? std::string("—") : Num(x, 2); }

// The matrix counts ties (each pair once, as the header does), so its cells
// on and above the diagonal add up to the ties between nodes with a sector;
// with weights, the same measures by tie weight follow in one sentence.
Result<std::string> MixingSection(const Drawing& d, const NodeGroups& groups) {
  SimpleGraph unweighted = d.ties;
  unweighted.weights.clear();
  SV_ASSIGN_OR_RETURN(Mixing m, MixingOf(unweighted, groups));
  EiIndex ei = EiIndexOf(m);
  const uint32_t k = m.num_groups;
  std::string s = Section("mixing", "Who works with whom: sector mixing");
  if (k == 0 || m.total_weight == 0) {
    return s + "<p>No ties between nodes with a sector.</p>\n</section>\n";
  }
  uint64_t max_ties = 0;
  for (uint64_t t : m.ties) max_ties = std::max(max_ties, t);
  s += "<p>Ties between the sectors of their two ends, each tie once: a cell on or above the "
       "diagonal counts every tie between its two sectors, and those cells add up to the ties "
       "between nodes with a sector. Darker cells hold more ties. The E-I index is (external - "
       "internal) / (external + internal) ties: -1 when a sector's ties stay inside it, +1 when "
       "they all cross to other sectors.</p>\n";
  s += "<table class=\"heatmap\"><thead><tr><th></th>";
  for (const auto& name : groups.names) s += "<th>" + XmlEscape(name) + "</th>";
  s += "<th>E-I index</th></tr></thead><tbody>\n";
  for (uint32_t a = 0; a < k; ++a) {
    s += "<tr><th>" + XmlEscape(groups.names[a]) + "</th>";
    for (uint32_t b = 0; b < k; ++b) {
      const uint64_t t = m.ties[a * k + b];
      const double share = max_ties > 0 ? static_cast<double>(t) / max_ties : 0;
      s += fmt::format("<td class=\"num\" style=\"background:{};color:{}\">{}</td>",
                       HeatColor(share), share > 0.55 ? "#fff" : "#222", t);
    }
    s += "<td class=\"num\">" + EiText(ei.index[a]) + "</td></tr>\n";
  }
  s += "</tbody></table>\n";
  s += fmt::format("<p>The whole network's E-I index: <strong>{}</strong> ({} ties inside a "
                   "sector, {} ties across sectors); assortativity by sector {}.</p>\n",
                   EiText(ei.index_total), Num(ei.internal_total, 0), Num(ei.external_total, 0),
                   EiText(Assortativity(m)));
  if (d.ties.weighted()) {
    SV_ASSIGN_OR_RETURN(Mixing w, MixingOf(d.ties, groups));
    EiIndex wei = EiIndexOf(w);
    s += fmt::format("<p>By tie weight ({}): {} inside a sector, {} across sectors; E-I "
                     "index {}, assortativity {}.</p>\n",
                     TieWeightMeaning(d), Num(wei.internal_total, 1),
                     Num(wei.external_total, 1), EiText(wei.index_total),
                     EiText(Assortativity(w)));
  }
  return s + "</section>\n";
}

// The most years the chart shows (the latest).
constexpr int kChartYears = 40;
// The pairs the chart shows (those with the most ties).
constexpr size_t kChartPairs = 8;

// Ties per year between the drawn nodes by sector pair (TiesPerYear), with
// the drawing's selection but every year's edges.
Result<YearlyTies> CountTiesPerYear(const GraphView& view, const Drawing& d,
                                    const NodeGroups& sectors, const Interrupt& interrupt) {
  std::shared_ptr<const CsrGraph> csr = d.csr;
  if (csr->spec().year) {
    // A drawing of one year: the chart still shows the others. Nodes do
    // not depend on the year, so the drawn nodes keep their indexes.
    CsrSpec every_year = csr->spec();
    every_year.year.reset();
    SV_ASSIGN_OR_RETURN(csr, CsrGraph::Build(view, every_year, interrupt));
  }
  NodeGroups by_index{std::vector<int32_t>(csr->num_nodes(), -1), sectors.names};
  for (size_t i = 0; i < d.nodes.size(); ++i) by_index.group[d.nodes[i].csr] = sectors.group[i];
  const DrawingOptions& o = d.options;
  YearlyTiesOptions options{.keep_kind = o.via.empty() ? "" : o.keep, .through_kind = o.via,
                            .first_year = o.from_year, .last_year = o.to_year,
                            .max_years = kChartYears};
  return TiesPerYear(view, *csr, by_index, options, interrupt);
}

// A round step for about `parts` ticks up to `max`: 1, 2 or 5 times a power
// of ten, never below 1 (the chart counts ties).
double TickStep(double max, int parts) {
  const double raw = std::max(1.0, max / parts);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0}) {
    if (m * power >= raw) return m * power;
  }
  return 10 * power;
}

// A line chart of ties per year: one line per series, `first` the year of
// each series' first value. The value axis ends at a round number and is
// ticked at round numbers; the year axis labels the first and the last
// year, and evenly spaced years between, each whole inside the chart.
std::string LineChart(const std::vector<std::pair<std::string, std::vector<double>>>& series,
                      int first) {
  const int years = static_cast<int>(series.front().second.size());
  double max_value = 1;
  for (const auto& [name, values] : series) {
    max_value = std::max(max_value, *std::max_element(values.begin(), values.end()));
  }
  const double tick = TickStep(max_value, 4);
  const double max_y = std::ceil(max_value / tick) * tick;
  // Room on the left for the longest value label (11px digits about 7px
  // wide), on the right for half a year label.
  const double w = 640, h = 260, bottom = 28, top_pad = 10, right = 24;
  const double left = 16 + 7.0 * static_cast<double>(Num(max_y, 0).size());
  const double plot_w = w - left - right, plot_h = h - bottom - top_pad;
  auto px = [&](int i) { return left + (years == 1 ? plot_w / 2 : plot_w * i / (years - 1)); };
  auto py = [&](double v) { return top_pad + plot_h * (1 - v / max_y); };
  std::string s = fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
      "font-size=\"11\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n",
      w, h, w, h);
  for (double v = 0; v <= max_y + tick / 2; v += tick) {
    s += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#e0e0e0\"/>"
                     "<text class=\"tick-y\" x=\"{}\" y=\"{}\" text-anchor=\"end\" "
                     "fill=\"#666\">{}</text>\n",
                     Num(left), w - right, Num(py(v)), Num(py(v)), Num(left - 4), Num(py(v) + 4),
                     Num(v, 0));
  }
  const int step = std::max(1, (years + 9) / 10);
  for (int i = 0; i < years; i += step) {
    // The last year is always labelled; a label too close before it gives way.
    if (i != years - 1 && years - 1 - i < (step + 1) / 2) continue;
    s += fmt::format("<text class=\"tick-x\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" "
                     "fill=\"#666\">{}</text>\n",
                     Num(px(i)), h - 8, first + i);
  }
  if ((years - 1) % step != 0) {
    s += fmt::format("<text class=\"tick-x\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" "
                     "fill=\"#666\">{}</text>\n",
                     Num(px(years - 1)), h - 8, first + years - 1);
  }
  std::string legend = "<ul class=\"chart-legend\">";
  for (size_t p = 0; p < series.size(); ++p) {
    std::string points;
    for (int i = 0; i < years; ++i) {
      points += fmt::format("{},{} ", Num(px(i)), Num(py(series[p].second[static_cast<size_t>(i)])));
    }
    s += fmt::format("<polyline class=\"series\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" "
                     "points=\"{}\"><title>{}</title></polyline>\n",
                     PaletteColor(p), points, XmlEscape(series[p].first));
    legend += fmt::format("<li><span class=\"swatch\" style=\"background:{}\"></span>{}</li>",
                          PaletteColor(p), XmlEscape(series[p].first));
  }
  return s + "</svg>\n" + legend + "</ul>\n";
}

Result<std::string> YearsSection(const GraphView& view, const Drawing& d,
                                 const NodeGroups& sectors, const Interrupt& interrupt) {
  std::string s = Section("years", "Ties per year by sector pair");
  SV_ASSIGN_OR_RETURN(YearlyTies t, CountTiesPerYear(view, d, sectors, interrupt));
  if (t.first_year > t.last_year) {
    return s + "<p>No edge has validity dates, so ties cannot be placed in years.</p>\n</section>\n";
  }
  const auto span = static_cast<size_t>(t.last_year - t.first_year + 1);
  std::map<std::string, std::vector<double>> pairs;  // "a – b" -> ties per year
  for (const YearlyTie& r : t.rows) {
    auto& series = pairs[sectors.names[r.a] + " – " + sectors.names[r.b]];
    series.resize(span, 0.0);
    series[static_cast<size_t>(r.year - t.first_year)] = static_cast<double>(r.ties);
  }
  if (pairs.empty()) {
    return s + "<p>No ties between nodes with a sector in these years.</p>\n</section>\n";
  }
  std::vector<std::pair<std::string, std::vector<double>>> top(pairs.begin(), pairs.end());
  std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
    return std::accumulate(a.second.begin(), a.second.end(), 0.0) >
           std::accumulate(b.second.begin(), b.second.end(), 0.0);
  });
  if (top.size() > kChartPairs) top.resize(kChartPairs);
  s += "<p>Ties valid in each year (an edge without dates counts in every year), for the eight "
       "sector pairs with the most ties.</p>\n";
  return s + LineChart(top, t.first_year) + "</section>\n";
}

Result<std::string> CentralSection(const Drawing& d, const Interrupt& interrupt) {
  SV_ASSIGN_OR_RETURN(std::vector<double> rank, DrawnPageRank(d, interrupt));
  std::vector<uint32_t> order(d.nodes.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return rank[a] > rank[b]; });
  std::string s = Section("central", "The most central actors");
  s += "<p>By PageRank over the drawn network alone: the nodes and ties drawn below, each tie "
       "once (as <code>kg_pagerank</code> would rank them in a graph holding only these), with "
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
                     n.degree, fmt::format("{:.4f}", rank[i]));
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
  const NodeGroups groups = DrawnSectors(d);
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
  SV_ASSIGN_OR_RETURN(std::string years, YearsSection(view, d, groups, interrupt));
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

}  // namespace samverkan::pictures
