// samverkan: import, export, stats and check from the command line.
//
//   samverkan import msi.kg data/sample/*.json
//   samverkan import big.kg nodes.csv edges.csv          # bulk into an empty graph
//   samverkan export msi.kg msi.graphml
//   samverkan draw msi.kg msi.html --color community
//   samverkan report msi.kg report.html
//   samverkan stats msi.kg
//   samverkan check msi.kg
//   samverkan settle msi.kg --rollback                   # after `check` says so
//
// Exit codes: commands.h (and docs/cli.md).
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <optional>
#include <string_view>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "sigint.h"
#include "samverkan/memory_reserve.h"
#include "samverkan/version.h"

namespace {

// A number flag's value, read as a decimal integer ("+3" too). CLI11 would
// read "010" as octal, "0x10" as hex, and saturate what overflows, so that
// `--seed 99999999999999999999` became another seed without a word.
std::optional<int64_t> DecimalInteger(std::string_view text) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '-') text.remove_prefix(1);
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace samverkan::cli;
  // Running out of memory is an error message and exit code 6, not an
  // abort (samverkan/memory_reserve.h).
  samverkan::InstallMemoryReserve();
  CLI::App app{"samverkan: import, export, draw and inspect Samverkan knowledge graphs"};
  app.set_version_flag("--version", std::string(samverkan::kVersion));
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 ok; 1 the input has problems (nothing was imported); 2 bad command line;\n"
      "3 the graph cannot be opened (missing, locked by another process, not a graph);\n"
      "4 a file cannot be read or written; 5 check found integrity problems or an undecided\n"
      "transaction; 6 other errors;\n"
      "130 stopped by Ctrl-C (nothing was written).");

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
  import->add_option("--null", imp.null_values,
                     "CSV: an unquoted cell with this text is a missing value, like an empty "
                     "one (repeat for more; e.g. --null NA)")
      ->allow_extra_args(false);
  import->add_option("--delim,--delimiter", imp.delim,
                     "CSV: the field separator, one character (e.g. ';'; 'tab' for a tab)")
      ->capture_default_str();
  import->add_option("--quote", imp.quote, "CSV: the quote character")->capture_default_str();
  import->add_option("--encoding", imp.encoding,
                     "CSV: utf-8 (with or without a BOM), cp1252 or latin-1; converted to UTF-8")
      ->capture_default_str();
  import->add_option("--decimal-separator", imp.decimal_separator,
                     "CSV: '.' or ',' in double/float cells and weight")
      ->capture_default_str();
  import->add_option("--dateformat,--date-format", imp.dateformat,
                     "CSV: how dates are written, e.g. '%d.%m.%Y %H:%M' (%Y %m %d %H %M %S; a "
                     "time of day is dropped); default ISO YYYY-MM-DD");
  import->add_option("--max-errors", imp.max_errors, "stop after this many problems")
      ->capture_default_str();
  import->add_option("--default-kind", imp.default_kind, "kind of nodes whose input names none")
      ->capture_default_str();
  import->add_option("--wait", imp.wait_ms,
                     "milliseconds to wait for another process writing the graph to let go "
                     "(as SQLite's busy timeout)")
      ->check(CLI::NonNegativeNumber)
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

  // draw and report share their options. Each flag becomes a member of
  // kg_export's options object only when it is given, so that
  // ParseDrawingOptions checks every value given (`--depth -1` is an error,
  // not a default).
  PictureArgs draw_args, report_args;
  draw_args.report = false;
  report_args.report = true;
  struct PictureFlags {
    std::string start, kinds, types, valid_on, via, keep, color, size, title, layout;
    std::string depth, year, labels, seed, iterations, from_year, to_year;
    std::vector<std::pair<CLI::Option*, const std::string*>> text, integers;
  };
  PictureFlags draw_flags, report_flags;
  auto add_picture_options = [](CLI::App* cmd, PictureArgs* a, PictureFlags* f) {
    cmd->add_option("graph", a->graph, "graph directory")->required();
    cmd->add_option("output", a->output, a->report ? "report file (.html)"
                                                   : "drawing file (.svg or .html)")
        ->required();
    auto text = [&](const char* flag, std::string* value, const char* help) {
      f->text.push_back({cmd->add_option(flag, *value, help), value});
    };
    auto integer = [&](const char* flag, std::string* value, const char* help) {
      f->integers.push_back({cmd->add_option(flag, *value, help)->type_name("INT"), value});
    };
    text("--start", &f->start, "draw the ego network of this node (its key)");
    integer("--depth", &f->depth, "with --start: how many ties out, 0 to 1000 (default 1)");
    text("--kinds", &f->kinds, "only nodes of these kinds (a,b)");
    text("--types", &f->types, "only edges of these types (a,b)");
    integer("--year", &f->year, "only edges valid in this year");
    text("--valid-on", &f->valid_on, "only edges valid on this date (YYYY-MM-DD)");
    text("--via", &f->via,
         "draw the projection through nodes of this kind (e.g. project): actors tied by shared "
         "projects");
    text("--keep", &f->keep, "with --via: the kind kept (default actor)");
    text("--color", &f->color, "sector (default), kind or community");
    text("--size", &f->size, "degree (default) or pagerank");
    integer("--labels", &f->labels, "label at most this many central nodes (default 25)");
    cmd->add_flag("--isolates", a->isolates,
                  "also draw nodes with no drawn tie, packed in a margin (default: left out)");
    text("--title", &f->title, "the title");
    text("--layout", &f->layout,
         "auto (default: stress up to 50000 nodes in the largest component, else "
         "forceatlas2), stress, forceatlas2 or fruchterman-reingold");
    integer("--seed", &f->seed, "the layout's seed (default 42)");
    integer("--iterations", &f->iterations, "the layout's iterations (default: by size)");
    if (a->report) {
      integer("--from-year", &f->from_year, "first year of the ties-per-year chart");
      integer("--to-year", &f->to_year, "last year of the ties-per-year chart");
    }
    cmd->add_flag("--json", a->json, "print the summary as JSON");
  };
  auto* draw = app.add_subcommand("draw", "draw a graph as SVG or interactive HTML");
  add_picture_options(draw, &draw_args, &draw_flags);
  auto* report = app.add_subcommand("report", "write an HTML report on a graph's collaboration");
  add_picture_options(report, &report_args, &report_flags);
  // The flags given, as the members of kg_export's options object: "--valid-on"
  // is "valid_on".
  auto collect = [](const PictureFlags& f, PictureArgs* a) {
    auto member = [](const CLI::Option* o) {
      std::string m = o->get_name().substr(2);
      std::replace(m.begin(), m.end(), '-', '_');
      return m;
    };
    for (const auto& [option, value] : f.text) {
      if (option->count() > 0) a->text.push_back({member(option), *value});
    }
    // A number flag that is not a decimal integer goes in as text, which the
    // option refuses with its own message ("--depth must be an integer ...").
    for (const auto& [option, value] : f.integers) {
      if (option->count() == 0) continue;
      if (auto n = DecimalInteger(*value)) {
        a->integers.push_back({member(option), *n});
      } else {
        a->text.push_back({member(option), *value});
      }
    }
  };

  std::string stats_graph;
  bool stats_json = false;
  auto* stats = app.add_subcommand("stats", "counts of nodes and edges by kind, sector and type");
  stats->add_option("graph", stats_graph, "graph directory")->required();
  stats->add_flag("--json", stats_json, "print JSON");

  std::string check_graph;
  auto* check = app.add_subcommand("check", "verify the graph's integrity");
  check->add_option("graph", check_graph, "graph directory")->required();
  std::string check_repair;
  check->add_option("--repair", check_repair,
                    "salvage what can be read of a damaged graph into a new graph at this path "
                    "(which must not exist; the graph itself is left as it is), and check that");

  SettleArgs settle_args;
  auto* settle = app.add_subcommand(
      "settle", "decide a transaction a crash left undecided, when the database that "
                "prepared it is gone (see `check`)");
  settle->add_option("graph", settle_args.graph, "graph directory")->required();
  settle->add_option("xid", settle_args.xid,
                     "the transaction, as `check` names it (default: the only one)");
  auto* settle_commit = settle->add_flag("--commit", settle_args.commit, "apply its writes");
  settle->add_flag("--rollback", settle_args.rollback, "discard its writes")
      ->excludes(settle_commit);
  settle->add_option("--wait", settle_args.wait_ms,
                     "milliseconds to wait for another process to let go of the graph")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);

  // A first word that is no subcommand nor a flag: say so, and list them
  // (CLI11 would say only "A subcommand is required").
  if (argc > 1 && argv[1][0] != '-') {
    std::string names;
    bool known = false;
    for (const CLI::App* sub : app.get_subcommands({})) {
      known |= sub->check_name(argv[1]);
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    if (!known) {
      std::fprintf(stderr, "samverkan: unknown command '%s'; commands are: %s (samverkan --help)\n",
                   argv[1], names.c_str());
      return kExitUsage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  // Ctrl-C is ours from here on, before any graph is opened: a signal that
  // came before the handler would kill the process half-way through.
  SigintInterrupt();
  try {
    if (*import) return RunImport(imp);
    if (*exportc) return RunExport(exp);
    if (*draw) {
      collect(draw_flags, &draw_args);
      return RunPicture(draw_args);
    }
    if (*report) {
      collect(report_flags, &report_args);
      return RunPicture(report_args);
    }
    if (*stats) return RunStats(stats_graph, stats_json);
    if (*check) return RunCheck(check_graph, check_repair);
    if (*settle) return RunSettle(settle_args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "samverkan: internal error: %s\n", e.what());
    return kExitOther;
  }
  return kExitUsage;
}
