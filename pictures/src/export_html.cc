// The interactive HTML drawing: one file with the graph as JSON, graphology
// and sigma.js (vendored, pictures/assets/vendor/) and our viewer. Errors
// on the page are collected into #errors by a handler installed before any
// other script, so that a test (or a user) can see them without a console.
#include <climits>

#include <nlohmann/json.hpp>

#include "assets.h"
#include "drawing_model.h"
#include "export_common.h"

namespace samverkan::pictures {
using exporters::XmlEscape;
namespace {

// JSON inside <script>: "</" must not appear (it could close the element).
std::string ScriptSafe(std::string json) {
  std::string out;
  out.reserve(json.size());
  for (size_t i = 0; i < json.size(); ++i) {
    if (json[i] == '<' && i + 1 < json.size() && json[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out += json[i];
    }
  }
  return out;
}

// The years each tie is valid in, for the year slider: {"first", "last",
// "ties": per tie [from, to, from, to...]} (null for an open end), or null
// when no drawn tie has a date.
nlohmann::json YearsJson(const Drawing& d, const DrawnTieYears& years) {
  if (years.last_year < years.first_year) return nullptr;
  nlohmann::json ties = nlohmann::json::array();
  for (uint32_t v = 0; v < d.ties.num_nodes; ++v) {
    for (uint32_t u : d.ties.neighbors(v)) {
      if (u <= v) continue;
      nlohmann::json spans = nlohmann::json::array();
      for (const auto& [from, to] : years.of(v, u)) {
        spans.push_back(from == INT_MIN ? nlohmann::json(nullptr) : nlohmann::json(from));
        spans.push_back(to == INT_MAX ? nlohmann::json(nullptr) : nlohmann::json(to));
      }
      ties.push_back(std::move(spans));
    }
  }
  return {{"first", years.first_year}, {"last", years.last_year}, {"ties", std::move(ties)}};
}

}  // namespace

Status WriteHtml(const Drawing& d, const DrawnTieYears& years, std::ostream& out) {
  nlohmann::json nodes = nlohmann::json::array();
  for (const DrawnNode& n : d.nodes) {
    nodes.push_back({n.key, n.name, n.kind, n.sector, std::round(n.x * 10) / 10,
                     std::round(n.y * 10) / 10, std::round(n.r * 10) / 10, n.group, n.degree,
                     n.label_rank, n.folded, n.sources, n.ego ? 1 : 0});
  }
  std::vector<uint32_t> ties;
  ties.reserve(d.ties.targets.size());
  for (uint32_t v = 0; v < d.ties.num_nodes; ++v) {
    for (uint32_t u : d.ties.neighbors(v)) {
      if (u > v) {
        ties.push_back(v);
        ties.push_back(u);
      }
    }
  }
  nlohmann::json legend = nlohmann::json::array();
  for (const auto& g : d.legend) legend.push_back({{"name", g.name}, {"color", g.color}, {"nodes", g.nodes}});
  nlohmann::json data = {{"nodes", std::move(nodes)}, {"ties", std::move(ties)},
                         {"legend", std::move(legend)}, {"years", YearsJson(d, years)}};

  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<meta name=\"generator\" content=\"samverkan\">\n"
      << "<title>" << XmlEscape(d.title) << "</title>\n"
      << "<script>window.samverkanErrors = [];\n"
         "function samverkanError(text) { window.samverkanErrors.push(String(text));\n"
         "  var e = document.getElementById('errors'); if (e) e.textContent = window.samverkanErrors.join('\\n'); }\n"
         "window.addEventListener('error', function (e) { samverkanError(e.message); });\n"
         "window.addEventListener('unhandledrejection', function (e) { samverkanError(e.reason); });\n"
         "(function () { var log = console.error; console.error = function () {\n"
         "  samverkanError(Array.prototype.join.call(arguments, ' ')); log.apply(console, arguments); }; })();\n"
         "</script>\n"
      << "<style>\n" << assets::kViewerCss << "</style>\n</head>\n<body>\n"
      << "<header><h1>" << XmlEscape(d.title) << "</h1><p>" << XmlEscape(d.subtitle)
      << "</p></header>\n<main>\n<div id=\"graph\"><div id=\"card\" hidden></div></div>\n"
      << "<aside>\n<h2>Search</h2>\n"
      << "<input id=\"search\" type=\"search\" placeholder=\"name (case and å/ä/ö ignored)\" "
         "autocomplete=\"off\">\n<ul id=\"results\"></ul>\n"
      << "<h2>" << XmlEscape(d.options.color) << "</h2>\n<ul id=\"legend\"></ul>\n"
      << "<h2>Years</h2>\n<div id=\"years\">\n"
      << "<label><input type=\"checkbox\" id=\"all-years\" checked> all years</label>\n"
      << "<label class=\"year\"><span>from</span> <input type=\"range\" id=\"year-from\"> "
         "<output id=\"year-from-value\"></output></label>\n"
      << "<label class=\"year\"><span>to</span> <input type=\"range\" id=\"year-to\"> "
         "<output id=\"year-to-value\"></output></label>\n"
      << "</div>\n<p id=\"shown\"></p>\n"
      << "<h2>Selection</h2>\n<p id=\"selection\"></p>\n"
      << "<p class=\"hint\">Scroll to zoom, drag to pan. Hover a node for its card; click it to "
         "highlight its neighbours, click the background to clear.</p>\n"
      << "<pre id=\"errors\" hidden></pre>\n</aside>\n</main>\n"
      << "<script id=\"graph-data\" type=\"application/json\">" << ScriptSafe(data.dump())
      << "</script>\n"
      << "<script>\n" << assets::kGraphologyJs << "\n</script>\n"
      << "<script>\n" << assets::kSigmaJs << "\n</script>\n"
      << "<script>\n" << assets::kViewerJs << "</script>\n"
      << "</body>\n</html>\n";
  return Status::OK();
}

}  // namespace samverkan::pictures
