#pragma once
// What an officer reads: the report's own words (headings, column titles) in Indonesian or
// English, numbers and rupiah written the way of that language, and the rulebook's labels for its
// decisions and their values (declared beside them in the rulebook, `label` and `value_labels`).

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "kaidah/kaidah.h"
#include "text/numbers.h"

namespace kaidah::cli {

// What kaidah did with a roster that its user should know (a column ignored, blank rows skipped,
// a column some answers needed): `key` names the sentence, `args` fill its {0}, {1}..., and
// `decisions` its {d}, as names or as the rulebook's labels.
struct Note {
  Note(std::string key, std::vector<std::string> args = {}, std::vector<std::string> decisions = {})
      : key(std::move(key)), args(std::move(args)), decisions(std::move(decisions)) {}
  std::string key;
  std::vector<std::string> args;
  std::vector<std::string> decisions;
};

class Words;

// The note in `language` ("id" or "en") with decisions by name: summary.json and `diff` keep
// English. Words::note() writes it in the report's language, decisions by their labels.
std::string note_text(const Note& note, std::string_view language, const Words* labels = nullptr);

using detail::group_digits;  // 1234567.5 -> "1.234.567,5" (text/numbers.h)

class Words {
 public:
  // `language`: "id" (Bahasa Indonesia) or "en". `decisions` and `inputs`: the rulebook's, for
  // their labels.
  Words(std::string language, const std::vector<DecisionInfo>& decisions, const std::vector<InputInfo>& inputs = {});
  const std::string& language() const { return language_; }

  // The report's word for `key` (a key of words.cpp's table); the key itself if it has none.
  std::string operator()(std::string_view key) const;
  std::string note(const Note& n) const { return note_text(n, language_, this); }
  // The label of decision `name`, or its name when the rulebook gives none in this language.
  std::string decision(const std::string& name) const;
  // Input `name` as an officer finds it: its label and the roster's column ("Kelas rawat (kolom
  // kelas)"), or its name when the rulebook gives no label in this language.
  std::string input(const std::string& name) const;
  // The label of `value` of decision `name` ("register" -> "Daftar JKN"), or the value as it is.
  std::string value(const std::string& name, const std::string& value) const;

  // A rulebook's label (language -> text) in this language, else in English, else `fallback`.
  std::string label(const std::map<std::string, std::string>& label, const std::string& fallback) const;
  // An amount of decision `name`: money when its unit is rupiah, else a number.
  std::string amount(const std::string& name, const Decimal& d) const;

  // 1234567 -> "Rp 1.234.567" (id) or "Rp 1,234,567" (en); a fraction is kept after the
  // language's decimal mark.
  std::string money(const Decimal& d) const;
  // 1234 -> "1.234" (id) or "1,234" (en).
  std::string number(const Decimal& d) const;
  std::string number(long n) const { return number(Decimal(n)); }
  // 2026-11-24 -> "24/11/2026" (id) or "2026-11-24" (en).
  std::string date(const Date& d) const;
  // A value of decision `name` as written in people.csv, as an officer reads it: rupiah as
  // money, numbers grouped, enum values and bools by their labels; "" stays "".
  std::string cell(const std::string& name, const std::string& value) const;
  // Whether decision `name` is a number (its cells sort as numbers).
  bool numeric(const std::string& name) const;

 private:
  std::string language_;
  std::map<std::string, Labels> labels_, input_labels_;
  std::map<std::string, std::pair<std::string, std::string>> kinds_;  // decision -> (type, unit)
};

}  // namespace kaidah::cli
