#include "load/flow_list.h"

#include <algorithm>

namespace kaidah::detail {
namespace {

class PlainFlowReader {
 public:
  explicit PlainFlowReader(std::string_view text) : s_(text) {}

  std::optional<RawValue> list() {
    RawValue out;
    out.shape = RawValue::Shape::sequence;
    spaces();
    if (!take('[')) return std::nullopt;
    spaces();
    if (!take(']')) {
      do {
        spaces();
        auto item = peek() == '{' ? mapping() : word();
        if (!item) return std::nullopt;
        out.items.push_back(std::move(*item));
        spaces();
      } while (take(','));
      if (!take(']')) return std::nullopt;
    }
    spaces();
    if (i_ != s_.size()) return std::nullopt;
    return out;
  }

 private:
  std::optional<RawValue> mapping() {
    RawValue out;
    out.shape = RawValue::Shape::mapping;
    take('{');
    do {
      spaces();
      auto key = word();
      // "key: value": a colon right after the key, then a space (yaml-cpp reads "a:b" as one word).
      if (!key || !take(':') || peek() != ' ') return std::nullopt;
      spaces();
      auto value = word();
      if (!value) return std::nullopt;
      const auto same = [&](const RawEntry& e) { return e.first == key->scalar; };
      if (std::any_of(out.entries.begin(), out.entries.end(), same)) return std::nullopt;  // yaml-cpp reports it
      out.entries.emplace_back(std::move(key->scalar), std::move(*value));
      spaces();
    } while (take(','));
    if (!take('}')) return std::nullopt;
    return out;
  }

  std::optional<RawValue> word() {
    const std::size_t begin = i_;
    while (i_ < s_.size() && plain(s_[i_])) ++i_;
    const std::string_view w = s_.substr(begin, i_ - begin);
    // Empty, or what YAML reads as no value or as an indicator: left to yaml-cpp.
    if (w.empty() || w == "-" || w == "null" || w == "Null" || w == "NULL") return std::nullopt;
    RawValue out;
    out.shape = RawValue::Shape::scalar;
    out.scalar = std::string(w);
    return out;
  }

  static bool plain(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '+' || c == '-';
  }
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  bool take(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  void spaces() {
    while (peek() == ' ') ++i_;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

std::optional<RawValue> read_plain_flow_list(std::string_view text) { return PlainFlowReader(text).list(); }

}  // namespace kaidah::detail
