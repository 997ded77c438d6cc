// samverkan: import, export, stats and check from the command line.
//
//   samverkan import msi.kg data/sample/*.json
//   samverkan import big.kg nodes.csv edges.csv          # bulk into an empty graph
//   samverkan export msi.kg msi.graphml
//   samverkan stats msi.kg
//   samverkan check msi.kg
//
// Exit codes: commands.h (and docs/cli.md).
#include <CLI/CLI.hpp>

#include "commands.h"
#include "samverkan/version.h"

int main(int argc, char** argv) {
  using namespace samverkan::cli;
  CLI::App app{"samverkan: import, export and inspect Samverkan knowledge graphs"};
  app.set_version_flag("--version", std::string(samverkan::kVersion));
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 ok; 1 the input has problems (nothing was imported); 2 bad command line;\n"
      "3 the graph cannot be opened (missing, locked by another process, not a graph);\n"
      "4 a file cannot be read or written; 5 check found integrity problems; 6 other errors.");

  ImportArgs imp;
  auto* import = app.add_subcommand("import", "import files into a graph (created if missing)");
  import->add_option("graph", imp.graph, "graph directory")->required();
  import->add_option("files", imp.files,
                     "files to import, as one atomic unit (a CSV directory means its nodes.csv "
                     "and edges.csv)")
      ->required();
  import->add_option("-f,--format", imp.format, "case, csv, jsonl, graphml or auto (from the name)")
      ->capture_default_str();
  import->add_flag("--bulk", imp.bulk, "use the bulk loader (the graph must be empty)");
  import->add_flag("--no-bulk", imp.no_bulk, "always use a transaction");
  import->add_option("--source", imp.source,
                     "cite a source node with this key from every node and edge (CSV, JSONL, "
                     "GraphML)");
  import->add_option("--source-title", imp.source_title, "name of the --source node");
  import->add_option("--add-sector", imp.add_sectors,
                     "add a sector to the graph's vocabulary (repeat for more)")
      ->allow_extra_args(false);  // one name each, so files after it stay files
  import->add_option("--max-errors", imp.max_errors, "stop after this many problems")
      ->capture_default_str();
  import->add_option("--default-kind", imp.default_kind, "kind of nodes whose input names none")
      ->capture_default_str();
  import->add_flag("-q,--quiet", imp.quiet, "no progress bar and no summary");
  import->add_flag("--json", imp.json, "print the summary as JSON");

  ExportArgs exp;
  auto* exportc = app.add_subcommand("export", "export a graph to a file");
  exportc->add_option("graph", exp.graph, "graph directory")->required();
  exportc->add_option("output", exp.output, "output file (a directory for csv)")->required();
  exportc->add_option("-f,--format", exp.format,
                      "graphml, gexf, csv, jsonl or dot (default: from the output's extension)");
  exportc->add_flag("--json", exp.json, "print the summary as JSON");

  std::string stats_graph;
  bool stats_json = false;
  auto* stats = app.add_subcommand("stats", "counts of nodes and edges by kind, sector and type");
  stats->add_option("graph", stats_graph, "graph directory")->required();
  stats->add_flag("--json", stats_json, "print JSON");

  std::string check_graph;
  auto* check = app.add_subcommand("check", "verify the graph's integrity");
  check->add_option("graph", check_graph, "graph directory")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  try {
    if (*import) return RunImport(imp);
    if (*exportc) return RunExport(exp);
    if (*stats) return RunStats(stats_graph, stats_json);
    if (*check) return RunCheck(check_graph);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "samverkan: internal error: %s\n", e.what());
    return kExitOther;
  }
  return kExitUsage;
}
