// options.h: the one reader of options, for every front end.
//
// kg_import's and kg_export's options objects, kg_cypher's options, the
// arguments of the table-valued functions and graph tables, and the command
// line's flags all take the same kinds of value: JSON objects, lists of
// names, yes/no, integers in a range, one of a few words. This reader checks
// them, and says what is wrong as a Problem that keeps the option's name
// apart from the words about it. The front end's Wording then names the
// option its own way:
//
//   kg_import: options: max_problems must be an integer between 1 and 1000000
//   kg_neighbors: include_start must be 1 or 0 (true or false), not 'maybe'
//   samverkan: --depth must be an integer between 0 and 1000
//
//   options::Reader in(options::Wording::JsonMembers());
//   SV_ASSIGN_OR_RETURN(nlohmann::json j, in.Object(text));
//   for (const auto& [name, v] : j.items()) {
//     if (name != "depth") return in.Unknown(name);
//     SV_ASSIGN_OR_RETURN(depth, in.Integer(v, name, 0, 1000));
//   }
//
// Every error is InvalidArgument. It lives in importers/, the lowest library
// that every front end links, because it reads JSON (docs/architecture.md).
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "samverkan/result.h"

namespace samverkan::options {

// What is wrong with one option (or, with `option` empty, with the options
// as a whole), the option's name kept as data.
struct Problem {
  std::string option;  // "depth"; empty: the options as a whole
  std::string path;    // where in the option's JSON value: "[2]"; empty: all of it
  // The words after the option's name: "must be an integer between 0 and
  // 1000" follows it after a space, ": invalid date '2020-13-01'" directly.
  std::string what;
  // A second option that `what` ends by naming: "from_year" "must not be
  // after" "to_year".
  std::string then;
  bool unknown = false;  // `option` is not one this front end knows
  std::string known;     // with `unknown`: the ones it knows, "adjacency, memory_limit"
};

// How one front end words a Problem.
class Wording {
 public:
  using Namer = std::function<std::string(std::string_view option)>;
  // `prefix` opens every message ("options: "); `name` gives the words for
  // an option ("depth" -> "--depth"); `unknown` the words for one that is
  // not known ("unknown member 'shape'").
  Wording(std::string prefix, Namer name, Namer unknown);

  // The members of a JSON options object: "options: depth must be ...",
  // "options: unknown member 'shape'", "options: expected a JSON object".
  static Wording JsonMembers();
  // Options named as they are written, with nothing before them:
  // "depth must be ...", "unknown option 'shape'".
  static Wording Plain();

  // InvalidArgument with the problem in this front end's words.
  Status Say(const Problem& problem) const;

 private:
  std::string prefix_;
  Namer name_, unknown_;
};

// `text` without the white space around it.
std::string_view Trim(std::string_view text);

// Reads option values, and words what is wrong with them with `wording`.
// The option's name (`option`) is the one the caller matched: "colour" is
// named as "colour".
class Reader {
 public:
  explicit Reader(Wording wording) : wording_(std::move(wording)) {}

  // InvalidArgument: `option` `what`, in this reader's words.
  Status Refuse(std::string_view option, std::string what, std::string then = {}) const;
  // "unknown member 'x'", in this reader's words; with `known`, followed by
  // " (known: a, b)".
  Status Unknown(std::string_view option, std::initializer_list<std::string_view> known = {}) const;
  // "must be 'a', 'b' or 'c', not 'x'".
  Status NotOneOf(std::string_view option, std::string_view given,
                  std::initializer_list<std::string_view> choices) const;

  // --- Values of a JSON options object ---

  // The object in `text`. Refuses text that is not one JSON object, that
  // nests deeper than kMaxJsonDepth (refused before it is parsed, naming the
  // byte), or that has a key twice. `example` (a JSON object) is shown to a
  // user who gave something else.
  Result<nlohmann::json> Object(std::string_view text, std::string_view example = {}) const;
  Result<std::string> Text(const nlohmann::json& v, std::string_view option) const;
  // One of `choices`, as text.
  Result<std::string> OneOf(const nlohmann::json& v, std::string_view option,
                            std::initializer_list<std::string_view> choices) const;
  // A list of names: "a,b" or ["a", "b"] (white space around names dropped,
  // empty names left out). An element that is not a string is named by its
  // place: "kinds[1] must be a name (a string), not 2".
  Result<std::vector<std::string>> Names(const nlohmann::json& v, std::string_view option) const;
  // A list of strings kept exactly: "x" or ["x", "y"] (an element that is
  // not a string named by its place, as for Names).
  Result<std::vector<std::string>> Strings(const nlohmann::json& v,
                                           std::string_view option) const;
  Result<int64_t> Integer(const nlohmann::json& v, std::string_view option, int64_t lo,
                          int64_t hi) const;
  // A finite number >= 0.
  Result<double> Number(const nlohmann::json& v, std::string_view option) const;
  Result<bool> Boolean(const nlohmann::json& v, std::string_view option) const;

  // --- Values written as text (SQL arguments, flags) ---

  // 1/0, true/false, yes/no, on/off, in any case.
  Result<bool> YesNo(std::string_view text, std::string_view option) const;
  // A list of names, 'a, b' or '["a","b"]'.
  Result<std::vector<std::string>> NameList(std::string_view text, std::string_view option) const;

 private:
  // "<option>[<index>] must be <wanted>, not <element>".
  Status NotAString(std::string_view option, size_t index, const nlohmann::json& element,
                    std::string_view wanted) const;

  Wording wording_;
};

}  // namespace samverkan::options
