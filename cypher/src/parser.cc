// parser.cc: see parser.h.
#include "parser.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <strings.h>
#include <unordered_map>

#include "error.h"
#include "lexer.h"
#include "samverkan/cypher.h"
#include "stack_guard.h"

namespace samverkan::cypher {
namespace {

std::string Describe(const Token& t) {
  switch (t.kind) {
    case TokenKind::kEnd: return "the end of the query";
    case TokenKind::kString: return "a string";
    case TokenKind::kInteger:
    case TokenKind::kFloat: return "'" + t.text + "'";
    case TokenKind::kParameter: return "'$" + t.text + "'";
    default: return "'" + t.text + "'";
  }
}

constexpr size_t kNone = static_cast<size_t>(-1);

[[noreturn]] void TooDeep(size_t pos) {
  SyntaxError("NestingTooDeep",
              "the query nests deeper than " + std::to_string(kMaxNesting) +
                  " levels (each parenthesis, list, map, NOT, sign and each operator of a "
                  "chain such as a + b + c is a level)",
              pos);
}

class Parser {
 public:
  Parser(std::string_view text, std::vector<Token> tokens, const Interrupt& interrupt)
      : text_(text), t_(std::move(tokens)), interrupt_(interrupt) {
    IndexBrackets();
  }

  Query ParseQuery() {
    Query q;
    if (Keyword("EXPLAIN")) {
      Advance();
      q.explain = true;
    }
    q.parts.push_back(ParseSingleQuery());
    while (Keyword("UNION")) {
      Advance();
      bool all = false;
      if (Keyword("ALL")) {
        Advance();
        all = true;
      }
      q.union_all.push_back(all);
      q.parts.push_back(ParseSingleQuery());
    }
    if (Symbol(";")) Advance();
    if (Peek().kind != TokenKind::kEnd) Unexpected("a clause");
    return q;
  }

 private:
  // --- tokens -------------------------------------------------------------
  const Token& Peek(size_t ahead = 0) const {
    size_t i = i_ + ahead;
    return i < t_.size() ? t_[i] : t_.back();
  }
  const Token& Advance() {
    // A token takes well under a microsecond: ask every so many.
    if ((++advanced_ & 4095) == 0 && interrupt_.Requested()) throw EngineError(Interrupt::Stopped());
    return t_[i_ < t_.size() - 1 ? i_++ : i_];
  }
  size_t LastEnd() const { return i_ == 0 ? 0 : t_[i_ - 1].end; }

  // Tokens by index (the last, kEnd, past the end).
  const Token& At(size_t k) const { return k < t_.size() ? t_[k] : t_.back(); }
  bool SymbolAt(size_t k, std::string_view s) const {
    const Token& t = At(k);
    return t.kind == TokenKind::kSymbol && t.text == s;
  }
  bool KeywordAt(size_t k, std::string_view w) const {
    const Token& t = At(k);
    return t.kind == TokenKind::kIdentifier && !t.escaped && t.text.size() == w.size() &&
           strncasecmp(t.text.data(), w.data(), w.size()) == 0;
  }
  bool IdentifierAt(size_t k) const { return At(k).kind == TokenKind::kIdentifier; }
  // An identifier Variable() takes.
  bool VariableAt(size_t k) const {
    return IdentifierAt(k) && (At(k).escaped || !IsReserved(At(k).text));
  }
  bool Symbol(std::string_view s, size_t ahead = 0) const { return SymbolAt(i_ + ahead, s); }
  bool Keyword(std::string_view k, size_t ahead = 0) const { return KeywordAt(i_ + ahead, k); }

  // --- nesting --------------------------------------------------------------
  // Counts the parser's own recursion (an expression within an expression,
  // NOT NOT, - -, a parenthesized pattern): it throws before the stack
  // holds more than kMaxNesting levels of it.
  class Nested {
   public:
    explicit Nested(Parser* p) : p_(p) {
      if (++p_->depth_ > kMaxNesting) TooDeep(p_->Peek().pos);
      CheckStack(p_->Peek().pos);
    }
    ~Nested() { --p_->depth_; }
    Nested(const Nested&) = delete;
    Nested& operator=(const Nested&) = delete;

   private:
    Parser* p_;
  };
  [[noreturn]] void Unexpected(const std::string& expected) const {
    SyntaxError("UnexpectedSyntax",
                "expected " + expected + ", found " + Describe(Peek()), Peek().pos);
  }
  void ExpectSymbol(std::string_view s) {
    if (!Symbol(s)) Unexpected("'" + std::string(s) + "'");
    Advance();
  }
  void ExpectKeyword(std::string_view k) {
    if (!Keyword(k)) Unexpected(std::string(k));
    Advance();
  }
  std::string Name(const std::string& what) {
    if (Peek().kind != TokenKind::kIdentifier) Unexpected(what);
    return Advance().text;
  }
  // A variable name; reserved words are refused unless escaped.
  std::string Variable() {
    if (Peek().kind != TokenKind::kIdentifier) Unexpected("a variable name");
    if (!Peek().escaped && IsReserved(Peek().text)) Unexpected("a variable name");
    return Advance().text;
  }
  static bool IsReserved(const std::string& word) {
    static const char* const kReserved[] = {
        "MATCH", "OPTIONAL", "WHERE", "RETURN", "WITH", "UNWIND", "CREATE", "MERGE", "SET",
        "DELETE", "DETACH", "REMOVE", "ORDER", "BY", "SKIP", "LIMIT", "ASC", "ASCENDING",
        "DESC", "DESCENDING", "AND", "OR", "XOR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE",
        "AS", "DISTINCT", "UNION", "CASE", "WHEN", "THEN", "ELSE", "END", "STARTS", "ENDS",
        "CONTAINS", "ON", "CALL", "YIELD"};
    for (const char* r : kReserved) {
      if (strcasecmp(word.c_str(), r) == 0) return true;
    }
    return false;
  }
  static bool IsClauseStart(const Parser& p) {
    return p.Keyword("MATCH") || p.Keyword("OPTIONAL") || p.Keyword("UNWIND") ||
           p.Keyword("WITH") || p.Keyword("RETURN") || p.Keyword("CREATE") ||
           p.Keyword("MERGE") || p.Keyword("SET") || p.Keyword("DELETE") ||
           p.Keyword("DETACH") || p.Keyword("REMOVE") || p.Keyword("CALL");
  }

  // --- clauses ------------------------------------------------------------
  SingleQuery ParseSingleQuery() {
    SingleQuery q;
    while (IsClauseStart(*this)) q.clauses.push_back(ParseClause());
    if (q.clauses.empty()) Unexpected("a clause (MATCH, RETURN, CREATE, ...)");
    return q;
  }

  Clause ParseClause() {
    size_t pos = Peek().pos;
    if (Keyword("OPTIONAL") || Keyword("MATCH")) {
      Clause c(ClauseKind::kMatch, pos);
      if (Keyword("OPTIONAL")) {
        Advance();
        c.optional = true;
      }
      ExpectKeyword("MATCH");
      c.patterns = ParsePattern();
      if (Keyword("WHERE")) {
        Advance();
        c.where = ParseExpr();
      }
      return c;
    }
    if (Keyword("UNWIND")) {
      Advance();
      Clause c(ClauseKind::kUnwind, pos);
      c.list = ParseExpr();
      ExpectKeyword("AS");
      c.var = Variable();
      return c;
    }
    if (Keyword("WITH") || Keyword("RETURN")) {
      bool is_with = Keyword("WITH");
      Advance();
      Clause c(is_with ? ClauseKind::kWith : ClauseKind::kReturn, pos);
      ParseProjection(&c);
      if (is_with && Keyword("WHERE")) {
        Advance();
        c.where = ParseExpr();
      }
      return c;
    }
    if (Keyword("CREATE")) {
      Advance();
      Clause c(ClauseKind::kCreate, pos);
      c.patterns = ParsePattern();
      return c;
    }
    if (Keyword("MERGE")) {
      Advance();
      Clause c(ClauseKind::kMerge, pos);
      c.patterns.push_back(ParsePatternPart());
      while (Keyword("ON")) {
        Advance();
        bool on_create = Keyword("CREATE");
        if (!on_create && !Keyword("MATCH")) Unexpected("CREATE or MATCH after ON");
        Advance();
        ExpectKeyword("SET");
        auto items = ParseSetItems();
        auto& into = on_create ? c.on_create : c.on_match;
        for (auto& item : items) into.push_back(std::move(item));
      }
      return c;
    }
    if (Keyword("SET")) {
      Advance();
      Clause c(ClauseKind::kSet, pos);
      c.set_items = ParseSetItems();
      return c;
    }
    if (Keyword("REMOVE")) {
      Advance();
      Clause c(ClauseKind::kRemove, pos);
      do {
        if (!c.set_items.empty()) Advance();  // the comma
        SetItem item;
        item.pos = Peek().pos;
        ExprPtr target = ParsePostfix(/*allow_labels=*/false);
        if (Symbol(":")) {
          item.kind = SetItem::kLabels;
          item.labels = ParseLabels();
          item.target = std::move(target);
        } else if (target->kind == ExprKind::kProperty) {
          item.kind = SetItem::kProperty;
          item.target = std::move(target);
        } else {
          SyntaxError("UnexpectedSyntax", "REMOVE takes a property (n.prop) or labels (n:Label)",
                      item.pos);
        }
        c.set_items.push_back(std::move(item));
      } while (Symbol(","));
      return c;
    }
    if (Keyword("DETACH") || Keyword("DELETE")) {
      Clause c(ClauseKind::kDelete, pos);
      if (Keyword("DETACH")) {
        Advance();
        c.detach = true;
      }
      ExpectKeyword("DELETE");
      c.exprs.push_back(ParseExpr());
      while (Symbol(",")) {
        Advance();
        c.exprs.push_back(ParseExpr());
      }
      return c;
    }
    if (Keyword("CALL") && Symbol("{", 1)) {
      Advance();
      Advance();
      Clause c(ClauseKind::kCallSubquery, pos);
      c.body = std::make_unique<SingleQuery>(ParseSingleQuery());
      ExpectSymbol("}");
      return c;
    }
    if (Keyword("CALL")) {
      Advance();
      Clause c(ClauseKind::kCall, pos);
      c.procedure = Name("a procedure name");
      while (Symbol(".")) {
        Advance();
        c.procedure += "." + Name("a procedure name");
      }
      if (Symbol("(")) {
        Advance();
        c.has_arg_list = true;
        if (!Symbol(")")) {
          c.exprs.push_back(ParseExpr());
          while (Symbol(",")) {
            Advance();
            c.exprs.push_back(ParseExpr());
          }
        }
        ExpectSymbol(")");
      }
      if (Keyword("YIELD")) {
        Advance();
        if (Symbol("*")) {
          Advance();
          c.yield_star = true;
        } else {
          do {
            if (!c.yields.empty()) Advance();  // the comma
            YieldItem item;
            item.pos = Peek().pos;
            item.column = Name("a column of the procedure");
            item.var = item.column;
            if (Keyword("AS")) {
              Advance();
              item.var = Variable();
            }
            c.yields.push_back(std::move(item));
          } while (Symbol(","));
        }
        if (Keyword("WHERE")) {
          Advance();
          c.where = ParseExpr();
        }
      }
      return c;
    }
    Unexpected("a clause");
  }

  void ParseProjection(Clause* c) {
    if (Keyword("DISTINCT")) {
      Advance();
      c->distinct = true;
    }
    if (Symbol("*")) {
      Advance();
      c->star = true;
      if (Symbol(",")) {
        Advance();
      } else {
        goto order;
      }
    }
    for (;;) {
      ProjectionItem item;
      size_t start = Peek().pos;
      item.expr = ParseExpr();
      if (Keyword("AS")) {
        Advance();
        item.alias = Variable();
        item.aliased = true;
      } else {
        item.alias = std::string(text_.substr(start, LastEnd() - start));
      }
      c->items.push_back(std::move(item));
      if (!Symbol(",")) break;
      Advance();
    }
  order:
    if (Keyword("ORDER")) {
      Advance();
      ExpectKeyword("BY");
      for (;;) {
        SortItem s;
        s.expr = ParseExpr();
        if (Keyword("DESC") || Keyword("DESCENDING")) {
          Advance();
          s.descending = true;
        } else if (Keyword("ASC") || Keyword("ASCENDING")) {
          Advance();
        }
        c->order.push_back(std::move(s));
        if (!Symbol(",")) break;
        Advance();
      }
    }
    if (Keyword("SKIP")) {
      Advance();
      c->skip = ParseExpr();
    }
    if (Keyword("LIMIT")) {
      Advance();
      c->limit = ParseExpr();
    }
  }

  std::vector<SetItem> ParseSetItems() {
    std::vector<SetItem> items;
    for (;;) {
      SetItem item;
      item.pos = Peek().pos;
      ExprPtr target = ParsePostfix(/*allow_labels=*/false);
      if (Symbol(":")) {
        item.kind = SetItem::kLabels;
        item.target = std::move(target);
        item.labels = ParseLabels();
      } else if (Symbol("=")) {
        Advance();
        item.kind = target->kind == ExprKind::kProperty ? SetItem::kProperty : SetItem::kReplace;
        item.target = std::move(target);
        item.value = ParseExpr();
      } else if (Symbol("+=")) {
        Advance();
        item.kind = SetItem::kMerge;
        item.target = std::move(target);
        item.value = ParseExpr();
      } else {
        Unexpected("'=', '+=' or a label");
      }
      if (item.kind != SetItem::kProperty && item.target->kind != ExprKind::kVariable) {
        SyntaxError("UnexpectedSyntax", "SET needs a variable here", item.pos);
      }
      items.push_back(std::move(item));
      if (!Symbol(",")) break;
      Advance();
    }
    return items;
  }

  // --- patterns -------------------------------------------------------------
  std::vector<PatternPart> ParsePattern() {
    std::vector<PatternPart> parts;
    parts.push_back(ParsePatternPart());
    while (Symbol(",")) {
      Advance();
      parts.push_back(ParsePatternPart());
    }
    return parts;
  }

  PatternPart ParsePatternPart() {
    PatternPart part;
    part.pos = Peek().pos;
    if (Peek().kind == TokenKind::kIdentifier && Symbol("=", 1)) {
      part.path_var = Variable();
      Advance();  // '='
    }
    if ((Keyword("shortestPath") || Keyword("allShortestPaths")) && Symbol("(", 1)) {
      part.kind = Keyword("shortestPath") ? PathKind::kShortest : PathKind::kAllShortest;
      Advance();
      ExpectSymbol("(");
      ParsePatternElement(&part);
      ExpectSymbol(")");
      return part;
    }
    ParsePatternElement(&part);
    return part;
  }

  void ParsePatternElement(PatternPart* part) {
    if (Symbol("(") && Symbol("(", 1)) {
      Nested nested(this);
      Advance();
      ParsePatternElement(part);
      ExpectSymbol(")");
      return;
    }
    part->nodes.push_back(ParseNodePattern());
    while (Symbol("-") || (Symbol("<") && Symbol("-", 1))) {
      part->rels.push_back(ParseRelPattern());
      part->nodes.push_back(ParseNodePattern());
    }
  }

  NodePattern ParseNodePattern() {
    NodePattern n;
    n.pos = Peek().pos;
    ExpectSymbol("(");
    if (Peek().kind == TokenKind::kIdentifier) n.var = Variable();
    if (Symbol(":")) n.labels = ParseLabels();
    if (Symbol("{")) {
      n.props = ParseMapLiteral();
    } else if (Peek().kind == TokenKind::kParameter) {
      n.props = ParseAtom();
    }
    ExpectSymbol(")");
    return n;
  }

  std::vector<std::string> ParseLabels() {
    std::vector<std::string> labels;
    while (Symbol(":")) {
      Advance();
      labels.push_back(Name("a label"));
    }
    return labels;
  }

  RelPattern ParseRelPattern() {
    RelPattern r;
    r.pos = Peek().pos;
    bool left = false, right = false;
    if (Symbol("<")) {
      Advance();
      left = true;
    }
    ExpectSymbol("-");
    if (Symbol("[")) {
      Advance();
      if (Peek().kind == TokenKind::kIdentifier) r.var = Variable();
      if (Symbol(":")) {
        Advance();
        r.types.push_back(Name("a relationship type"));
        while (Symbol("|")) {
          Advance();
          if (Symbol(":")) Advance();
          r.types.push_back(Name("a relationship type"));
        }
      }
      if (Symbol("..")) {
        SyntaxError("InvalidRelationshipPattern", "a length range needs a '*': [*1..3]", Peek().pos);
      }
      if (Symbol("*")) {
        Advance();
        r.var_length = true;
        if (Symbol("-")) {
          SyntaxError("InvalidRelationshipPattern", "a length range cannot be negative", Peek().pos);
        }
        if (Peek().kind == TokenKind::kInteger) r.min_hops = RangeBound();
        if (Symbol("..")) {
          Advance();
          if (Peek().kind == TokenKind::kInteger) r.max_hops = RangeBound();
        } else if (r.min_hops) {
          r.max_hops = r.min_hops;  // *2 is exactly two
        }
      }
      if (Symbol("{")) {
        r.props = ParseMapLiteral();
      } else if (Peek().kind == TokenKind::kParameter) {
        r.props = ParseAtom();
      }
      ExpectSymbol("]");
    }
    ExpectSymbol("-");
    if (Symbol(">")) {
      Advance();
      right = true;
    }
    r.dir = left == right ? Direction::kBoth : (right ? Direction::kOut : Direction::kIn);
    return r;
  }

  int64_t RangeBound() {
    const Token& t = Peek();
    Value v = IntegerLiteral(t);
    Advance();
    return v.integer();
  }

  // --- expressions ------------------------------------------------------------
  ExprPtr Make(ExprKind k, size_t pos) { return std::make_unique<Expr>(k, pos); }
  // Sets where `e` ends and its height; throws past kMaxNesting levels
  // (a left-deep chain such as a + b + c grows here, not in the recursion).
  ExprPtr Finish(ExprPtr e) {
    e->end = LastEnd();
    int below = 0;
    auto under = [&below](const ExprPtr& sub) {
      if (sub) below = std::max(below, sub->height);
    };
    for (const auto& a : e->args) under(a);
    under(e->else_expr);
    for (const auto& item : e->map_items) under(item.value);
    if (e->pattern) {
      for (const auto& n : e->pattern->nodes) under(n.props);
      for (const auto& r : e->pattern->rels) under(r.props);
    }
    e->height = below + 1;
    if (e->height > kMaxNesting) TooDeep(i_ == 0 ? 0 : t_[i_ - 1].pos);
    max_height_ = std::max(max_height_, e->height);
    return e;
  }
  // EXISTS { MATCH ... } / COUNT { MATCH ... }, after the '{': the body is a
  // query of its own, read by the analyzer with the outer variables in scope.
  // Its height is that of its deepest expression, so that the later stages'
  // bound on their recursion still holds.
  ExprPtr ParseSubqueryBody(ExprPtr e) {
    const int outer_max = max_height_;
    max_height_ = 0;
    e->subquery = std::make_unique<SingleQuery>(ParseSingleQuery());
    ExpectSymbol("}");
    const int below = max_height_;
    max_height_ = std::max(outer_max, below);
    e = Finish(std::move(e));
    e->height = std::max(e->height, below + 1);
    if (e->height > kMaxNesting) TooDeep(e->pos);
    max_height_ = std::max(max_height_, e->height);
    return e;
  }
  ExprPtr Binary(Op op, ExprPtr a, ExprPtr b) {
    auto e = Make(ExprKind::kBinary, a->pos);
    e->op = op;
    e->args.push_back(std::move(a));
    e->args.push_back(std::move(b));
    return Finish(std::move(e));
  }

 public:
  ExprPtr ParseExpr() {
    Nested nested(this);
    return ParseOr();
  }

 private:
  ExprPtr ParseOr() {
    ExprPtr e = ParseXor();
    while (Keyword("OR")) {
      Advance();
      e = Binary(Op::kOr, std::move(e), ParseXor());
    }
    return e;
  }
  ExprPtr ParseXor() {
    ExprPtr e = ParseAnd();
    while (Keyword("XOR")) {
      Advance();
      e = Binary(Op::kXor, std::move(e), ParseAnd());
    }
    return e;
  }
  ExprPtr ParseAnd() {
    ExprPtr e = ParseNot();
    while (Keyword("AND")) {
      Advance();
      e = Binary(Op::kAnd, std::move(e), ParseNot());
    }
    return e;
  }
  ExprPtr ParseNot() {
    if (Keyword("NOT")) {
      Nested nested(this);
      size_t pos = Advance().pos;
      auto e = Make(ExprKind::kUnary, pos);
      e->op = Op::kNot;
      e->args.push_back(ParseNot());
      return Finish(std::move(e));
    }
    return ParseComparison();
  }

  static std::optional<Op> ComparisonOp(const Token& t) {
    if (t.kind != TokenKind::kSymbol) return std::nullopt;
    if (t.text == "=") return Op::kEq;
    if (t.text == "<>") return Op::kNe;
    if (t.text == "<") return Op::kLt;
    if (t.text == ">") return Op::kGt;
    if (t.text == "<=") return Op::kLe;
    if (t.text == ">=") return Op::kGe;
    if (t.text == "=~") return Op::kRegex;
    return std::nullopt;
  }

  // a < b < c is (a < b) AND (b < c); b is parsed once and evaluated twice.
  ExprPtr ParseComparison() {
    ExprPtr first = ParsePredicates();
    if (Symbol("!=")) {
      SyntaxError("UnexpectedSyntax", "unknown operator '!=': use '<>'", Peek().pos);
    }
    std::vector<ExprPtr> operands;
    std::vector<Op> ops;
    operands.push_back(std::move(first));
    while (auto op = ComparisonOp(Peek())) {
      Advance();
      ops.push_back(*op);
      operands.push_back(ParsePredicates());
    }
    if (ops.empty()) return std::move(operands[0]);
    ExprPtr e;
    for (size_t i = 0; i < ops.size(); ++i) {
      ExprPtr left = i == 0 ? std::move(operands[0]) : Clone(*operands[i]);
      ExprPtr cmp = Binary(ops[i], std::move(left), i + 1 < ops.size() ? Clone(*operands[i + 1])
                                                                        : std::move(operands[i + 1]));
      e = e ? Binary(Op::kAnd, std::move(e), std::move(cmp)) : std::move(cmp);
    }
    return e;
  }

  ExprPtr ParsePredicates() {
    ExprPtr e = ParseAddSub();
    for (;;) {
      if (Keyword("STARTS") && Keyword("WITH", 1)) {
        Advance();
        Advance();
        e = Binary(Op::kStartsWith, std::move(e), ParseAddSub());
      } else if (Keyword("ENDS") && Keyword("WITH", 1)) {
        Advance();
        Advance();
        e = Binary(Op::kEndsWith, std::move(e), ParseAddSub());
      } else if (Keyword("CONTAINS")) {
        Advance();
        e = Binary(Op::kContains, std::move(e), ParseAddSub());
      } else if (Keyword("IN")) {
        Advance();
        e = Binary(Op::kIn, std::move(e), ParseAddSub());
      } else if (Keyword("IS")) {
        Advance();
        bool negated = false;
        if (Keyword("NOT")) {
          Advance();
          negated = true;
        }
        ExpectKeyword("NULL");
        auto n = Make(negated ? ExprKind::kIsNotNull : ExprKind::kIsNull, e->pos);
        n->args.push_back(std::move(e));
        e = Finish(std::move(n));
      } else {
        return e;
      }
    }
  }

  ExprPtr ParseAddSub() {
    ExprPtr e = ParseMulDiv();
    while (Symbol("+") || Symbol("-")) {
      Op op = Advance().text == "+" ? Op::kAdd : Op::kSub;
      e = Binary(op, std::move(e), ParseMulDiv());
    }
    return e;
  }
  ExprPtr ParseMulDiv() {
    ExprPtr e = ParsePow();
    while (Symbol("*") || Symbol("/") || Symbol("%")) {
      const std::string& s = Advance().text;
      Op op = s == "*" ? Op::kMul : s == "/" ? Op::kDiv : Op::kMod;
      e = Binary(op, std::move(e), ParsePow());
    }
    return e;
  }
  ExprPtr ParsePow() {
    ExprPtr e = ParseUnary();
    while (Symbol("^")) {
      Advance();
      e = Binary(Op::kPow, std::move(e), ParseUnary());
    }
    return e;
  }
  ExprPtr ParseUnary() {
    if (Symbol("-") || Symbol("+")) {
      const Token& sign = Advance();
      bool minus = sign.text == "-";
      // -9223372036854775808 is a literal, not the negation of one too large.
      if (minus && Peek().kind == TokenKind::kInteger) {
        const Token& t = Peek();
        auto e = Make(ExprKind::kLiteral, sign.pos);
        e->literal = IntegerLiteral(t, /*negative=*/true);
        Advance();
        e = Finish(std::move(e));
        return ParsePostfixOps(std::move(e), true);
      }
      Nested nested(this);
      auto e = Make(ExprKind::kUnary, sign.pos);
      e->op = minus ? Op::kNeg : Op::kPos;
      e->args.push_back(ParseUnary());
      return Finish(std::move(e));
    }
    return ParsePostfix(/*allow_labels=*/true);
  }

  ExprPtr ParsePostfix(bool allow_labels) { return ParsePostfixOps(ParseAtom(), allow_labels); }

  ExprPtr ParsePostfixOps(ExprPtr e, bool allow_labels) {
    for (;;) {
      if (Symbol(".") && Peek(1).kind == TokenKind::kIdentifier) {
        Advance();
        auto p = Make(ExprKind::kProperty, e->pos);
        p->name = Advance().text;
        p->args.push_back(std::move(e));
        e = Finish(std::move(p));
      } else if (Symbol("[")) {
        Advance();
        ExprPtr from, to;
        if (!Symbol("..")) from = ParseExpr();
        if (Symbol("..")) {
          Advance();
          if (!Symbol("]")) to = ParseExpr();
          ExpectSymbol("]");
          auto s = Make(ExprKind::kSlice, e->pos);
          s->args.push_back(std::move(e));
          s->args.push_back(std::move(from));
          s->args.push_back(std::move(to));
          e = Finish(std::move(s));
        } else {
          ExpectSymbol("]");
          auto s = Make(ExprKind::kIndex, e->pos);
          s->args.push_back(std::move(e));
          s->args.push_back(std::move(from));
          e = Finish(std::move(s));
        }
      } else if (allow_labels && Symbol(":") && Peek(1).kind == TokenKind::kIdentifier) {
        auto l = Make(ExprKind::kHasLabels, e->pos);
        l->keys = ParseLabels();
        l->args.push_back(std::move(e));
        e = Finish(std::move(l));
      } else if (Symbol("{") && e->kind == ExprKind::kVariable) {
        e = ParseMapProjection(std::move(e));
      } else {
        return e;
      }
    }
  }

  ExprPtr ParseMapProjection(ExprPtr subject) {
    auto m = Make(ExprKind::kMapProjection, subject->pos);
    m->args.push_back(std::move(subject));
    ExpectSymbol("{");
    while (!Symbol("}")) {
      if (!m->map_items.empty()) ExpectSymbol(",");
      MapItem item;
      if (Symbol(".")) {
        Advance();
        if (Symbol("*")) {
          Advance();
          item.kind = MapItem::kAllProperties;
        } else {
          item.kind = MapItem::kProperty;
          item.key = Name("a property name");
        }
      } else if (Peek().kind == TokenKind::kIdentifier && Symbol(":", 1)) {
        item.kind = MapItem::kLiteral;
        item.key = Advance().text;
        Advance();
        item.value = ParseExpr();
      } else {
        item.kind = MapItem::kVariable;
        item.key = Variable();
      }
      m->map_items.push_back(std::move(item));
    }
    Advance();
    return Finish(std::move(m));
  }

  Value IntegerLiteral(const Token& t, bool negative = false) {
    const std::string& s = t.text;
    int base = 10;
    size_t start = 0;
    if (s.size() > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
      base = s[1] == 'x' ? 16 : 8;
      start = 2;
    }
    if (start >= s.size()) SyntaxError("InvalidNumberLiteral", "invalid number '" + s + "'", t.pos);
    unsigned __int128 v = 0;
    for (size_t i = start; i < s.size(); ++i) {
      char c = s[i];
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (base == 16 && c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (base == 16 && c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        SyntaxError("InvalidNumberLiteral", "invalid number '" + s + "'", t.pos);
      }
      if (d >= base) SyntaxError("InvalidNumberLiteral", "invalid number '" + s + "'", t.pos);
      v = v * base + d;
      if (v > (static_cast<unsigned __int128>(1) << 64)) {
        SyntaxError("IntegerOverflow", "integer '" + s + "' is too large", t.pos);
      }
    }
    const unsigned __int128 limit = static_cast<unsigned __int128>(INT64_MAX) + (negative ? 1 : 0);
    if (v > limit) SyntaxError("IntegerOverflow", "integer '" + s + "' is too large", t.pos);
    if (negative) {
      return Value::Int(v == limit ? INT64_MIN : -static_cast<int64_t>(v));
    }
    return Value::Int(static_cast<int64_t>(v));
  }

  Value FloatLiteral(const Token& t) {
    for (char c : t.text) {
      if (std::isalpha(static_cast<unsigned char>(c)) && c != 'e' && c != 'E') {
        SyntaxError("InvalidNumberLiteral", "invalid number '" + t.text + "'", t.pos);
      }
    }
    errno = 0;
    char* end = nullptr;
    double d = std::strtod(t.text.c_str(), &end);
    if (end != t.text.c_str() + t.text.size()) {
      SyntaxError("InvalidNumberLiteral", "invalid number '" + t.text + "'", t.pos);
    }
    if (std::isinf(d)) {
      SyntaxError("FloatingPointOverflow", "number '" + t.text + "' is too large", t.pos);
    }
    return Value::Float(d);
  }

  ExprPtr ParseMapLiteral() {
    auto m = Make(ExprKind::kMap, Peek().pos);
    ExpectSymbol("{");
    while (!Symbol("}")) {
      if (!m->keys.empty()) ExpectSymbol(",");
      m->keys.push_back(Name("a property name"));
      ExpectSymbol(":");
      m->args.push_back(ParseExpr());
    }
    Advance();
    return Finish(std::move(m));
  }

  ExprPtr ParseAtom() {
    const Token& t = Peek();
    size_t pos = t.pos;
    switch (t.kind) {
      case TokenKind::kInteger: {
        auto e = Make(ExprKind::kLiteral, pos);
        e->literal = IntegerLiteral(t);
        Advance();
        return Finish(std::move(e));
      }
      case TokenKind::kFloat: {
        auto e = Make(ExprKind::kLiteral, pos);
        e->literal = FloatLiteral(t);
        Advance();
        return Finish(std::move(e));
      }
      case TokenKind::kString: {
        auto e = Make(ExprKind::kLiteral, pos);
        e->literal = Value::String(t.text);
        Advance();
        return Finish(std::move(e));
      }
      case TokenKind::kParameter: {
        auto e = Make(ExprKind::kParameter, pos);
        e->name = t.text;
        Advance();
        return Finish(std::move(e));
      }
      case TokenKind::kSymbol:
        if (t.text == "[") return ParseListOrComprehension();
        if (t.text == "{") return ParseMapLiteral();
        if (t.text == "(") return ParseParenthesized();
        Unexpected("an expression");
      case TokenKind::kIdentifier: return ParseIdentifierAtom();
      case TokenKind::kEnd: Unexpected("an expression");
    }
    Unexpected("an expression");
  }

  ExprPtr ParseIdentifierAtom() {
    const Token& t = Peek();
    size_t pos = t.pos;
    if (!t.escaped) {
      if (Keyword("true") || Keyword("false")) {
        auto e = Make(ExprKind::kLiteral, pos);
        e->literal = Value::Bool(Keyword("true"));
        Advance();
        return Finish(std::move(e));
      }
      if (Keyword("null")) {
        Advance();
        return Finish(Make(ExprKind::kLiteral, pos));
      }
      if (Keyword("CASE")) return ParseCase();
      if (Keyword("count") && Symbol("(", 1) && Symbol("*", 2) && Symbol(")", 3)) {
        Advance();
        Advance();
        Advance();
        Advance();
        return Finish(Make(ExprKind::kCountStar, pos));
      }
      if ((Keyword("all") || Keyword("any") || Keyword("none") || Keyword("single")) &&
          Symbol("(", 1) && Peek(2).kind == TokenKind::kIdentifier && Keyword("IN", 3)) {
        auto e = Make(ExprKind::kQuantifier, pos);
        e->quantifier = Keyword("all")    ? Quantifier::kAll
                        : Keyword("any")  ? Quantifier::kAny
                        : Keyword("none") ? Quantifier::kNone
                                          : Quantifier::kSingle;
        Advance();
        Advance();
        e->name = Variable();
        ExpectKeyword("IN");
        e->args.push_back(ParseExpr());
        if (Keyword("WHERE")) {
          Advance();
          e->args.push_back(ParseExpr());
        } else {
          SyntaxError("UnexpectedSyntax", "expected WHERE in a quantifier", Peek().pos);
        }
        ExpectSymbol(")");
        return Finish(std::move(e));
      }
      if (Keyword("reduce") && Symbol("(", 1)) {
        auto e = Make(ExprKind::kReduce, pos);
        Advance();
        Advance();
        e->keys.push_back(Variable());
        ExpectSymbol("=");
        e->args.push_back(ParseExpr());
        ExpectSymbol(",");
        e->name = Variable();
        ExpectKeyword("IN");
        e->args.push_back(ParseExpr());
        ExpectSymbol("|");
        e->args.push_back(ParseExpr());
        ExpectSymbol(")");
        return Finish(std::move(e));
      }
      if ((Keyword("EXISTS") || Keyword("COUNT")) && Symbol("{", 1)) {
        const bool exists = Keyword("EXISTS");
        auto e = Make(exists ? ExprKind::kExists : ExprKind::kCountSubquery, pos);
        Advance();
        Advance();
        if (IsClauseStart(*this)) return ParseSubqueryBody(std::move(e));
        e->pattern = std::make_unique<PatternPart>(ParsePatternPart());
        if (Keyword("WHERE")) {
          Advance();
          e->args.push_back(ParseExpr());
        }
        if (!exists) {
          ExpectSymbol("}");
          return Finish(std::move(e));
        }
        for (const char* w : {"CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE"}) {
          if (Keyword(w)) {
            SyntaxError("InvalidClauseComposition", "an EXISTS subquery only reads; " +
                        std::string(w) + " cannot be part of it", Peek().pos);
          }
        }
        // RETURN does not change whether a row exists: its items are only
        // checked (args[1...], after the WHERE, `true` when there is none).
        // An aggregation there, which would always make a row, is refused.
        if (Keyword("RETURN")) {
          const size_t at = Peek().pos;
          Advance();
          if (Keyword("DISTINCT")) Advance();
          if (e->args.empty()) {
            auto t = Make(ExprKind::kLiteral, at);
            t->literal = Value::Bool(true);
            e->args.push_back(Finish(std::move(t)));
          }
          do {
            if (e->args.size() > 1) Advance();  // the comma
            e->args.push_back(ParseExpr());
            if (Keyword("AS")) {
              Advance();
              Variable();
            }
          } while (Symbol(","));
        }
        ExpectSymbol("}");
        return Finish(std::move(e));
      }
      if ((Keyword("shortestPath") || Keyword("allShortestPaths")) && Symbol("(", 1)) {
        auto e = Make(ExprKind::kPattern, pos);
        e->pattern = std::make_unique<PatternPart>(ParsePatternPart());
        return Finish(std::move(e));
      }
    }
    // A function call: name(...) or namespace.name(...).
    size_t look = 0;
    while (Peek(look).kind == TokenKind::kIdentifier && Symbol(".", look + 1) &&
           Peek(look + 2).kind == TokenKind::kIdentifier) {
      look += 2;
    }
    if (Peek(look).kind == TokenKind::kIdentifier && Symbol("(", look + 1)) {
      std::string name;
      for (size_t k = 0; k <= look; k += 2) {
        if (!name.empty()) name += ".";
        name += Peek(k).text;
      }
      for (size_t k = 0; k < look + 2; ++k) Advance();
      auto e = Make(ExprKind::kFunction, pos);
      e->name = std::move(name);
      if (Keyword("DISTINCT")) {
        Advance();
        e->distinct = true;
      }
      while (!Symbol(")")) {
        if (!e->args.empty()) ExpectSymbol(",");
        e->args.push_back(ParseExpr());
      }
      Advance();
      return Finish(std::move(e));
    }
    auto e = Make(ExprKind::kVariable, pos);
    e->name = Variable();
    return Finish(std::move(e));
  }

  ExprPtr ParseCase() {
    auto e = Make(ExprKind::kCase, Peek().pos);
    Advance();
    if (!Keyword("WHEN")) {
      e->args.push_back(ParseExpr());
    } else {
      e->args.push_back(nullptr);  // no test expression: a generic CASE
    }
    if (!Keyword("WHEN")) Unexpected("WHEN");
    while (Keyword("WHEN")) {
      Advance();
      e->args.push_back(ParseExpr());
      ExpectKeyword("THEN");
      e->args.push_back(ParseExpr());
    }
    if (Keyword("ELSE")) {
      Advance();
      e->else_expr = ParseExpr();
    }
    ExpectKeyword("END");
    return Finish(std::move(e));
  }

  // '(' starts a parenthesized expression or a pattern used as a predicate
  // (one with a relationship): the recognizer below decides which.
  ExprPtr ParseParenthesized() {
    size_t pos = Peek().pos;
    if (LooksLikePattern()) {
      Shape shape = PatternElementAt(i_);
      if (shape.end != kNone && shape.rels > 0) {
        PatternPart part;
        part.pos = pos;
        ParsePatternElement(&part);
        auto e = Make(ExprKind::kPattern, pos);
        e->pattern = std::make_unique<PatternPart>(std::move(part));
        return Finish(std::move(e));
      }
    }
    Advance();
    ExprPtr inner = ParseExpr();
    ExpectSymbol(")");
    // Keep the parentheses' extent, so that a column is named as written.
    inner->pos = pos;
    inner->end = LastEnd();
    return inner;
  }

  // After '(': an empty node `()`, `(n)` or `(n:L ...)` followed by a relationship.
  bool LooksLikePattern() const {
    size_t k = 1;
    if (Symbol("(", k)) return true;  // ((a)-->(b))
    if (Peek(k).kind == TokenKind::kIdentifier) ++k;
    while (Symbol(":", k) && Peek(k + 1).kind == TokenKind::kIdentifier) k += 2;
    if (Symbol("{", k) || Peek(k).kind == TokenKind::kParameter) return true;
    if (!Symbol(")", k)) return false;
    ++k;
    return Symbol("-", k) || (Symbol("<", k) && Symbol("-", k + 1));
  }

  ExprPtr ParseListOrComprehension() {
    size_t pos = Peek().pos;
    // [x IN list WHERE ... | ...]
    if (Peek(1).kind == TokenKind::kIdentifier && Keyword("IN", 2)) {
      auto e = Make(ExprKind::kListComprehension, pos);
      Advance();
      e->name = Variable();
      ExpectKeyword("IN");
      e->args.push_back(ParseExpr());
      e->args.push_back(nullptr);
      e->args.push_back(nullptr);
      if (Keyword("WHERE")) {
        Advance();
        e->args[1] = ParseExpr();
      }
      if (Symbol("|")) {
        Advance();
        e->args[2] = ParseExpr();
      }
      ExpectSymbol("]");
      return Finish(std::move(e));
    }
    // [p = (a)-->(b) WHERE ... | expr] or [(a)-->(b) | expr]
    if (IsPatternComprehensionAt(i_)) {
      Advance();
      PatternPart part = ParsePatternPart();
      auto e = Make(ExprKind::kPatternComprehension, pos);
      e->pattern = std::make_unique<PatternPart>(std::move(part));
      e->args.push_back(nullptr);
      if (Keyword("WHERE")) {
        Advance();
        e->args[0] = ParseExpr();
      }
      ExpectSymbol("|");
      e->args.push_back(ParseExpr());
      ExpectSymbol("]");
      return Finish(std::move(e));
    }
    auto e = Make(ExprKind::kList, pos);
    Advance();
    while (!Symbol("]")) {
      if (!e->args.empty()) ExpectSymbol(",");
      e->args.push_back(ParseExpr());
    }
    Advance();
    return Finish(std::move(e));
  }

  // --- recognizing patterns in expressions -----------------------------------
  // Mirrors ParsePatternElement and ParsePatternPart over the tokens without
  // building anything: an expression inside a property map is skipped
  // through its brackets, and its items only checked to be `key: ...` (a map
  // projection `n {.a}` is an expression, not a pattern). Each chain is
  // scanned once (chains_), so that deciding at every '(' of `((((...` or
  // `(a)--(b)--(c)...` costs constant time after the first.

  // Where a recognized element ends (kNone: not one) and how many
  // relationships it has.
  struct Shape {
    size_t end = kNone;
    size_t rels = 0;
  };

  // Matching brackets, and runs of '(' and ')', by token index.
  void IndexBrackets() {
    const size_t n = t_.size();
    match_.assign(n, kNone);
    open_run_.assign(n + 1, 0);
    close_run_.assign(n + 1, 0);
    std::vector<size_t> open;
    for (size_t k = 0; k < n; ++k) {
      if (t_[k].kind != TokenKind::kSymbol || t_[k].text.size() != 1) continue;
      char c = t_[k].text[0];
      if (c == '(' || c == '[' || c == '{') {
        open.push_back(k);
      } else if (c == ')' || c == ']' || c == '}') {
        char want = c == ')' ? '(' : c == ']' ? '[' : '{';
        if (!open.empty() && t_[open.back()].text[0] == want) {
          match_[open.back()] = k;
          match_[k] = open.back();
          open.pop_back();
        } else {
          open.clear();  // unbalanced: nothing before is skipped over
        }
      }
    }
    for (size_t k = n; k-- > 0;) {
      open_run_[k] = SymbolAt(k, "(") ? open_run_[k + 1] + 1 : 0;
      close_run_[k] = SymbolAt(k, ")") ? close_run_[k + 1] + 1 : 0;
    }
  }

  // `{key: ..., key: ...}` at k: the index past its '}', or kNone.
  size_t SkipMapLiteral(size_t k) const {
    size_t close = match_[k];
    if (close == kNone) return kNone;
    size_t j = k + 1;
    while (j < close) {
      if (!IdentifierAt(j) || !SymbolAt(j + 1, ":")) return kNone;
      j += 2;
      size_t start = j;
      while (j < close && !SymbolAt(j, ",")) {
        size_t m = match_[j];
        j = (m != kNone && m > j) ? m + 1 : j + 1;
      }
      if (j == start) return kNone;  // no value
      if (j < close && ++j == close) return kNone;  // a trailing comma
    }
    return close + 1;
  }

  // Properties of a node or relationship pattern at k, when there are.
  size_t SkipProperties(size_t k) const {
    if (SymbolAt(k, "{")) return SkipMapLiteral(k);
    if (At(k).kind == TokenKind::kParameter) return k + 1;
    return k;
  }

  // ParseNodePattern.
  size_t SkipNodePattern(size_t k) const {
    if (!SymbolAt(k, "(")) return kNone;
    ++k;
    if (IdentifierAt(k)) {
      if (!VariableAt(k)) return kNone;
      ++k;
    }
    while (SymbolAt(k, ":")) {
      if (!IdentifierAt(k + 1)) return kNone;
      k += 2;
    }
    k = SkipProperties(k);
    if (k == kNone || !SymbolAt(k, ")")) return kNone;
    return k + 1;
  }

  // ParseRelPattern.
  size_t SkipRelPattern(size_t k) const {
    if (SymbolAt(k, "<")) ++k;
    if (!SymbolAt(k, "-")) return kNone;
    ++k;
    if (SymbolAt(k, "[")) {
      ++k;
      if (IdentifierAt(k)) {
        if (!VariableAt(k)) return kNone;
        ++k;
      }
      if (SymbolAt(k, ":")) {
        if (!IdentifierAt(k + 1)) return kNone;
        k += 2;
        while (SymbolAt(k, "|")) {
          ++k;
          if (SymbolAt(k, ":")) ++k;
          if (!IdentifierAt(k)) return kNone;
          ++k;
        }
      }
      if (SymbolAt(k, "*")) {
        ++k;
        if (At(k).kind == TokenKind::kInteger) ++k;
        if (SymbolAt(k, "..")) {
          ++k;
          if (At(k).kind == TokenKind::kInteger) ++k;
        }
      }
      k = SkipProperties(k);
      if (k == kNone || !SymbolAt(k, "]")) return kNone;
      ++k;
    }
    if (!SymbolAt(k, "-")) return kNone;
    ++k;
    if (SymbolAt(k, ">")) ++k;
    return k;
  }

  bool RelationshipFollows(size_t k) const {
    return SymbolAt(k, "-") || (SymbolAt(k, "<") && SymbolAt(k + 1, "-"));
  }

  // A node, then relationships and nodes, from k: the loop of
  // ParsePatternElement. A chain that reaches a node another chain passed
  // through ends as that one does, so every node start is remembered.
  Shape ChainAt(size_t k) {
    if (auto it = chains_.find(k); it != chains_.end()) return it->second;
    std::vector<std::pair<size_t, size_t>> nodes;  // node start, relationships before it
    Shape shape;
    size_t rels = 0;
    size_t j = k;
    for (;;) {
      if (auto it = chains_.find(j); it != chains_.end()) {
        // Known from here on.
        shape = it->second;
        if (shape.end != kNone) shape.rels += rels;
        break;
      }
      nodes.emplace_back(j, rels);
      j = SkipNodePattern(j);
      if (j == kNone) break;
      if (!RelationshipFollows(j)) {
        shape = Shape{j, rels};
        break;
      }
      j = SkipRelPattern(j);
      if (j == kNone) break;
      ++rels;
    }
    for (const auto& [start, before] : nodes) {
      chains_[start] = shape.end == kNone ? Shape{} : Shape{shape.end, shape.rels - before};
    }
    return chains_[k];
  }

  // ParsePatternElement at k: '(' '(' opens a parenthesized element.
  Shape PatternElementAt(size_t k) {
    size_t wraps = open_run_[std::min(k, open_run_.size() - 1)];
    wraps = wraps >= 2 ? wraps - 1 : 0;
    Shape chain = ChainAt(k + wraps);
    if (chain.end == kNone || close_run_[std::min(chain.end, close_run_.size() - 1)] < wraps) {
      return Shape{};
    }
    return Shape{chain.end + wraps, chain.rels};
  }

  // '[' at k opens a pattern comprehension: [p = (a)-->(b) WHERE ... | ...]
  // (ParsePatternPart, with a relationship, then WHERE or '|').
  bool IsPatternComprehensionAt(size_t k) {
    size_t j = k + 1;
    if (IdentifierAt(j) && SymbolAt(j + 1, "=")) {
      if (!VariableAt(j)) return false;
      j += 2;
    } else if (!SymbolAt(j, "(")) {
      return false;
    }
    Shape part;
    if ((KeywordAt(j, "shortestPath") || KeywordAt(j, "allShortestPaths")) &&
        SymbolAt(j + 1, "(")) {
      part = PatternElementAt(j + 2);
      if (part.end == kNone || !SymbolAt(part.end, ")")) return false;
      ++part.end;
    } else {
      part = PatternElementAt(j);
    }
    return part.end != kNone && part.rels > 0 &&
           (KeywordAt(part.end, "WHERE") || SymbolAt(part.end, "|"));
  }

  static ExprPtr Clone(const Expr& e);
  static PatternPart ClonePattern(const PatternPart& p);

  std::string_view text_;
  std::vector<Token> t_;
  const Interrupt& interrupt_;
  size_t i_ = 0;
  size_t advanced_ = 0;
  int depth_ = 0;
  int max_height_ = 0;  // the highest expression finished so far (ParseSubqueryBody)
  std::vector<size_t> match_;
  std::vector<uint32_t> open_run_, close_run_;
  std::unordered_map<size_t, Shape> chains_;
};

PatternPart Parser::ClonePattern(const PatternPart& p) {
  PatternPart c;
  c.pos = p.pos;
  c.path_var = p.path_var;
  c.kind = p.kind;
  for (const auto& n : p.nodes) {
    NodePattern m;
    m.pos = n.pos;
    m.var = n.var;
    m.labels = n.labels;
    if (n.props) m.props = Clone(*n.props);
    c.nodes.push_back(std::move(m));
  }
  for (const auto& r : p.rels) {
    RelPattern m;
    m.pos = r.pos;
    m.var = r.var;
    m.types = r.types;
    m.dir = r.dir;
    m.var_length = r.var_length;
    m.min_hops = r.min_hops;
    m.max_hops = r.max_hops;
    if (r.props) m.props = Clone(*r.props);
    c.rels.push_back(std::move(m));
  }
  return c;
}

ExprPtr Parser::Clone(const Expr& e) {
  CheckStack(e.pos);
  auto c = std::make_unique<Expr>(e.kind, e.pos);
  c->end = e.end;
  c->height = e.height;
  c->op = e.op;
  c->quantifier = e.quantifier;
  c->distinct = e.distinct;
  c->literal = e.literal;
  c->name = e.name;
  c->keys = e.keys;
  for (const auto& a : e.args) c->args.push_back(a ? Clone(*a) : nullptr);
  if (e.else_expr) c->else_expr = Clone(*e.else_expr);
  if (e.pattern) c->pattern = std::make_unique<PatternPart>(ClonePattern(*e.pattern));
  for (const auto& m : e.map_items) {
    MapItem item;
    item.kind = m.kind;
    item.key = m.key;
    if (m.value) item.value = Clone(*m.value);
    c->map_items.push_back(std::move(item));
  }
  return c;
}

}  // namespace

Query Parse(std::string_view text, const Interrupt& interrupt) {
  Parser p(text, Tokenize(text, interrupt), interrupt);
  return p.ParseQuery();
}

}  // namespace samverkan::cypher
