// functions.cc: the function table and the scalar functions that need
// nothing but their arguments. Functions that read the graph (labels,
// type, properties, ...) are computed in eval.cc; aggregations in
// aggregate.cc.
#include "functions.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <random>
#include <strings.h>

#include <utf8proc.h>

#include "error.h"
#include "json_value.h"
#include "samverkan/types.h"
#include "temporal.h"

namespace samverkan::cypher {
namespace {

using Args = std::vector<Value>;
using T = Value::Type;

[[noreturn]] void BadArgument(const char* fn, const Value& v, size_t pos) {
  TypeError("InvalidArgumentValue", std::string(fn) + "() cannot take a " +
            std::string(TypeName(v.type())), pos);
}

// UTF-8 text as code points and back.
std::vector<int32_t> Decode(const std::string& s) {
  std::vector<int32_t> cps;
  cps.reserve(s.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) {  // not UTF-8: keep the byte as it is
      cp = *p;
      n = 1;
    }
    cps.push_back(cp);
    p += n;
    left -= n;
  }
  return cps;
}

std::string Encode(const std::vector<int32_t>& cps, size_t from = 0, size_t to = SIZE_MAX) {
  std::string out;
  to = std::min(to, cps.size());
  for (size_t i = from; i < to; ++i) {
    utf8proc_uint8_t buf[4];
    utf8proc_ssize_t n = utf8proc_encode_char(cps[i], buf);
    out.append(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
  }
  return out;
}

const std::string& Str(const char* fn, const Value& v, size_t pos) {
  if (v.type() != T::kString) BadArgument(fn, v, pos);
  return v.string();
}

int64_t Int(const char* fn, const Value& v, size_t pos) {
  if (v.type() != T::kInt) BadArgument(fn, v, pos);
  return v.integer();
}

double Num(const char* fn, const Value& v, size_t pos) {
  if (!v.is_number()) BadArgument(fn, v, pos);
  return v.number();
}

bool AnyNull(const Args& a, size_t n) {
  for (size_t i = 0; i < n && i < a.size(); ++i) {
    if (a[i].is_null()) return true;
  }
  return false;
}

Value Case(const Args& a, size_t pos, bool upper) {
  if (a[0].is_null()) return Value();
  std::vector<int32_t> cps = Decode(Str(upper ? "toUpper" : "toLower", a[0], pos));
  for (auto& cp : cps) cp = upper ? utf8proc_toupper(cp) : utf8proc_tolower(cp);
  return Value::String(Encode(cps));
}

bool IsSpace(int32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
         utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

Value Trim(const Args& a, size_t pos, bool left, bool right, const char* fn) {
  if (a[0].is_null()) return Value();
  std::vector<int32_t> cps = Decode(Str(fn, a[0], pos));
  size_t b = 0, e = cps.size();
  if (left) {
    while (b < e && IsSpace(cps[b])) ++b;
  }
  if (right) {
    while (e > b && IsSpace(cps[e - 1])) --e;
  }
  return Value::String(Encode(cps, b, e));
}

Value FnToUpper(const Args& a, size_t pos) { return Case(a, pos, true); }
Value FnToLower(const Args& a, size_t pos) { return Case(a, pos, false); }
Value FnTrim(const Args& a, size_t pos) { return Trim(a, pos, true, true, "trim"); }
Value FnLTrim(const Args& a, size_t pos) { return Trim(a, pos, true, false, "ltrim"); }
Value FnRTrim(const Args& a, size_t pos) { return Trim(a, pos, false, true, "rtrim"); }

Value FnSubstring(const Args& a, size_t pos) {
  if (a[0].is_null()) return Value();
  std::vector<int32_t> cps = Decode(Str("substring", a[0], pos));
  if (a[1].is_null() || (a.size() > 2 && a[2].is_null())) return Value();
  int64_t start = Int("substring", a[1], pos);
  if (start < 0) ArgumentError("NumberOutOfRange", "substring(): start cannot be negative", pos);
  int64_t len = INT64_MAX;
  if (a.size() > 2) {
    len = Int("substring", a[2], pos);
    if (len < 0) ArgumentError("NumberOutOfRange", "substring(): length cannot be negative", pos);
  }
  size_t b = std::min<size_t>(static_cast<size_t>(start), cps.size());
  size_t e = len == INT64_MAX ? cps.size() : std::min<size_t>(b + static_cast<size_t>(len), cps.size());
  return Value::String(Encode(cps, b, e));
}

Value FnLeft(const Args& a, size_t pos) {
  if (a[0].is_null()) return Value();
  std::vector<int32_t> cps = Decode(Str("left", a[0], pos));
  if (a[1].is_null()) ArgumentError("InvalidArgumentValue", "left(): length is null", pos);
  int64_t n = Int("left", a[1], pos);
  if (n < 0) ArgumentError("NumberOutOfRange", "left(): length cannot be negative", pos);
  return Value::String(Encode(cps, 0, static_cast<size_t>(n)));
}

Value FnRight(const Args& a, size_t pos) {
  if (a[0].is_null()) return Value();
  std::vector<int32_t> cps = Decode(Str("right", a[0], pos));
  if (a[1].is_null()) ArgumentError("InvalidArgumentValue", "right(): length is null", pos);
  int64_t n = Int("right", a[1], pos);
  if (n < 0) ArgumentError("NumberOutOfRange", "right(): length cannot be negative", pos);
  size_t k = std::min<size_t>(static_cast<size_t>(n), cps.size());
  return Value::String(Encode(cps, cps.size() - k));
}

Value FnReplace(const Args& a, size_t pos) {
  if (AnyNull(a, 3)) return Value();
  std::string s = Str("replace", a[0], pos);
  const std::string& from = Str("replace", a[1], pos);
  const std::string& to = Str("replace", a[2], pos);
  if (from.empty()) {
    // Between every character, as Java's String.replace does.
    std::vector<int32_t> cps = Decode(s);
    std::string out = to;
    for (size_t i = 0; i < cps.size(); ++i) out += Encode(cps, i, i + 1) + to;
    return Value::String(out);
  }
  std::string out;
  size_t at = 0;
  for (;;) {
    size_t hit = s.find(from, at);
    if (hit == std::string::npos) break;
    out.append(s, at, hit - at);
    out += to;
    at = hit + from.size();
  }
  out.append(s, at);
  return Value::String(out);
}

Value FnSplit(const Args& a, size_t pos) {
  if (AnyNull(a, 2)) return Value();
  const std::string& s = Str("split", a[0], pos);
  List parts;
  if (a[1].type() == T::kList) {
    // split(s, [delimiters]): any of them.
    std::vector<std::string> delims;
    for (const Value& d : a[1].list()) delims.push_back(Str("split", d, pos));
    size_t at = 0, start = 0;
    while (at < s.size()) {
      bool hit = false;
      for (const auto& d : delims) {
        if (!d.empty() && s.compare(at, d.size(), d) == 0) {
          parts.push_back(Value::String(s.substr(start, at - start)));
          at += d.size();
          start = at;
          hit = true;
          break;
        }
      }
      if (!hit) ++at;
    }
    parts.push_back(Value::String(s.substr(start)));
    return Value::MakeList(std::move(parts));
  }
  const std::string& d = Str("split", a[1], pos);
  if (d.empty()) {
    std::vector<int32_t> cps = Decode(s);
    for (size_t i = 0; i < cps.size(); ++i) parts.push_back(Value::String(Encode(cps, i, i + 1)));
    return Value::MakeList(std::move(parts));
  }
  size_t start = 0;
  for (;;) {
    size_t hit = s.find(d, start);
    if (hit == std::string::npos) break;
    parts.push_back(Value::String(s.substr(start, hit - start)));
    start = hit + d.size();
  }
  parts.push_back(Value::String(s.substr(start)));
  return Value::MakeList(std::move(parts));
}

Value FnReverse(const Args& a, size_t pos) {
  if (a[0].is_null()) return Value();
  if (a[0].type() == T::kList) {
    List l = a[0].list();
    std::reverse(l.begin(), l.end());
    return Value::MakeList(std::move(l));
  }
  std::vector<int32_t> cps = Decode(Str("reverse", a[0], pos));
  std::reverse(cps.begin(), cps.end());
  return Value::String(Encode(cps));
}

Value FnSize(const Args& a, size_t pos) {
  if (a[0].is_null()) return Value();
  if (a[0].type() == T::kList) return Value::Int(static_cast<int64_t>(a[0].list().size()));
  if (a[0].type() == T::kString) return Value::Int(static_cast<int64_t>(Decode(a[0].string()).size()));
  if (a[0].type() == T::kMap) return Value::Int(static_cast<int64_t>(a[0].map().size()));
  BadArgument("size", a[0], pos);
}

std::string ToText(const Value& v) {
  switch (v.type()) {
    case T::kInt: return std::to_string(v.integer());
    case T::kFloat: return FormatFloat(v.floating());
    case T::kBool: return v.boolean() ? "true" : "false";
    case T::kString: return v.string();
    case T::kDate: return DateText(v.date());
    case T::kDuration: return DurationText(v.duration());
    default: return "";
  }
}

Value FnToString(const Args& a, size_t pos) {
  const Value& v = a[0];
  switch (v.type()) {
    case T::kNull: return Value();
    case T::kInt:
    case T::kFloat:
    case T::kBool:
    case T::kString:
    case T::kDate:
    case T::kDuration: return Value::String(ToText(v));
    default: BadArgument("toString", v, pos);
  }
}

// A number written as text, or nullopt.
std::optional<Value> ParseNumber(const std::string& s) {
  std::string t = s;
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  size_t b = 0;
  while (b < t.size() && std::isspace(static_cast<unsigned char>(t[b]))) ++b;
  t = t.substr(b);
  if (t.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  long long i = std::strtoll(t.c_str(), &end, 10);
  if (end == t.c_str() + t.size() && errno == 0) return Value::Int(i);
  errno = 0;
  double d = std::strtod(t.c_str(), &end);
  if (end == t.c_str() + t.size() && errno == 0 && !std::isnan(d)) return Value::Float(d);
  return std::nullopt;
}

Value FnToInteger(const Args& a, size_t pos) {
  const Value& v = a[0];
  switch (v.type()) {
    case T::kNull: return Value();
    case T::kInt: return v;
    case T::kBool: return Value::Int(v.boolean() ? 1 : 0);
    case T::kFloat: {
      double d = std::trunc(v.floating());
      if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return Value();
      return Value::Int(static_cast<int64_t>(d));
    }
    case T::kString: {
      auto n = ParseNumber(v.string());
      if (!n) return Value();
      return FnToInteger({*n}, pos);
    }
    default: BadArgument("toInteger", v, pos);
  }
}

Value FnToFloat(const Args& a, size_t pos) {
  const Value& v = a[0];
  switch (v.type()) {
    case T::kNull: return Value();
    case T::kInt: return Value::Float(static_cast<double>(v.integer()));
    case T::kFloat: return v;
    case T::kString: {
      auto n = ParseNumber(v.string());
      if (!n) return Value();
      return Value::Float(n->number());
    }
    default: BadArgument("toFloat", v, pos);
  }
}

Value FnToBoolean(const Args& a, size_t pos) {
  const Value& v = a[0];
  switch (v.type()) {
    case T::kNull: return Value();
    case T::kBool: return v;
    case T::kInt: return Value::Bool(v.integer() != 0);
    case T::kString: {
      std::string s = v.string();
      while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
      size_t b = 0;
      while (b < s.size() && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
      s = s.substr(b);
      if (strcasecmp(s.c_str(), "true") == 0) return Value::Bool(true);
      if (strcasecmp(s.c_str(), "false") == 0) return Value::Bool(false);
      return Value();
    }
    default: BadArgument("toBoolean", v, pos);
  }
}

Value FnAbs(const Args& a, size_t pos) {
  if (a[0].is_null()) return Value();
  if (a[0].type() == T::kInt) {
    if (a[0].integer() == INT64_MIN) ArgumentError("NumberOutOfRange", "abs(): integer overflow", pos);
    return Value::Int(std::llabs(a[0].integer()));
  }
  return Value::Float(std::fabs(Num("abs", a[0], pos)));
}

template <double (*F)(double)>
Value Unary(const Args& a, size_t pos, const char* name) {
  if (a[0].is_null()) return Value();
  return Value::Float(F(Num(name, a[0], pos)));
}
double Round(double d) { return std::floor(d + 0.5); }
Value FnCeil(const Args& a, size_t pos) { return Unary<std::ceil>(a, pos, "ceil"); }
Value FnFloor(const Args& a, size_t pos) { return Unary<std::floor>(a, pos, "floor"); }
Value FnRound(const Args& a, size_t pos) {
  if (a[0].is_null()) return Value();
  double d = Num("round", a[0], pos);
  if (a.size() < 2) return Value::Float(Round(d));
  if (a[1].is_null()) return Value();
  double scale = std::pow(10.0, static_cast<double>(Int("round", a[1], pos)));
  return Value::Float(Round(d * scale) / scale);
}
Value FnSqrt(const Args& a, size_t pos) { return Unary<std::sqrt>(a, pos, "sqrt"); }
Value FnExp(const Args& a, size_t pos) { return Unary<std::exp>(a, pos, "exp"); }
Value FnLog(const Args& a, size_t pos) { return Unary<std::log>(a, pos, "log"); }
Value FnLog10(const Args& a, size_t pos) { return Unary<std::log10>(a, pos, "log10"); }
Value FnSin(const Args& a, size_t pos) { return Unary<std::sin>(a, pos, "sin"); }
Value FnCos(const Args& a, size_t pos) { return Unary<std::cos>(a, pos, "cos"); }
Value FnTan(const Args& a, size_t pos) { return Unary<std::tan>(a, pos, "tan"); }
Value FnAsin(const Args& a, size_t pos) { return Unary<std::asin>(a, pos, "asin"); }
Value FnAcos(const Args& a, size_t pos) { return Unary<std::acos>(a, pos, "acos"); }
Value FnAtan(const Args& a, size_t pos) { return Unary<std::atan>(a, pos, "atan"); }
Value FnAtan2(const Args& a, size_t pos) {
  if (AnyNull(a, 2)) return Value();
  return Value::Float(std::atan2(Num("atan2", a[0], pos), Num("atan2", a[1], pos)));
}
Value FnSign(const Args& a, size_t pos) {
  if (a[0].is_null()) return Value();
  double d = Num("sign", a[0], pos);
  return Value::Int(d > 0 ? 1 : (d < 0 ? -1 : 0));
}
Value FnPi(const Args&, size_t) { return Value::Float(M_PI); }
Value FnE(const Args&, size_t) { return Value::Float(M_E); }
Value FnRand(const Args&, size_t) {
  static thread_local std::mt19937_64 gen{std::random_device{}()};
  return Value::Float(std::uniform_real_distribution<double>(0.0, 1.0)(gen));
}

Value FnRange(const Args& a, size_t pos) {
  for (const Value& v : a) {
    if (v.type() != T::kInt) {
      ArgumentError("InvalidArgumentType", "range() takes integers, not " +
                    std::string(TypeName(v.type())), pos);
    }
  }
  int64_t from = a[0].integer();
  int64_t to = a[1].integer();
  int64_t step = a.size() > 2 ? a[2].integer() : 1;
  if (step == 0) ArgumentError("NumberOutOfRange", "range(): step cannot be 0", pos);
  List out;
  if ((step > 0 && to < from) || (step < 0 && to > from)) return Value::MakeList({});
  __int128 n = step > 0 ? (static_cast<__int128>(to) - from) / step + 1
                        : (static_cast<__int128>(from) - to) / -step + 1;
  if (n > 100'000'000) ArgumentError("NumberOutOfRange", "range(): too many elements", pos);
  if (n > 0) out.reserve(static_cast<size_t>(n));
  for (__int128 i = 0; i < n; ++i) out.push_back(Value::Int(static_cast<int64_t>(from + i * step)));
  return Value::MakeList(std::move(out));
}

const List& ListArg(const char* fn, const Value& v, size_t pos) {
  if (v.type() != T::kList) BadArgument(fn, v, pos);
  return v.list();
}

Value FnHead(const Args& a, size_t pos) {
  if (a[0].is_null()) return Value();
  const List& l = ListArg("head", a[0], pos);
  return l.empty() ? Value() : l.front();
}
Value FnLast(const Args& a, size_t pos) {
  if (a[0].is_null()) return Value();
  const List& l = ListArg("last", a[0], pos);
  return l.empty() ? Value() : l.back();
}
Value FnTail(const Args& a, size_t pos) {
  if (a[0].is_null()) return Value();
  const List& l = ListArg("tail", a[0], pos);
  if (l.empty()) return Value::MakeList({});
  return Value::MakeList(List(l.begin() + 1, l.end()));
}
Value FnCoalesce(const Args& a, size_t) {
  for (const Value& v : a) {
    if (!v.is_null()) return v;
  }
  return Value();
}
Value FnIsEmpty(const Args& a, size_t pos) {
  const Value& v = a[0];
  if (v.is_null()) return Value();
  if (v.type() == T::kList) return Value::Bool(v.list().empty());
  if (v.type() == T::kMap) return Value::Bool(v.map().empty());
  if (v.type() == T::kString) return Value::Bool(v.string().empty());
  BadArgument("isEmpty", v, pos);
}


const std::vector<FunctionInfo> kFunctions = {
    // Aggregations.
    {"count", 1, 1, true, nullptr},
    {"sum", 1, 1, true, nullptr},
    {"avg", 1, 1, true, nullptr},
    {"min", 1, 1, true, nullptr},
    {"max", 1, 1, true, nullptr},
    {"collect", 1, 1, true, nullptr},
    {"stDev", 1, 1, true, nullptr},
    {"stDevP", 1, 1, true, nullptr},
    {"percentileDisc", 2, 2, true, nullptr},
    {"percentileCont", 2, 2, true, nullptr},
    // Graph functions, computed in eval.cc.
    {"id", 1, 1, false, nullptr},
    {"elementId", 1, 1, false, nullptr},
    {"labels", 1, 1, false, nullptr},
    {"type", 1, 1, false, nullptr},
    {"keys", 1, 1, false, nullptr},
    {"properties", 1, 1, false, nullptr},
    {"startNode", 1, 1, false, nullptr},
    {"endNode", 1, 1, false, nullptr},
    {"nodes", 1, 1, false, nullptr},
    {"relationships", 1, 1, false, nullptr},
    {"length", 1, 1, false, nullptr},
    {"exists", 1, 1, false, nullptr},
    // Strings.
    {"toUpper", 1, 1, false, FnToUpper},
    {"toLower", 1, 1, false, FnToLower},
    {"trim", 1, 1, false, FnTrim},
    {"ltrim", 1, 1, false, FnLTrim},
    {"rtrim", 1, 1, false, FnRTrim},
    {"substring", 2, 3, false, FnSubstring},
    {"left", 2, 2, false, FnLeft},
    {"right", 2, 2, false, FnRight},
    {"replace", 3, 3, false, FnReplace},
    {"split", 2, 2, false, FnSplit},
    {"reverse", 1, 1, false, FnReverse},
    {"size", 1, 1, false, FnSize},
    {"toString", 1, 1, false, FnToString},
    // Numbers and conversions.
    {"toInteger", 1, 1, false, FnToInteger},
    {"toFloat", 1, 1, false, FnToFloat},
    {"toBoolean", 1, 1, false, FnToBoolean},
    {"abs", 1, 1, false, FnAbs},
    {"ceil", 1, 1, false, FnCeil},
    {"floor", 1, 1, false, FnFloor},
    {"round", 1, 2, false, FnRound},
    {"sign", 1, 1, false, FnSign},
    {"sqrt", 1, 1, false, FnSqrt},
    {"exp", 1, 1, false, FnExp},
    {"log", 1, 1, false, FnLog},
    {"log10", 1, 1, false, FnLog10},
    {"sin", 1, 1, false, FnSin},
    {"cos", 1, 1, false, FnCos},
    {"tan", 1, 1, false, FnTan},
    {"asin", 1, 1, false, FnAsin},
    {"acos", 1, 1, false, FnAcos},
    {"atan", 1, 1, false, FnAtan},
    {"atan2", 2, 2, false, FnAtan2},
    {"pi", 0, 0, false, FnPi},
    {"e", 0, 0, false, FnE},
    {"rand", 0, 0, false, FnRand},
    // Lists.
    {"range", 2, 3, false, FnRange},
    {"head", 1, 1, false, FnHead},
    {"last", 1, 1, false, FnLast},
    {"tail", 1, 1, false, FnTail},
    {"coalesce", 1, -1, false, FnCoalesce},
    {"isEmpty", 1, 1, false, FnIsEmpty},
    // Dates and durations (temporal.h).
    {"date", 0, 1, false, DateFunction},
    {"date.truncate", 2, 3, false, DateTruncateFunction},
    {"date.statement", 0, 1, false, DateNowFunction},
    {"date.transaction", 0, 1, false, DateNowFunction},
    {"date.realtime", 0, 1, false, DateNowFunction},
    {"duration", 1, 1, false, DurationFunction},
    {"duration.between", 2, 2, false, DurationBetweenFunction},
    {"duration.inMonths", 2, 2, false, DurationInMonthsFunction},
    {"duration.inDays", 2, 2, false, DurationInDaysFunction},
    {"duration.inSeconds", 2, 2, false, DurationInSecondsFunction},
};

}  // namespace

const FunctionInfo* FindFunction(std::string_view name) {
  for (const auto& f : kFunctions) {
    if (std::strlen(f.name) == name.size() && strncasecmp(f.name, name.data(), name.size()) == 0) {
      return &f;
    }
  }
  return nullptr;
}

const std::vector<FunctionInfo>& AllFunctions() { return kFunctions; }

}  // namespace samverkan::cypher
