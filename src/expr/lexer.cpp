#include "expr/lexer.h"

#include <cctype>
#include <cstdio>

namespace kaidah::detail {
namespace {

// "unexpected character '‘' (U+2018); …" for the character at s[at]: the whole UTF-8 sequence,
// never a lone byte (a message must stay valid UTF-8; Python decodes it), with a hint for the
// characters a word processor puts in place of ASCII ones.
std::string unexpected_character(std::string_view s, std::size_t at) {
  const auto byte = static_cast<unsigned char>(s[at]);
  const std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
  char32_t code = length == 1 ? byte : byte & (0x3F >> (length - 1));
  bool valid = at + length <= s.size() && (byte < 0x80 || length > 1);
  for (std::size_t k = 1; valid && k < length; ++k) {
    const auto next = static_cast<unsigned char>(s[at + k]);
    valid = (next & 0xC0) == 0x80;
    code = code << 6 | (next & 0x3F);
  }
  char text[48];
  if (!valid) {  // the loader refuses text that is not UTF-8: only for safety
    std::snprintf(text, sizeof text, "unexpected byte 0x%02X", byte);
    return text;
  }
  std::snprintf(text, sizeof text, "U+%04X", static_cast<unsigned>(code));
  const bool control = code < 0x20 || code == 0x7F || (code >= 0x80 && code < 0xA0);
  if (code < 0x80 && !control) return "unexpected character '" + std::string(1, s[at]) + "'";
  std::string message = control ? std::string("unexpected character ") + text
                                : "unexpected character '" + std::string(s.substr(at, length)) + "' (" + text + ")";
  if (code == 0x2018 || code == 0x2019 || code == 0x201C || code == 0x201D) {
    message += "; write text between straight quotes: 'ppu'";
  } else if (code == 0xA0) {
    message += "; use a plain space";
  }
  return message;
}

}  // namespace

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  auto push = [&](Tok k, std::size_t at, std::string text = {}) {
    out.push_back({k, std::move(text), static_cast<std::uint32_t>(at)});
  };
  while (true) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i >= s.size()) {
      push(Tok::end, i);
      return out;
    }
    const std::size_t at = i;
    const char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      if (i + 1 < s.size() && s[i] == '.' && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      }
      if (i < s.size() && (std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == '_')) {
        push(Tok::error, at, "malformed number '" + std::string(s.substr(at, i + 1 - at)) + "'");
        return out;
      }
      push(Tok::number, at, std::string(s.substr(at, i - at)));
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
      const std::string word(s.substr(at, i - at));
      static const std::pair<const char*, Tok> kKeywords[] = {
          {"and", Tok::kw_and}, {"or", Tok::kw_or},     {"not", Tok::kw_not},   {"if", Tok::kw_if},
          {"then", Tok::kw_then}, {"else", Tok::kw_else}, {"in", Tok::kw_in}, {"true", Tok::kw_true},
          {"false", Tok::kw_false}, {"none", Tok::kw_none}};
      Tok kind = Tok::ident;
      for (const auto& [kw, tok] : kKeywords) {
        if (word == kw) kind = tok;
      }
      push(kind, at, word);
      continue;
    }
    if (c == '\'' || c == '"') {
      const std::size_t close = s.find(c, i + 1);
      if (close == std::string_view::npos) {
        push(Tok::error, at, "unterminated text literal");
        return out;
      }
      push(Tok::string, at, std::string(s.substr(i + 1, close - i - 1)));
      i = close + 1;
      continue;
    }
    auto two = [&](char next) { return i + 1 < s.size() && s[i + 1] == next; };
    switch (c) {
      case '(': push(Tok::lparen, at); ++i; continue;
      case ')': push(Tok::rparen, at); ++i; continue;
      case '[': push(Tok::lbracket, at); ++i; continue;
      case ']': push(Tok::rbracket, at); ++i; continue;
      case ',': push(Tok::comma, at); ++i; continue;
      case '.': push(Tok::dot, at); ++i; continue;
      case '+': push(Tok::plus, at); ++i; continue;
      case '-': push(Tok::minus, at); ++i; continue;
      case '*': push(Tok::star, at); ++i; continue;
      case '/': push(Tok::slash, at); ++i; continue;
      case '=':
        if (two('=')) { push(Tok::eq, at); i += 2; continue; }
        push(Tok::error, at, "'=' is not an operator; compare with '=='");
        return out;
      case '!':
        if (two('=')) { push(Tok::ne, at); i += 2; continue; }
        push(Tok::error, at, "'!' is not an operator; use 'not'");
        return out;
      case '<':
        if (two('=')) { push(Tok::le, at); i += 2; } else { push(Tok::lt, at); ++i; }
        continue;
      case '>':
        if (two('=')) { push(Tok::ge, at); i += 2; } else { push(Tok::gt, at); ++i; }
        continue;
      case '&':
      case '|':
        push(Tok::error, at, std::string("'") + c + "' is not an operator; use 'and' / 'or'");
        return out;
      default:
        push(Tok::error, at, unexpected_character(s, at));
        return out;
    }
  }
}

std::string describe(const Token& t) {
  switch (t.kind) {
    case Tok::end: return "end of expression";
    case Tok::number: return "number " + t.text;
    case Tok::string: return "text '" + t.text + "'";
    case Tok::ident: return "name '" + t.text + "'";
    case Tok::lparen: return "'('";
    case Tok::rparen: return "')'";
    case Tok::lbracket: return "'['";
    case Tok::rbracket: return "']'";
    case Tok::comma: return "','";
    case Tok::dot: return "'.'";
    case Tok::error: return t.text;
    case Tok::plus: return "'+'";
    case Tok::minus: return "'-'";
    case Tok::star: return "'*'";
    case Tok::slash: return "'/'";
    case Tok::eq: return "'=='";
    case Tok::ne: return "'!='";
    case Tok::lt: return "'<'";
    case Tok::le: return "'<='";
    case Tok::gt: return "'>'";
    case Tok::ge: return "'>='";
    default: return "'" + t.text + "'";
  }
}

}  // namespace kaidah::detail
