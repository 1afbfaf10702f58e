#include "expr/parser.h"

#include <charconv>

#include "expr/lexer.h"
#include "lang/functions.h"

namespace kaidah::detail {
namespace {

struct SyntaxError {
  std::uint32_t offset;
  std::string message;
};

// Recursive descent with one function per precedence level, lowest first:
// if-then-else, or, and, not, comparison/in, + -, * /, unary minus, primary.
class Parser {
 public:
  Parser(std::vector<Token> tokens, int max_depth) : t_(std::move(tokens)), max_depth_(max_depth) {}

  ExprPtr parse() {
    ExprPtr e = expression();
    if (peek().kind != Tok::end) fail("unexpected " + describe(peek()) + " after a complete expression");
    return e;
  }

 private:
  const Token& peek() const { return t_[pos_]; }
  const Token& next() { return t_[pos_ < t_.size() - 1 ? pos_++ : pos_]; }
  bool accept(Tok k) {
    if (peek().kind != k) return false;
    next();
    return true;
  }
  [[noreturn]] void fail(std::string message) const {
    const Token& t = peek();
    throw SyntaxError{t.offset, t.kind == Tok::error ? t.text : std::move(message)};
  }
  void expect(Tok k, const char* what) {
    if (!accept(k)) fail(std::string("expected ") + what + ", got " + describe(peek()));
  }

  static ExprPtr node(SyntaxKind kind, std::uint32_t offset) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->offset = offset;
    return e;
  }
  static ExprPtr binary(Op op, std::uint32_t offset, ExprPtr a, ExprPtr b) {
    ExprPtr e = node(SyntaxKind::binary, offset);
    e->op = op;
    e->args.push_back(std::move(a));
    e->args.push_back(std::move(b));
    return e;
  }

  struct DepthGuard {
    DepthGuard(Parser& p) : p(p) {
      if (++p.depth_ > p.max_depth_) {
        p.fail("expression nested deeper than " + std::to_string(p.max_depth_) + " levels");
      }
    }
    ~DepthGuard() { --p.depth_; }
    Parser& p;
  };

  ExprPtr expression() {
    DepthGuard guard(*this);
    if (peek().kind == Tok::kw_if) {
      ExprPtr e = node(SyntaxKind::if_then_else, next().offset);
      e->args.push_back(expression());
      expect(Tok::kw_then, "'then'");
      e->args.push_back(expression());
      expect(Tok::kw_else, "'else' (every 'if' needs one)");
      e->args.push_back(expression());
      return e;
    }
    return disjunction();
  }

  ExprPtr disjunction() {
    ExprPtr e = conjunction();
    while (peek().kind == Tok::kw_or) {
      const auto at = next().offset;
      e = binary(Op::or_, at, std::move(e), conjunction());
    }
    return e;
  }

  ExprPtr conjunction() {
    ExprPtr e = negation();
    while (peek().kind == Tok::kw_and) {
      const auto at = next().offset;
      e = binary(Op::and_, at, std::move(e), negation());
    }
    return e;
  }

  ExprPtr negation() {
    DepthGuard guard(*this);
    if (peek().kind == Tok::kw_not) {
      ExprPtr e = node(SyntaxKind::unary, next().offset);
      e->op = Op::not_;
      e->args.push_back(negation());
      return e;
    }
    return comparison();
  }

  ExprPtr comparison() {
    ExprPtr e = additive();
    static const std::pair<Tok, Op> kOps[] = {{Tok::eq, Op::eq}, {Tok::ne, Op::ne}, {Tok::lt, Op::lt},
                                              {Tok::le, Op::le}, {Tok::gt, Op::gt}, {Tok::ge, Op::ge},
                                              {Tok::kw_in, Op::in}};
    for (const auto& [tok, op] : kOps) {
      if (peek().kind == tok) {
        const auto at = next().offset;
        e = binary(op, at, std::move(e), additive());
        return no_chain(std::move(e));
      }
    }
    if (peek().kind == Tok::kw_not && pos_ + 1 < t_.size() && t_[pos_ + 1].kind == Tok::kw_in) {
      const auto at = next().offset;
      next();
      e = binary(Op::not_in, at, std::move(e), additive());
      return no_chain(std::move(e));
    }
    return e;
  }

  // A primary followed by any number of `.field`.
  ExprPtr postfix() {
    ExprPtr e = primary();
    while (peek().kind == Tok::dot) {
      const auto at = next().offset;
      if (peek().kind != Tok::ident) fail("expected a field name after '.', got " + describe(peek()));
      ExprPtr f = node(SyntaxKind::field, at);
      f->name = next().text;
      f->args.push_back(std::move(e));
      e = std::move(f);
    }
    return e;
  }

  ExprPtr no_chain(ExprPtr e) {
    switch (peek().kind) {
      case Tok::eq: case Tok::ne: case Tok::lt: case Tok::le: case Tok::gt: case Tok::ge: case Tok::kw_in:
        fail("comparisons cannot be chained; join them with 'and'");
      default:
        return e;
    }
  }

  ExprPtr additive() {
    ExprPtr e = multiplicative();
    while (peek().kind == Tok::plus || peek().kind == Tok::minus) {
      const Token& t = next();
      const Op op = t.kind == Tok::plus ? Op::add : Op::sub;
      e = binary(op, t.offset, std::move(e), multiplicative());
    }
    return e;
  }

  ExprPtr multiplicative() {
    ExprPtr e = unary();
    while (peek().kind == Tok::star || peek().kind == Tok::slash) {
      const Token& t = next();
      const Op op = t.kind == Tok::star ? Op::mul : Op::div;
      e = binary(op, t.offset, std::move(e), unary());
    }
    return e;
  }

  ExprPtr unary() {
    DepthGuard guard(*this);
    if (peek().kind == Tok::minus) {
      ExprPtr e = node(SyntaxKind::unary, next().offset);
      e->op = Op::neg;
      e->args.push_back(unary());
      return e;
    }
    return postfix();
  }

  ExprPtr primary() {
    const Token& t = peek();
    switch (t.kind) {
      case Tok::number: {
        next();
        ExprPtr e = node(SyntaxKind::literal, t.offset);
        std::int64_t whole = 0;
        const char* end = t.text.data() + t.text.size();
        if (const auto r = std::from_chars(t.text.data(), end, whole); r.ec == std::errc() && r.ptr == end) {
          e->value = Value(whole);  // every whole number an int64 holds, 19 digits too
        } else {  // a fraction, or a whole number beyond int64: a decimal (the checker explains in an integer context)
          auto d = Decimal::try_parse(t.text);
          if (!d) throw SyntaxError{t.offset, "number " + t.text + " is out of range or has more than " +
                                                  std::to_string(Decimal::kScale) + " decimal places"};
          e->value = Value(*d);
        }
        return e;
      }
      case Tok::string: {
        next();
        ExprPtr e = node(SyntaxKind::literal, t.offset);
        e->value = Value(t.text);
        return e;
      }
      case Tok::kw_true:
      case Tok::kw_false: {
        next();
        ExprPtr e = node(SyntaxKind::literal, t.offset);
        e->value = Value(t.kind == Tok::kw_true);
        return e;
      }
      case Tok::kw_none: {
        next();
        return node(SyntaxKind::literal, t.offset);  // a literal with no value
      }
      case Tok::lparen: {
        next();
        ExprPtr e = expression();
        expect(Tok::rparen, "')'");
        return e;
      }
      case Tok::lbracket: {
        ExprPtr e = node(SyntaxKind::list, next().offset);
        if (!accept(Tok::rbracket)) {
          do e->args.push_back(expression());
          while (accept(Tok::comma));
          expect(Tok::rbracket, "',' or ']'");
        }
        return e;
      }
      case Tok::ident: {
        next();
        if (!accept(Tok::lparen)) {
          ExprPtr e = node(SyntaxKind::name, t.offset);
          e->name = t.text;
          return e;
        }
        ExprPtr e = node(SyntaxKind::call, t.offset);
        e->name = t.text;
        if (!accept(Tok::rparen)) {
          do e->args.push_back(expression());
          while (accept(Tok::comma));
          expect(Tok::rparen, "',' or ')'");
        }
        return comprehension_or_call(std::move(e));
      }
      case Tok::kw_if:
        return expression();
      default:
        fail("expected a value, a name or '(', got " + describe(t));
    }
  }

  // sum(m in months(a, b), expr) and friends: the first argument binds a variable.
  static ExprPtr comprehension_or_call(ExprPtr call) {
    const BuiltinInfo* f = find_builtin(call->name);
    const bool aggregate = f && f->aggregates();
    if (!aggregate || call->args.size() != 2) return call;
    Expr& first = *call->args[0];
    if (first.kind != SyntaxKind::binary || first.op != Op::in || first.args[0]->kind != SyntaxKind::name) {
      return call;
    }
    ExprPtr e = node(SyntaxKind::comprehension, call->offset);
    e->name = call->name;
    e->value = Value(first.args[0]->name);  // the variable
    e->args.push_back(std::move(first.args[1]));
    e->args.push_back(std::move(call->args[1]));
    return e;
  }

  std::vector<Token> t_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  int max_depth_;
};

}  // namespace

ExprPtr parse_expression(const ScalarText& text, const ExpressionLimits& limits, Diagnostics& out) {
  if (text.text.size() > static_cast<std::size_t>(limits.max_length)) {
    out.error(text.start, "expression is " + std::to_string(text.text.size()) + " characters long; the limit is " +
                              std::to_string(limits.max_length));
    return nullptr;
  }
  std::vector<Token> tokens = tokenize(text.text);
  if (tokens.front().kind == Tok::end) {
    out.error(text.start, "empty expression");
    return nullptr;
  }
  try {
    return Parser(std::move(tokens), limits.max_depth).parse();
  } catch (const SyntaxError& e) {
    out.error(text.locate(e.offset), e.message);
    return nullptr;
  }
}

}  // namespace kaidah::detail
