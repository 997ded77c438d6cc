// ParseImportOptions: kg_import's options object; CheckCsvDialect.
#include <nlohmann/json.hpp>

#include "date_format.h"
#include "json_options.h"
#include "samverkan/import.h"
#include "text_encoding.h"

namespace samverkan {

Result<char> ParseCsvCharacter(const std::string& text, const std::string& option) {
  if (text == "\\t" || text == "tab") return '\t';
  if (text.size() != 1) {
    return Status::InvalidArgument(option + ": expected one character, found '" + text + "'");
  }
  return text[0];
}

Status CheckCsvDialect(const CsvDialect& d) {
  for (auto [c, name] : {std::pair{d.delim, "delim"}, std::pair{d.quote, "quote"}}) {
    if (c == '\n' || c == '\r' || c == '\0') {
      return Status::InvalidArgument(std::string(name) + ": cannot be a line break or NUL");
    }
  }
  if (d.delim == d.quote) {
    return Status::InvalidArgument("delim and quote cannot be the same character");
  }
  if (d.decimal_separator != '.' && d.decimal_separator != ',') {
    return Status::InvalidArgument(std::string("decimal_separator: expected '.' or ',', found '") +
                                   d.decimal_separator + "'");
  }
  if (auto e = importers::ParseTextEncoding(d.encoding); !e.ok()) {
    return Status::InvalidArgument("encoding: " + e.status().message());
  }
  if (!d.dateformat.empty()) {
    if (auto f = importers::DateFormat::Parse(d.dateformat); !f.ok()) {
      return Status::InvalidArgument("dateformat: " + f.status().message());
    }
  }
  return Status::OK();
}

Result<ImportOptions> ParseImportOptions(std::string_view text) {
  using options::Bad;
  ImportOptions o;
  SV_ASSIGN_OR_RETURN(nlohmann::json j, options::Object(text));
  for (const auto& [name, v] : j.items()) {
    if (name == "null" || name == "nullstr") {
      SV_ASSIGN_OR_RETURN(o.null_values, options::Strings(v, name));
    } else if (name == "delim" || name == "sep" || name == "quote" ||
               name == "decimal_separator") {
      SV_ASSIGN_OR_RETURN(std::string text, options::Text(v, name));
      auto c = ParseCsvCharacter(text, name);
      if (!c.ok()) return Bad(c.status().message());
      (name == "quote" ? o.csv.quote : name == "decimal_separator" ? o.csv.decimal_separator
                                                                   : o.csv.delim) = *c;
    } else if (name == "encoding") {
      SV_ASSIGN_OR_RETURN(o.csv.encoding, options::Text(v, name));
    } else if (name == "dateformat" || name == "date_format") {
      SV_ASSIGN_OR_RETURN(o.csv.dateformat, options::Text(v, name));
    } else if (name == "mode") {
      SV_ASSIGN_OR_RETURN(std::string mode, options::Text(v, name));
      if (mode == "auto") {
        o.mode = ImportMode::kAuto;
      } else if (mode == "bulk") {
        o.mode = ImportMode::kBulk;
      } else if (mode == "transaction") {
        o.mode = ImportMode::kTransaction;
      } else {
        return Bad("mode must be 'auto', 'bulk' or 'transaction', not '" + mode + "'");
      }
    } else if (name == "max_problems") {
      SV_ASSIGN_OR_RETURN(int64_t n, options::Integer(v, name, 1, 1000000));
      o.max_problems = static_cast<size_t>(n);
    } else if (name == "default_kind") {
      SV_ASSIGN_OR_RETURN(o.default_kind, options::Text(v, name));
    } else if (name == "default_edge_type") {
      SV_ASSIGN_OR_RETURN(o.default_edge_type, options::Text(v, name));
    } else if (name == "add_sectors") {
      SV_ASSIGN_OR_RETURN(o.add_sectors, options::Names(v, name));
    } else if (name == "source") {
      SV_ASSIGN_OR_RETURN(o.source_key, options::Text(v, name));
    } else if (name == "source_title") {
      SV_ASSIGN_OR_RETURN(o.source_title, options::Text(v, name));
    } else {
      return Bad("unknown member '" + name + "'");
    }
  }
  if (Status s = CheckCsvDialect(o.csv); !s.ok()) return Bad(s.message());
  return o;
}

}  // namespace samverkan
