// ParseImportOptions: kg_import's options object; CheckCsvDialect.
#include <nlohmann/json.hpp>

#include "date_format.h"
#include "samverkan/import.h"
#include "samverkan/options.h"
#include "text_encoding.h"

namespace samverkan {

Result<char> ParseCsvCharacter(const std::string& text, std::string_view option,
                               const options::Reader& in) {
  if (text == "\\t" || text == "tab") return '\t';
  if (text.size() != 1) return in.Refuse(option, ": expected one character, found '" + text + "'");
  return text[0];
}

Status CheckCsvDialect(const CsvDialect& d) {
  return CheckCsvDialect(d, options::Reader(options::Wording::Plain()));
}

Status CheckCsvDialect(const CsvDialect& d, const options::Reader& in) {
  for (auto [c, name] : {std::pair{d.delim, "delim"}, std::pair{d.quote, "quote"}}) {
    if (c == '\n' || c == '\r' || c == '\0') return in.Refuse(name, ": cannot be a line break or NUL");
  }
  if (d.delim == d.quote) return in.Refuse("delim", "cannot be the same character as", "quote");
  if (d.decimal_separator != '.' && d.decimal_separator != ',') {
    return in.Refuse("decimal_separator",
                     std::string(": expected '.' or ',', found '") + d.decimal_separator + "'");
  }
  if (auto e = importers::ParseTextEncoding(d.encoding); !e.ok()) {
    return in.Refuse("encoding", ": " + e.status().message());
  }
  if (!d.dateformat.empty()) {
    if (auto f = importers::DateFormat::Parse(d.dateformat); !f.ok()) {
      return in.Refuse("dateformat", ": " + f.status().message());
    }
  }
  return Status::OK();
}

Result<ImportOptions> ParseImportOptions(std::string_view text) {
  const options::Reader in(options::Wording::JsonMembers());
  ImportOptions o;
  SV_ASSIGN_OR_RETURN(nlohmann::json j, in.Object(text));
  for (const auto& [name, v] : j.items()) {
    if (name == "null" || name == "nullstr") {
      SV_ASSIGN_OR_RETURN(o.null_values, in.Strings(v, name));
    } else if (name == "delim" || name == "sep" || name == "quote" ||
               name == "decimal_separator") {
      SV_ASSIGN_OR_RETURN(std::string text, in.Text(v, name));
      SV_ASSIGN_OR_RETURN(char c, ParseCsvCharacter(text, name, in));
      (name == "quote" ? o.csv.quote : name == "decimal_separator" ? o.csv.decimal_separator
                                                                   : o.csv.delim) = c;
    } else if (name == "encoding") {
      SV_ASSIGN_OR_RETURN(o.csv.encoding, in.Text(v, name));
    } else if (name == "dateformat" || name == "date_format") {
      SV_ASSIGN_OR_RETURN(o.csv.dateformat, in.Text(v, name));
    } else if (name == "mode") {
      SV_ASSIGN_OR_RETURN(std::string mode, in.OneOf(v, name, {"auto", "bulk", "transaction"}));
      o.mode = mode == "bulk"          ? ImportMode::kBulk
               : mode == "transaction" ? ImportMode::kTransaction
                                       : ImportMode::kAuto;
    } else if (name == "max_problems") {
      SV_ASSIGN_OR_RETURN(int64_t n, in.Integer(v, name, 1, 1000000));
      o.max_problems = static_cast<size_t>(n);
    } else if (name == "default_kind") {
      SV_ASSIGN_OR_RETURN(o.default_kind, in.Text(v, name));
    } else if (name == "default_edge_type") {
      SV_ASSIGN_OR_RETURN(o.default_edge_type, in.Text(v, name));
    } else if (name == "add_sectors") {
      SV_ASSIGN_OR_RETURN(o.add_sectors, in.Names(v, name));
    } else if (name == "source") {
      SV_ASSIGN_OR_RETURN(o.source_key, in.Text(v, name));
    } else if (name == "source_title") {
      SV_ASSIGN_OR_RETURN(o.source_title, in.Text(v, name));
    } else {
      return in.Unknown(name);
    }
  }
  SV_RETURN_IF_ERROR(CheckCsvDialect(o.csv, in));
  return o;
}

}  // namespace samverkan
