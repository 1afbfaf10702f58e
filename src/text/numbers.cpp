#include "text/numbers.h"

namespace kaidah::detail {

std::string group_digits(const Decimal& d, char thousands, char point) {
  std::string s = d.to_string();
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) s.erase(0, 1);
  const std::size_t dot = s.find('.');
  const std::string whole = s.substr(0, dot);
  std::string out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i && (whole.size() - i) % 3 == 0) out += thousands;
    out += whole[i];
  }
  if (dot != std::string::npos) out += point + s.substr(dot + 1);
  return (negative ? "-" : "") + out;
}

}  // namespace kaidah::detail
