// read_plain_flow_list: the lists of a roster's cells read without yaml-cpp, and exactly as
// yaml-cpp reads them wherever it reads them at all.

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "diagnostics.h"
#include "kaidah/rulebook.h"
#include "load/flow_list.h"
#include "load/syntax.h"
#include "lang/values.h"

namespace {

using kaidah::detail::PlainFlowList;
using kaidah::detail::RawValue;

// The plain reader's list as the YAML value it stands for, to compare with yaml-cpp's.
RawValue as_yaml(const PlainFlowList& list) {
  const auto scalar = [](std::string_view word) {
    RawValue v;
    v.shape = RawValue::Shape::scalar;
    v.scalar = std::string(word);
    return v;
  };
  RawValue out;
  out.shape = RawValue::Shape::sequence;
  for (const PlainFlowList::Item& item : list.items) {
    if (!item.word.empty()) {
      out.items.push_back(scalar(item.word));
      continue;
    }
    RawValue& mapping = out.items.emplace_back();
    mapping.shape = RawValue::Shape::mapping;
    for (std::size_t e = item.first; e < item.first + item.count; ++e)
      mapping.entries.emplace_back(std::string(list.entries[e].first), scalar(list.entries[e].second));
  }
  return out;
}

std::optional<RawValue> read_plain_flow_list(std::string_view text) {
  const auto list = kaidah::detail::read_plain_flow_list(text);
  return list ? std::optional(as_yaml(*list)) : std::nullopt;
}

// What yaml-cpp gives for `text` (through the loader), or nothing when it complains.
std::optional<RawValue> by_yaml(const std::string& text) {
  kaidah::detail::Diagnostics out;
  auto raw = kaidah::detail::read_yaml_text(text, "text", kaidah::LoadOptions{}, out);
  if (out.has_errors()) return std::nullopt;
  return raw;
}

// The same YAML value: shapes, words, items and entries (not where each stood in the text).
bool same(const RawValue& a, const RawValue& b) {
  if (a.shape != b.shape || a.scalar != b.scalar || a.quoted != b.quoted || a.items.size() != b.items.size() ||
      a.entries.size() != b.entries.size())
    return false;
  for (std::size_t i = 0; i < a.items.size(); ++i)
    if (!same(a.items[i], b.items[i])) return false;
  for (std::size_t i = 0; i < a.entries.size(); ++i)
    if (a.entries[i].first != b.entries[i].first || !same(a.entries[i].second, b.entries[i].second)) return false;
  return true;
}

TEST(PlainFlowList, ReadsTheListsRostersWrite) {
  const auto months = read_plain_flow_list("[2025-01, 2025-02]");
  ASSERT_TRUE(months);
  ASSERT_EQ(months->shape, RawValue::Shape::sequence);
  ASSERT_EQ(months->items.size(), 2u);
  EXPECT_EQ(months->items[1].scalar, "2025-02");

  const auto family = read_plain_flow_list(" [{relation: spouse, birth_date: 1990-01-01}, {relation: child,birth_date:  2015-06-30}] ");
  ASSERT_TRUE(family);
  ASSERT_EQ(family->items.size(), 2u);
  ASSERT_EQ(family->items[1].entries.size(), 2u);
  EXPECT_EQ(family->items[1].entries[1].first, "birth_date");
  EXPECT_EQ(family->items[1].entries[1].second.scalar, "2015-06-30");

  const auto empty = read_plain_flow_list("[]");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->shape, RawValue::Shape::sequence);
  EXPECT_TRUE(empty->items.empty());
}

TEST(PlainFlowList, LeavesEverythingElseToYamlCpp) {
  for (const char* text : {"", "2025-01", "[2025-01", "[a,,b]", "[a, ]", "[a b]", "['2025-01']", "[\"a\"]", "[null]",
                           "[~]", "[-]", "[a:b]", "[{a:b}]", "[{}]", "[{a: }]", "[[a]]", "[{a: [b]}]", "[a] # note",
                           "[a]\n", "[\ta]", "[&x a, *x]", "[{a: 1, a: 2}]", "[!!str 1]", "[a, b] c"}) {
    EXPECT_FALSE(read_plain_flow_list(text)) << "'" << text << "'";
  }
}

// Texts made of the characters that matter to YAML's flow syntax: wherever the plain reader
// reads one, yaml-cpp reads the same value. Structured texts (lists of words and of mappings)
// reach the reading path; random ones the refusals.
TEST(PlainFlowList, ReadsExactlyWhatYamlCppReads) {
  std::mt19937 random(20261126);  // fixed: the same texts every run
  const std::string alphabet = "[]{},: -.+_aZ09nul~#'\"\t!&*?|>%@`";
  const char* words[] = {"a", "2025-01", "1990-01-01", "-5", "+5", ".5", "1e3", "0x1F", "true", "No", "null",
                         "Null", "-", "--", "a-b", "a.b", "kelas_3", "...", "---", "y", "on", ".inf", "_"};
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  auto spaces = [&] { return std::string(pick(3), ' '); };
  auto word = [&] { return std::string(words[pick(std::size(words))]); };
  std::size_t read = 0;
  for (int n = 0; n < 20000; ++n) {
    std::string text;
    if (n % 2 == 0) {
      for (std::size_t i = 0, length = pick(24); i < length; ++i) text += alphabet[pick(alphabet.size())];
      if (pick(2)) text = "[" + text + "]";
    } else {
      text = spaces() + "[";
      for (std::size_t i = 0, items = pick(4); i < items; ++i) {
        if (i) text += spaces() + "," + spaces();
        if (pick(2)) {
          text += word();
        } else {
          text += "{";
          for (std::size_t k = 0, entries = 1 + pick(3); k < entries; ++k)
            text += (k ? "," + spaces() : "") + word() + (pick(8) ? ": " : ":") + spaces() + word();
          text += spaces() + "}";
        }
      }
      text += spaces() + "]" + spaces();
    }
    const auto plain = read_plain_flow_list(text);
    if (!plain) continue;
    ++read;
    const auto yaml = by_yaml(text);
    ASSERT_TRUE(yaml) << "yaml-cpp refuses '" << text << "', which the plain reader read";
    EXPECT_TRUE(same(*plain, *yaml)) << "'" << text << "' is read differently";
  }
  EXPECT_GT(read, 5000u);  // the comparison ran on many texts, not a few
}

// A list read by the plain reader converts to the value, or fails with the message, that the same
// text read by yaml-cpp converts to: lists of months, of enum spellings and of records (a family:
// a relation, a birth date, a bool with a default), on generated texts that give both.
TEST(PlainFlowList, ConvertsAsTheYamlItStandsFor) {
  using kaidah::Kind;
  using kaidah::Value;
  using kaidah::detail::Type;
  std::string why;
  const auto type = [&](const std::string& name, const std::vector<std::string>& values = {}) { return *kaidah::detail::parse_type(name, values, why); };
  Type family;
  family.kind = Kind::list;
  family.element = Kind::record;
  auto record = std::make_shared<kaidah::detail::RecordType>();
  record->fields = {{"relation", type("enum", {"spouse", "child"}), Value(), ""},
                    {"birth_date", type("date"), Value(), ""},
                    {"in_education", type("bool"), Value(false), ""}};
  family.record = record;
  const Type types[] = {type("list of month"), type("list of enum", {"spouse", "child"}), family};

  std::mt19937 random(20261202);  // fixed: the same texts every run
  const char* words[] = {"2025-01", "2025-13", "1990-01-01", "1990-02-30", "spouse", "child", "cousin", "true", "no", "7"};
  const char* keys[] = {"relation", "birth_date", "in_education", "other"};
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  std::size_t converted = 0, refused = 0;
  for (int n = 0; n < 6000; ++n) {
    std::string text = "[";
    for (std::size_t i = 0, items = pick(4); i < items; ++i) {
      text += i ? ", " : "";
      if (pick(3) == 0) {
        text += words[pick(std::size(words))];
        continue;
      }
      text += "{";
      for (std::size_t k = 0, entries = 1 + pick(3); k < entries; ++k)
        text += std::string(k ? ", " : "") + keys[pick(std::size(keys))] + ": " + words[pick(std::size(words))];
      text += "}";
    }
    text += "]";
    kaidah::detail::Diagnostics out;
    const auto raw = kaidah::detail::read_yaml_text(text, "text", kaidah::LoadOptions{}, out);
    if (!kaidah::detail::read_plain_flow_list(text) || !raw || out.has_errors()) continue;  // a key given twice
    for (const Type& t : types) {
      std::string plain_why, yaml_why;
      const auto plain = kaidah::detail::conform(Value(text), t, plain_why, kaidah::LoadOptions{});
      const auto yaml = kaidah::detail::convert(*raw, t, yaml_why);
      ASSERT_EQ(plain.has_value(), yaml.has_value()) << text;
      if (plain) {
        EXPECT_EQ(plain->to_string(), yaml->to_string()) << text;
        ++converted;
      } else {
        EXPECT_EQ(plain_why, yaml_why) << text;
        ++refused;
      }
    }
  }
  EXPECT_GT(converted, 1000u);  // both ways were compared, many times
  EXPECT_GT(refused, 1000u);
}

}  // namespace
