// The one way kaidah reads a user's file (src/text/reader.h) and the CSV reader built on it.

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "cli/csv.h"
#include "kaidah/error.h"
#include "text/reader.h"

namespace kaidah::detail {
namespace {

using namespace std::string_view_literals;

Text read(std::string_view bytes, TextOptions options = {}) { return read_text(bytes, options); }

TEST(Text, AByteOrderMarkIsDroppedAndEveryLineEndIsLf) {
  // Excel's "CSV UTF-8" starts with EF BB BF; Windows ends lines CRLF, Excel for Mac a bare CR.
  EXPECT_EQ(read("\xEF\xBB\xBF" "a,b\r\nc\rd\n\re").text, "a,b\nc\nd\n\ne");
  // Only at the start: U+FEFF later is text (a zero-width no-break space).
  EXPECT_EQ(read("a\xEF\xBB\xBF").text, "a\xEF\xBB\xBF");
  EXPECT_FALSE(read("\xEF\xBB\xBF").problem);
}

TEST(Text, BytesThatAreNotUtf8AreRefusedAtTheirLineAndColumnInCharacters) {
  // "é" in Windows-1252 is the lone byte E9; line 2, after "ab" and the two-byte "ñ": column 4.
  const Text t = read("x\nab\xC3\xB1\xE9z\n");
  ASSERT_TRUE(t.problem);
  EXPECT_EQ(t.problem->kind, TextProblem::Kind::not_utf8);
  EXPECT_EQ(t.problem->line, 2);
  EXPECT_EQ(t.problem->column, 4);
  EXPECT_EQ(t.problem->reason, "not UTF-8 text (byte 0xE9); save the file as UTF-8");
  // Line ends of every kind are counted: the bad byte after "a\r\rb\r\n" is on line 4.
  EXPECT_EQ(read("a\r\rb\r\n\xFF").problem->line, 4);
  // Overlong forms, surrogates, a sequence cut short by the end.
  for (std::string_view bad : {"\xC0\xAF", "\xED\xA0\x80", "\xE2\x82", "\xF4\x90\x80\x80"}) {
    EXPECT_EQ(read(bad).problem->kind, TextProblem::Kind::not_utf8) << bad;
  }
}

TEST(Text, Utf16AndNulAreRefused) {
  EXPECT_EQ(read("\xFF\xFEi\0d\0"sv).problem->reason, "the file is UTF-16 text; save it as UTF-8");
  const Text nul = read("id\nab\0c"sv);
  EXPECT_EQ(nul.problem->reason, "not a text file (contains a NUL byte)");
  EXPECT_EQ(nul.problem->line, 2);
  EXPECT_EQ(nul.problem->column, 3);
}

TEST(Text, Windows1252IsDecodedOnlyWhenAsked) {
  // 0x80 is the euro sign U+20AC (E2 82 AC in UTF-8), 0xE9 is é (C3 A9); 0x81 is undefined.
  const Text t = read("Jos\xE9 \x80", {0, Encoding::windows_1252});
  EXPECT_FALSE(t.problem);
  EXPECT_EQ(t.text, "Jos\xC3\xA9 \xE2\x82\xAC");
  EXPECT_EQ(read("a\x81", {0, Encoding::windows_1252}).problem->reason, "not Windows-1252 text (byte 0x81)");
  EXPECT_EQ(encoding_named("CP1252"), Encoding::windows_1252);
  EXPECT_FALSE(encoding_named("latin-2"));
}

// A stream that never ends, as a pipe from `yes` would be.
struct Endless : std::streambuf {
  char buffer[4096];
  int_type underflow() override {
    std::fill(std::begin(buffer), std::end(buffer), 'a');
    setg(buffer, buffer, std::end(buffer));
    return 'a';
  }
};

TEST(Text, TheSizeLimitHoldsForStreamsWhoseSizeIsUnknown) {
  // A stream is read up to the limit and no further.
  Endless endless;
  TextReader reader(endless, {1024 * 1024});
  std::size_t bytes = 0;
  while (reader.get() != TextReader::eof) ++bytes;
  EXPECT_EQ(bytes, 1024u * 1024u);
  ASSERT_TRUE(reader.problem());
  EXPECT_EQ(reader.problem()->reason, "more than the limit of 1048576 bytes (max_file_bytes); the file is refused");
  // A device is not a file whose size can be asked: /dev/zero is refused at its first byte.
  EXPECT_EQ(read_text_file("/dev/zero", {1024}).problem->kind, TextProblem::Kind::nul);
  // A file whose size is known is refused before it is read.
  EXPECT_EQ(read("12345", {4}).problem->reason, "5 bytes, more than the limit of 4 (max_file_bytes); the file is refused");
  EXPECT_FALSE(read("1234", {4}).problem);
  EXPECT_EQ(read_text_file("/", {}).problem->reason, "is a folder, not a file");
}

TEST(Text, APlainRunIsTakenAtOnceWithinTheSizeLimit) {
  // take_plain() gives what get() would, one run at a time; the limit counts those bytes too.
  std::stringbuf bytes(std::string(100, 'a'), std::ios::in);
  TextReader reader(bytes, {40});
  EXPECT_EQ(reader.get(), 'a');  // the first character is read alone (a byte-order mark may start a file)
  std::size_t taken = 1;
  for (std::string_view run; !(run = reader.take_plain(',')).empty();) taken += run.size();
  EXPECT_EQ(taken, 40u);
  EXPECT_EQ(reader.column(), 41);
  EXPECT_EQ(reader.get(), TextReader::eof);
  EXPECT_EQ(reader.problem()->kind, TextProblem::Kind::too_large);
  // A run stops at the stop character, a line end and a byte that is not ASCII.
  std::stringbuf mixed(std::string("xab,cd\r\nef\xC3\xA9g"), std::ios::in);
  TextReader text(mixed);
  EXPECT_EQ(text.get(), 'x');
  EXPECT_EQ(text.take_plain(','), "ab");
  EXPECT_EQ(text.take_plain(','), "");
  EXPECT_EQ(text.get(), ',');
  EXPECT_EQ(text.take_plain(','), "cd");
  EXPECT_EQ(text.get(), '\n');
  EXPECT_EQ(text.take_plain(','), "ef");
  EXPECT_EQ(text.get(), 0xC3);
}

std::vector<std::vector<std::string>> rows_of(const std::string& bytes, std::vector<std::string>* errors = nullptr) {
  std::istringstream in(bytes);
  cli::CsvReader reader(in, "roster.csv");
  std::vector<std::vector<std::string>> rows;
  cli::CsvRow fields;
  std::string error;
  while (reader.next(fields, error)) {
    rows.push_back(fields.strings());
    if (errors) errors->push_back(error);
  }
  return rows;
}

TEST(Csv, RowsEndAtLfCrlfOrABareCr) {
  using Rows = std::vector<std::vector<std::string>>;
  const Rows expected = {{"id", "kelas"}, {"a", "kelas_3"}, {"b", "kelas_1"}};
  EXPECT_EQ(rows_of("id,kelas\na,kelas_3\nb,kelas_1\n"), expected);
  EXPECT_EQ(rows_of("id,kelas\r\na,kelas_3\r\nb,kelas_1\r\n"), expected);
  EXPECT_EQ(rows_of("id,kelas\ra,kelas_3\rb,kelas_1\r"), expected);  // Excel for Mac
  EXPECT_EQ(rows_of("\xEF\xBB\xBFid,kelas\na,kelas_3\nb,kelas_1"), expected);  // BOM, no last line end
  // A line break inside quotes is kept as LF whatever the file's line ends.
  EXPECT_EQ(rows_of("name\r\"Ani\rSari\"\r"), (Rows{{"name"}, {"Ani\nSari"}}));
}

TEST(Csv, MalformedQuotesAreTheRowsErrorWithTheirPlace) {
  std::vector<std::string> errors;
  const auto rows = rows_of("a,b\n\"x\"y,1\n2,\"open\n3,4\n", &errors);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(errors[1], "text after the closing quote of field 1 (line 2, column 4)");
  // The quote opened on line 3 swallows line 4: one row, whose error names where it opened.
  EXPECT_EQ(errors[2], "the quoted field opened on line 3, column 3 is not closed before the end of the file");
}

TEST(Csv, RowsAreWholeAcrossTheBlocksReadAheadAndAfterLongerRows) {
  // The text is read in blocks of 64 KiB: a first field of 65,500 to 65,535 bytes puts the end of
  // the first block at each byte of the row after it, inside a quoted field with a comma and a
  // doubled quote, inside the two bytes of "é", between CR and LF.
  const std::string tricky = "\"q,\"\"r\",\xC3\xA9t\r\nz\r\n";
  for (std::size_t first = 65500; first < 65536; ++first) {
    const auto rows = rows_of(std::string(first, 'a') + "\n" + tricky);
    ASSERT_EQ(rows.size(), 3u) << first;
    EXPECT_EQ(rows[0][0].size(), first);
    EXPECT_EQ(rows[1], (std::vector<std::string>{"q,\"r", "\xC3\xA9t"})) << first;
    EXPECT_EQ(rows[2], (std::vector<std::string>{"z"})) << first;
  }
  // A row read into the CsvRow a longer one was read into has only its own fields.
  std::istringstream in("a,bb,ccc,dddd\nx,\n");
  cli::CsvReader reader(in, "roster.csv");
  cli::CsvRow row;
  std::string error;
  ASSERT_TRUE(reader.next(row, error));
  ASSERT_TRUE(reader.next(row, error));
  EXPECT_EQ(row.strings(), (std::vector<std::string>{"x", ""}));
  // A field rewritten in place (a cell in Indonesian form) leaves the others as they were.
  row.replace(0, "3800000.50");
  EXPECT_EQ(row.strings(), (std::vector<std::string>{"3800000.50", ""}));
}

TEST(Csv, FieldsAndRowsPastTheLimitsAreTheRowsError) {
  std::istringstream in("a,bbbbbbbbbb,c,d\nok,1\n");
  cli::CsvReader reader(in, "roster.csv", {4, 3});
  cli::CsvRow row;
  std::string error;
  ASSERT_TRUE(reader.next(row, error));
  EXPECT_EQ(error, "a field longer than 4 bytes");
  EXPECT_EQ(row.strings(), (std::vector<std::string>{"a", "bbbb", "c"}));  // the fourth field is past the limit
  ASSERT_TRUE(reader.next(row, error));
  EXPECT_EQ(error, "");
  EXPECT_EQ(row.strings(), (std::vector<std::string>{"ok", "1"}));
}

TEST(Csv, BytesThatAreNotTextStopTheReadingWithALocatedError) {
  std::istringstream in("id,name\n1,Jos\xE9\n");
  cli::CsvReader reader(in, "roster.csv");
  cli::CsvRow fields;
  std::string error;
  ASSERT_TRUE(reader.next(fields, error));
  try {
    reader.next(fields, error);
    FAIL() << "a Windows-1252 byte was read as text";
  } catch (const LoadError& e) {
    EXPECT_EQ(to_string(e.diagnostics().front()),
              "roster.csv:2:6: error: not UTF-8 text (byte 0xE9); save the file as UTF-8");
  }
}

}  // namespace
}  // namespace kaidah::detail
