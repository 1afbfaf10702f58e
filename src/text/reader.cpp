#include "text/reader.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kaidah::detail {
namespace {

// Windows-1252's characters for the bytes 0x80-0x9F (0: a byte it leaves undefined); the bytes
// from 0xA0 up are Latin-1, whose code points equal the bytes.
constexpr std::uint16_t kWindows1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

std::string hex_byte(int c) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(c & 0xFF));
  return hex;
}

int encode_utf8(std::uint32_t code, char* out) {
  if (code < 0x80) {
    out[0] = static_cast<char>(code);
    return 1;
  }
  if (code < 0x800) {
    out[0] = static_cast<char>(0xC0 | (code >> 6));
    out[1] = static_cast<char>(0x80 | (code & 0x3F));
    return 2;
  }
  if (code < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (code >> 12));
    out[1] = static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (code & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (code >> 18));
  out[1] = static_cast<char>(0x80 | ((code >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((code >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (code & 0x3F));
  return 4;
}

// The refusal of a file whose size is known before it is read.
std::optional<TextProblem> larger_than_allowed(std::uintmax_t size, const TextOptions& options) {
  if (!options.max_bytes || size <= options.max_bytes) return std::nullopt;
  return TextProblem{TextProblem::Kind::too_large, 0, 0,
                     std::to_string(size) + " bytes, more than the limit of " + std::to_string(options.max_bytes) +
                         " (max_file_bytes); the file is refused"};
}

}  // namespace

Diagnostic diagnostic_of(const TextProblem& problem, const std::string& file) {
  return {Severity::error, {file, static_cast<int>(problem.line), static_cast<int>(problem.column)}, problem.reason};
}

std::optional<Encoding> encoding_named(std::string_view name) {
  std::string n;
  for (char c : name) n += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (n == "utf-8" || n == "utf8") return Encoding::utf8;
  if (n == "windows-1252" || n == "cp1252") return Encoding::windows_1252;
  return std::nullopt;
}

void TextReader::refill() {
  const std::streamsize n = in_.sgetn(buffer_.get(), kBlock);  // may throw (EIO): nothing changed then
  next_ = buffer_.get();
  end_ = next_ + n;
}

int TextReader::peek() {
  if (next_ == end_) refill();
  return next_ == end_ ? eof : static_cast<unsigned char>(*next_);
}

int TextReader::next_byte() {
  if (peek() == eof) return eof;
  if (left_ == 0) {
    return stop(TextProblem::Kind::too_large, "more than the limit of " + std::to_string(options_.max_bytes) +
                                                  " bytes (max_file_bytes); the file is refused");
  }
  --left_;
  return static_cast<unsigned char>(*next_++);
}

int TextReader::stop(TextProblem::Kind kind, std::string reason) {
  const bool whole_file = kind == TextProblem::Kind::too_large;
  problem_ = TextProblem{kind, whole_file ? 0 : line_, whole_file ? 0 : column_, std::move(reason)};
  left_ = 0;
  pending_ = pending_end_ = 0;
  return eof;
}

int TextReader::get_slowly() {
  if (problem_) return eof;
  const int c = next_byte();
  if (c == eof) return eof;
  const bool first = !started_;
  started_ = true;
  if (c == '\n' || c == '\r') {
    if (c == '\r' && peek() == '\n') next_byte();  // CRLF is one line end
    if (problem_) return eof;
    ++line_;
    column_ = 1;
    return '\n';
  }
  if (c == 0) return stop(TextProblem::Kind::nul, "not a text file (contains a NUL byte)");
  if (c < 0x80) {
    ++column_;
    return c;
  }
  std::uint32_t code = 0;
  if (options_.encoding == Encoding::windows_1252) {
    // A UTF-8 byte-order mark is one whatever the encoding asked: it would otherwise be read as
    // "ï»¿" glued to the first column's name.
    if (first && c == 0xEF && peek() == 0xBB) {
      next_byte();
      if (peek() == 0xBF) {
        next_byte();
        return problem_ ? eof : get();
      }
      column_ += 2;  // "ï»", two characters
      pending_end_ = encode_utf8(0xEF, pending_buffer_);
      pending_end_ += encode_utf8(0xBB, pending_buffer_ + pending_end_);
      pending_ = 1;
      return static_cast<unsigned char>(pending_buffer_[0]);
    }
    code = c >= 0xA0 ? static_cast<std::uint32_t>(c) : kWindows1252[c - 0x80];
    if (code == 0) return stop(TextProblem::Kind::not_utf8, "not Windows-1252 text (byte " + hex_byte(c) + ")");
  } else {
    if (first && (c == 0xFF || c == 0xFE) && peek() == (c ^ 0x01)) {
      return stop(TextProblem::Kind::utf16, "the file is UTF-16 text; save it as UTF-8");
    }
    const int length = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = length > 0;
    code = length == 2 ? (c & 0x1F) : length == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; ok && k < length; ++k) {
      const int next = peek();
      ok = next != eof && (next >> 6) == 0x2;
      if (ok) {
        if (next_byte() == eof) return eof;  // past the limit
        code = (code << 6) | (next & 0x3F);
      }
    }
    // No overlong forms, surrogates or code points past U+10FFFF.
    ok = ok && !(length == 2 && code < 0x80) && !(length == 3 && code < 0x800) && !(length == 4 && code < 0x10000) &&
         !(code >= 0xD800 && code <= 0xDFFF) && code <= 0x10FFFF;
    if (!ok) return stop(TextProblem::Kind::not_utf8, "not UTF-8 text (byte " + hex_byte(c) + "); save the file as UTF-8");
  }
  if (first && code == 0xFEFF) return get();  // the byte-order mark
  ++column_;
  pending_end_ = encode_utf8(code, pending_buffer_);
  pending_ = 1;
  return static_cast<unsigned char>(pending_buffer_[0]);
}

Text read_text(std::string_view bytes, TextOptions options) {
  if (auto problem = larger_than_allowed(bytes.size(), options)) return {{}, std::move(problem)};
  std::stringbuf buffer{std::string(bytes), std::ios::in};
  TextReader reader(buffer, options);
  Text out;
  out.text.reserve(bytes.size());
  for (int c; (c = reader.get()) != TextReader::eof;) out.text += static_cast<char>(c);
  out.problem = reader.problem();
  return out;
}

std::string why_unreadable(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return "no such file";
  std::ifstream probe(path, std::ios::binary);  // opening again sets errno to the reason
  return probe ? "it could not be opened" : std::strerror(errno);
}

Text read_text_file(const std::filesystem::path& path, TextOptions options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return {{}, TextProblem{TextProblem::Kind::unreadable, 0, 0, "is a folder, not a file"}};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return {{}, TextProblem{TextProblem::Kind::unreadable, 0, 0, "cannot read file: " + why_unreadable(path)}};
  Text out;
  if (std::filesystem::is_regular_file(path, ec)) {  // else a pipe or a device: the reader counts its bytes
    const auto size = std::filesystem::file_size(path, ec);
    if (auto problem = larger_than_allowed(size, options)) return {{}, std::move(problem)};
    out.text.reserve(size);
  }
  TextReader reader(*in.rdbuf(), options);
  try {
    for (int c; (c = reader.get()) != TextReader::eof;) out.text += static_cast<char>(c);
    out.problem = reader.problem();
  } catch (const std::ios_base::failure& e) {  // the system could not read (EIO): where it stopped
    out.problem = TextProblem{TextProblem::Kind::unreadable, reader.line(), reader.column(),
                              std::string("cannot read the file here: ") + e.what()};
  }
  return out;
}

}  // namespace kaidah::detail
