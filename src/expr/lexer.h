#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kaidah::detail {

enum class Tok {
  end, number, string, ident, lparen, rparen, lbracket, rbracket, comma, dot,
  plus, minus, star, slash, eq, ne, lt, le, gt, ge,
  kw_and, kw_or, kw_not, kw_if, kw_then, kw_else, kw_in, kw_true, kw_false, kw_none, error
};

struct Token {
  Tok kind = Tok::end;
  std::string text;  // identifier, number, or the string's contents; the message for `error`
  std::uint32_t offset = 0;
};

// Splits an expression into tokens; the last is `end`, or `error` at the first bad character.
std::vector<Token> tokenize(std::string_view text);

std::string describe(const Token& t);  // "')'", "end of expression", "name 'x'"

}  // namespace kaidah::detail
