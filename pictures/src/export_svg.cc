// The SVG drawing: ties as lines, nodes as circles (with a <title> tooltip),
// the chosen labels, a title and a legend. Plain SVG 1.1 with no scripts, so
// it can go into papers, slides and the report as it is.
#include <fmt/format.h>

#include "drawing_model.h"
#include "export_common.h"

namespace samverkan::pictures {
using exporters::XmlEscape;
namespace {

constexpr double kHeader = 56;   // title and subtitle above the drawing
constexpr double kLegend = 210;  // legend to its right

}  // namespace

std::string SvgText(const Drawing& d, bool standalone) {
  const double width = d.width + kLegend;
  const double height = std::max(d.height + kHeader, kHeader + 40 + 20.0 * d.legend.size());
  std::string s;
  s.reserve(200 + d.nodes.size() * 160 + d.ties.targets.size() * 40);
  if (standalone) s += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" "
      "height=\"{1}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
      "class=\"samverkan-drawing\">\n",
      Num(width), Num(height));
  s += "<title>" + XmlEscape(d.title) + "</title>\n";
  s += fmt::format("<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", Num(width),
                   Num(height));
  s += "<text x=\"16\" y=\"26\" font-size=\"18\" font-weight=\"bold\" fill=\"#222\">" +
       XmlEscape(d.title) + "</text>\n";
  s += "<text x=\"16\" y=\"46\" font-size=\"11\" fill=\"#666\">" + XmlEscape(d.subtitle) +
       "</text>\n";
  // The canvas's size is on its group, so that readers (and tests) can
  // tell the drawing from the title and legend around it.
  s += fmt::format("<g class=\"canvas\" transform=\"translate(0 {})\" data-width=\"{}\" "
                   "data-height=\"{}\">\n",
                   Num(kHeader), Num(d.width), Num(d.height));
  s += "<g class=\"ties\" stroke=\"#999999\" stroke-opacity=\"0.45\" stroke-width=\"0.7\">\n";
  for (uint32_t v = 0; v < d.ties.num_nodes; ++v) {
    for (uint32_t u : d.ties.neighbors(v)) {
      if (u <= v) continue;
      const DrawnNode &a = d.nodes[v], &b = d.nodes[u];
      s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", Num(a.x), Num(a.y),
                       Num(b.x), Num(b.y));
    }
  }
  s += "</g>\n<g class=\"nodes\" stroke=\"#ffffff\" stroke-width=\"0.8\">\n";
  for (const DrawnNode& n : d.nodes) {
    s += fmt::format(
        "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" data-key=\"{}\"{}><title>{} ({}{}{}, "
        "degree {})</title></circle>\n",
        Num(n.x), Num(n.y), Num(n.r), d.legend[n.group].color, XmlEscape(n.key),
        n.ego ? " class=\"ego\" stroke=\"#222222\" stroke-width=\"3\"" : "", XmlEscape(n.name), XmlEscape(n.kind), n.sector.empty() ? "" : ", ",
        XmlEscape(n.sector), n.degree);
  }
  s += "</g>\n<g class=\"labels\" font-size=\"12\" fill=\"#222\" text-anchor=\"middle\" "
       "paint-order=\"stroke\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\">\n";
  for (const DrawnNode& n : d.nodes) {
    if (n.label_rank == 0) continue;
    s += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", Num(n.label_x), Num(n.y + n.r + 11),
                     XmlEscape(n.label_text));
  }
  s += "</g>\n</g>\n";
  s += fmt::format("<g class=\"legend\" transform=\"translate({} {})\" font-size=\"12\" "
                   "fill=\"#222\">\n",
                   Num(d.width + 10), Num(kHeader + 10));
  s += "<text font-weight=\"bold\" y=\"0\">" + XmlEscape(d.options.color) + "</text>\n";
  for (size_t i = 0; i < d.legend.size(); ++i) {
    const double y = 20.0 * (i + 1);
    s += fmt::format(
        "<g class=\"legend-entry\"><circle cx=\"6\" cy=\"{}\" r=\"6\" fill=\"{}\"/><text x=\"18\" "
        "y=\"{}\">{} ({})</text></g>\n",
        Num(y - 4), d.legend[i].color, Num(y), XmlEscape(d.legend[i].name), d.legend[i].nodes);
  }
  s += "</g>\n</svg>\n";
  return s;
}

Status WriteSvg(const Drawing& d, std::ostream& out) {
  out << SvgText(d, true);
  return Status::OK();
}

}  // namespace samverkan::pictures
