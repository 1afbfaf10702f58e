#pragma once
// The one way kaidah reads the bytes of a file a user gave it (rulebook, reform, case, scenario,
// roster): as UTF-8 text whose lines end in '\n'.
//
// What spreadsheets and editors write is taken as it is meant: a UTF-8 byte-order mark (Excel's
// "CSV UTF-8") is dropped, and CRLF (Windows) and a bare CR (Excel for Mac's "CSV (Macintosh)")
// end a line as LF does. What would otherwise be misread is refused at its line and column: bytes
// that are not UTF-8 (a Windows-1252 export; decoded as such only when the user asks), UTF-16, a
// NUL byte, and more bytes than the limit, counted as they are taken so that the limit holds for
// pipes and devices too (a block of 64 KiB past it may be read ahead, never taken).

#include <cstdint>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>

#include "kaidah/diagnostic.h"

namespace kaidah::detail {

enum class Encoding { utf8, windows_1252 };

// "utf-8" or "windows-1252" (also "cp1252"), as a user names them; nothing for another name.
std::optional<Encoding> encoding_named(std::string_view name);

struct TextOptions {
  std::uintmax_t max_bytes = 0;  // 0: no limit (a roster is streamed, so memory does not grow with it)
  Encoding encoding = Encoding::utf8;
};

// Where a text stops being readable, and why. Line and column are 1-based, the column in
// characters; line 0 means the file as a whole (it cannot be read, it is too large).
struct TextProblem {
  enum class Kind { unreadable, too_large, utf16, nul, not_utf8 };
  Kind kind;
  long line = 0, column = 0;
  std::string reason;
};

// The problem as the error a reader reports: "roster.csv:4:17: error: not UTF-8 text ...".
Diagnostic diagnostic_of(const TextProblem& problem, const std::string& file);

// Reads a text a byte at a time as described above. At the first problem the text ends: get()
// gives eof from then on and problem() says where and why, so a caller that sees eof must ask.
// The bytes are read ahead in blocks, so that a run of plain characters can be taken at once.
class TextReader {
 public:
  static constexpr int eof = -1;

  explicit TextReader(std::streambuf& in, TextOptions options = {})
      : in_(in), options_(options), left_(options.max_bytes ? options.max_bytes : UINTMAX_MAX),
        buffer_(new char[kBlock]) {}

  // The next byte of the text (0-255; a line end is '\n'), or eof.
  int get() {
    if (pending_ != pending_end_) return static_cast<unsigned char>(pending_buffer_[pending_++]);
    if (next_ != end_ && plain(*next_) && left_ > 0 && started_) {  // most bytes
      --left_;
      ++column_;
      return static_cast<unsigned char>(*next_++);
    }
    return get_slowly();
  }

  // The plain characters from here on that get() would give one by one: ASCII, neither a line
  // end, NUL nor `stop`; taken at once, up to the end of the bytes read ahead
  // (so possibly fewer than there are: call again while it gives some). Empty where the next
  // byte is not one. Valid until the reader is next used.
  std::string_view take_plain(char stop) {
    if (next_ == end_ && !problem_ && pending_ == pending_end_) refill();
    if (pending_ != pending_end_ || !started_) return {};
    const char* const first = next_;
    const char* const last = first + std::min<std::uintmax_t>(left_, static_cast<std::size_t>(end_ - first));
    const char* p = first;
    // Eight bytes at a time while all are plain, then byte by byte.
    const std::uint64_t stops = kOnes * static_cast<unsigned char>(stop);
    for (std::uint64_t word; last - p >= 8; p += 8) {
      std::memcpy(&word, p, 8);
      if ((word & kHighs) | has_zero_byte(word) | has_zero_byte(word ^ kOnes * '\r') | has_zero_byte(word ^ kOnes * '\n') |
          has_zero_byte(word ^ stops))
        break;
    }
    while (p != last && plain(*p) && *p != stop) ++p;
    const auto n = p - first;
    next_ = p;
    left_ -= static_cast<std::uintmax_t>(n);
    column_ += n;
    return {first, static_cast<std::size_t>(n)};
  }

  // Where the next character is.
  long line() const { return line_; }
  long column() const { return column_; }
  const std::optional<TextProblem>& problem() const { return problem_; }

 private:
  static constexpr std::size_t kBlock = 64 * 1024;
  static constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  // Non-zero when a byte of `word` is zero (exact: no false alarm for the word as a whole).
  static std::uint64_t has_zero_byte(std::uint64_t word) { return (word - kOnes) & ~word & kHighs; }
  static bool plain(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u != 0 && u < 0x80 && u != '\r' && u != '\n';
  }
  int get_slowly();
  int peek();       // the next raw byte, not taken, or eof
  int next_byte();  // the next raw byte, counted against the limit, or eof
  void refill();
  int stop(TextProblem::Kind kind, std::string reason);

  std::streambuf& in_;
  TextOptions options_;
  std::uintmax_t left_;   // bytes that may still be read
  bool started_ = false;  // past the first character (where a byte-order mark may be)
  long line_ = 1, column_ = 1;
  std::optional<TextProblem> problem_;
  std::unique_ptr<char[]> buffer_;  // the bytes read ahead: [next_, end_) not yet taken
  const char* next_ = nullptr;
  const char* end_ = nullptr;
  char pending_buffer_[4];  // the rest of a character of several bytes
  int pending_ = 0, pending_end_ = 0;
};

// A whole file read as above: never more than options.max_bytes bytes, whatever the file is.
// Either the text or the problem (with what was read before it).
struct Text {
  std::string text;
  std::optional<TextProblem> problem;
};
Text read_text_file(const std::filesystem::path& path, TextOptions options);
// Why `path` cannot be opened for reading: "no such file", or the system's reason.
std::string why_unreadable(const std::filesystem::path& path);
// The same for bytes already in memory (a case given as a string).
Text read_text(std::string_view bytes, TextOptions options);

}  // namespace kaidah::detail
