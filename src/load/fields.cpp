#include "load/fields.h"

#include <algorithm>

namespace kaidah::detail {

std::string name_as_meant(std::string_view word) {
  std::string s;
  for (std::size_t i = 0; i < word.size();) {
    const std::string_view rest = word.substr(i);
    if (rest.starts_with("\xEF\xBB\xBF") || rest.starts_with("\xE2\x80\x8B")) {  // U+FEFF, U+200B: nothing
      i += 3;
    } else if (rest.starts_with("\xC2\xA0")) {  // a no-break space: a space
      s += ' ';
      i += 2;
    } else {
      s += word[i++];
    }
  }
  const auto first = s.find_first_not_of(" \t"), last = s.find_last_not_of(" \t");
  s = first == std::string::npos ? "" : s.substr(first, last - first + 1);
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == ' ' || c == '-') c = '_';
  }
  return s;
}

std::string closest(std::string_view written, const std::vector<std::string>& candidates) {
  const std::string meant = name_as_meant(written);
  for (const std::string& c : candidates) {
    if (c == meant) return c;
  }
  const std::string_view word = meant;
  // Levenshtein distance.
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diagonal = up;
      }
    }
    return row[b.size()];
  };
  std::string best;
  // Short words allow one edit; longer ones a third of their length (a transposition is two).
  std::size_t best_distance = (word.size() <= 3 ? 1 : std::max<std::size_t>(2, word.size() / 3)) + 1;
  for (const std::string& c : candidates) {
    const std::size_t d = distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

Fields::Fields(const RawValue& map, std::string what, Diagnostics& out,
               std::initializer_list<std::string_view> allowed)
    : map_(map), what_(std::move(what)), out_(out) {
  if (map.shape != RawValue::Shape::mapping) {
    out_.error(map.location, what_ + " must be a mapping of keys to values");
    return;
  }
  const std::vector<std::string> known(allowed.begin(), allowed.end());
  for (std::size_t i = 0; i < map.entries.size(); ++i) {
    const std::string& key = map.entries[i].first;
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    const std::string guess = closest(key, known);
    std::string message = "unknown key '" + key + "' in " + what_;
    if (!guess.empty()) {
      message += "; did you mean '" + guess + "'?";
    } else {
      message += " (expected one of:";
      for (const std::string& k : known) message += " " + k;
      message += ")";
    }
    out_.error(map.key_locations[i], message);
  }
}

const RawValue* Fields::get(std::string_view key, bool required) {
  if (!ok()) return nullptr;
  for (const auto& [k, v] : map_.entries) {
    if (k == key) return &v;
  }
  if (required) out_.error(map_.location, what_ + " is missing '" + std::string(key) + "'");
  return nullptr;
}

const RawValue* Fields::scalar(std::string_view key, bool required) {
  const RawValue* v = get(key, required);
  if (v && v->shape != RawValue::Shape::scalar) {
    out_.error(v->location, "'" + std::string(key) + "' of " + what_ + " must be a single value");
    return nullptr;
  }
  return v;
}

std::string Fields::text(std::string_view key, bool required) {
  const RawValue* v = scalar(key, required);
  return v ? v->scalar : std::string();
}

void for_each_declaration(const RawValue& section, std::string_view kind, Diagnostics& out,
                          const std::function<void(const std::string&, const SourceLocation&, const RawValue&)>& each) {
  if (section.shape != RawValue::Shape::mapping) {
    out.error(section.location, "expected a mapping of " + std::string(kind) + " names to their definitions");
    return;
  }
  for (std::size_t i = 0; i < section.entries.size(); ++i) {
    const auto& [name, body] = section.entries[i];
    each(name, section.key_locations[i], body);
  }
}

}  // namespace kaidah::detail
