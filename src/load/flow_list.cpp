#include "load/flow_list.h"

#include <algorithm>
#include <span>

namespace kaidah::detail {
namespace {

class PlainFlowReader {
 public:
  explicit PlainFlowReader(std::string_view text) : s_(text) {}

  std::optional<PlainFlowList> list() {
    PlainFlowList out;
    spaces();
    if (!take('[')) return std::nullopt;
    spaces();
    if (!take(']')) {
      do {
        spaces();
        PlainFlowList::Item item;
        if (peek() == '{' ? !mapping(out, item) : (item.word = word()).empty()) return std::nullopt;
        out.items.push_back(item);
        spaces();
      } while (take(','));
      if (!take(']')) return std::nullopt;
    }
    spaces();
    if (i_ != s_.size()) return std::nullopt;
    return out;
  }

 private:
  bool mapping(PlainFlowList& list, PlainFlowList::Item& item) {
    item.first = list.entries.size();
    take('{');
    do {
      spaces();
      const std::string_view key = word();
      // "key: value": a colon right after the key, then a space (yaml-cpp reads "a:b" as one word).
      if (key.empty() || !take(':') || peek() != ' ') return false;
      spaces();
      const std::string_view value = word();
      if (value.empty()) return false;
      const auto entries = std::span(list.entries).subspan(item.first);
      if (std::any_of(entries.begin(), entries.end(), [&](const auto& e) { return e.first == key; })) return false;  // yaml-cpp reports it
      list.entries.emplace_back(key, value);
      spaces();
    } while (take(','));
    item.count = list.entries.size() - item.first;
    return take('}');
  }

  // A plain word; empty where there is none, or what YAML reads as no value or as an indicator
  // (left to yaml-cpp).
  std::string_view word() {
    const std::size_t begin = i_;
    while (i_ < s_.size() && plain(s_[i_])) ++i_;
    const std::string_view w = s_.substr(begin, i_ - begin);
    if (w == "-" || w == "null" || w == "Null" || w == "NULL") return {};
    return w;
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

std::optional<PlainFlowList> read_plain_flow_list(std::string_view text) { return PlainFlowReader(text).list(); }

}  // namespace kaidah::detail
