#pragma once
// The one way kaidah reads the bytes of a file a user gave it (rulebook, reform, case, scenario,
// roster): as UTF-8 text whose lines end in '\n'.
//
// What spreadsheets and editors write is taken as it is meant: a UTF-8 byte-order mark (Excel's
// "CSV UTF-8") is dropped, and CRLF (Windows) and a bare CR (Excel for Mac's "CSV (Macintosh)")
// end a line as LF does. What would otherwise be misread is refused at its line and column: bytes
// that are not UTF-8 (a Windows-1252 export; decoded as such only when the user asks), UTF-16, a
// NUL byte, and more bytes than the limit, counted as they are read so that the limit holds for
// pipes and devices too.

#include <cstdint>
#include <filesystem>
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
class TextReader {
 public:
  static constexpr int eof = -1;

  explicit TextReader(std::streambuf& in, TextOptions options = {})
      : in_(in), options_(options), left_(options.max_bytes ? options.max_bytes : UINTMAX_MAX) {}

  // The next byte of the text (0-255; a line end is '\n'), or eof.
  int get() {
    if (pending_ != pending_end_) return static_cast<unsigned char>(pending_buffer_[pending_++]);
    const int c = in_.sgetc();
    if (c > 0 && c < 0x80 && c != '\r' && c != '\n' && left_ > 0 && started_) {  // most bytes
      in_.sbumpc();
      --left_;
      ++column_;
      return c;
    }
    return get_slowly();
  }

  // Where the next character is.
  long line() const { return line_; }
  long column() const { return column_; }
  const std::optional<TextProblem>& problem() const { return problem_; }

 private:
  int get_slowly();
  int next_byte();  // the next raw byte, counted against the limit, or eof
  int stop(TextProblem::Kind kind, std::string reason);

  std::streambuf& in_;
  TextOptions options_;
  std::uintmax_t left_;   // bytes that may still be read
  bool started_ = false;  // past the first character (where a byte-order mark may be)
  long line_ = 1, column_ = 1;
  std::optional<TextProblem> problem_;
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
