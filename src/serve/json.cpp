#include "serve/json.h"

#include <limits>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

namespace kaidah::serve {

namespace {

std::string scaled_number(std::string_view raw);

// The value a JSON number writes, in the plain form Decimal reads: "1.5e6" -> "1500000",
// "-2E-3" -> "-0.002", "0.1000000000000" -> "0.1", "0e50" -> "0"; "" when no Decimal holds it.
// Zeros after the last digit of the fraction say nothing of the value (a host's decimal type may
// write them), so they never make a number inexact.
std::string plain_number(std::string_view raw) {
  const std::string value = scaled_number(raw);
  const std::size_t point = value.find('.');
  if (point == std::string::npos) return value;
  const std::size_t last = value.find_last_not_of('0');
  return value.substr(0, last == point ? point : last + 1);
}

std::string scaled_number(std::string_view raw) {
  const std::size_t e = raw.find_first_of("eE");
  if (e == std::string_view::npos) return std::string(raw);
  if (raw.substr(0, e).find_first_of("123456789") == std::string_view::npos) return "0";  // zero, whatever the exponent
  const std::string_view mantissa = raw.substr(0, e);
  long exponent = 0;
  try {
    exponent = std::stol(std::string(raw.substr(e + 1)));
  } catch (const std::exception&) {
    return "";  // an exponent past a long: no Decimal holds it
  }
  if (exponent > 40 || exponent < -40) return "";
  const bool negative = mantissa.starts_with('-');
  std::string digits;
  long point = 0;  // digits before the point
  bool seen_point = false;
  for (char c : mantissa.substr(negative ? 1 : 0)) {
    if (c == '.') {
      seen_point = true;
    } else {
      digits += c;
      if (!seen_point) ++point;
    }
  }
  point += exponent;
  if (point <= 0) {
    digits.insert(0, static_cast<std::size_t>(-point) + 1, '0');
    point = 1;
  } else if (point > static_cast<long>(digits.size())) {
    digits.append(static_cast<std::size_t>(point) - digits.size(), '0');
  }
  std::string out = (negative ? "-" : "") + digits.substr(0, static_cast<std::size_t>(point));
  if (static_cast<std::size_t>(point) < digits.size()) out += "." + digits.substr(static_cast<std::size_t>(point));
  return out;
}

// Builds the Value as nlohmann's parser reads the text, with a path for every complaint.
class Builder {
 public:
  using json = nlohmann::json;

  bool null() { return put(Value()); }
  bool boolean(bool v) { return put(Value(v)); }
  bool number_integer(json::number_integer_t v) { return put(Value(static_cast<std::int64_t>(v))); }
  bool number_unsigned(json::number_unsigned_t v) {
    if (v <= static_cast<json::number_unsigned_t>(std::numeric_limits<std::int64_t>::max()))
      return put(Value(static_cast<std::int64_t>(v)));
    return number(std::to_string(v));
  }
  bool number_float(json::number_float_t, const std::string& raw) { return number(raw); }
  bool string(std::string& v) { return put(Value(std::move(v))); }
  bool binary(json::binary_t&) { return fail("binary values are not JSON"); }
  bool start_object(std::size_t) { return open(true); }
  bool start_array(std::size_t) { return open(false); }
  bool key(std::string& k) {
    Frame& f = frames_.back();
    // A key given twice would leave which value counts to the reader: refused. Small objects are
    // searched, large ones hashed, so that no body of many keys costs their square.
    bool twice = false;
    if (f.fields.size() < 16) {
      for (const auto& field : f.fields) twice = twice || field.first == k;
    } else {
      if (f.keys.empty()) {
        for (const auto& field : f.fields) f.keys.insert(field.first);
      }
      twice = !f.keys.insert(k).second;
    }
    if (twice) return fail("the key '" + k + "' is given twice");
    f.key = std::move(k);
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line 1, column 9: syntax error…"
    std::string what = e.what();
    if (const std::size_t at = what.find("parse error"); at != std::string::npos) what = what.substr(at);
    error_ = "malformed JSON: " + what;
    return false;
  }

  Json take() { return {std::move(result_), std::move(inexact_)}; }
  const std::string& error() const { return error_; }

 private:
  struct Frame {
    bool object;
    std::vector<Value> items;
    Record fields;
    std::string key;                  // the key whose value comes next
    std::unordered_set<std::string> keys;  // a large object's keys
  };

  bool number(const std::string& raw) {
    const std::string plain = plain_number(raw);
    if (const auto d = plain.empty() ? std::nullopt : Decimal::try_parse(plain)) return put(Value(*d));
    inexact_.push_back({path(), "the number " + raw + " is not exact in kaidah's decimals (at most 12 decimal places, " +
                                    "and 26 digits before the point): write it as a string"});
    return put(Value());
  }

  bool open(bool object) {
    if (static_cast<int>(frames_.size()) >= kMaxJsonDepth)
      return fail("nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    frames_.push_back({object, {}, {}, {}, {}});
    return true;
  }

  bool close() {
    Frame f = std::move(frames_.back());
    frames_.pop_back();
    return put(f.object ? Value(std::move(f.fields)) : Value(std::move(f.items)));
  }

  bool put(Value v) {
    if (frames_.empty()) {
      result_ = std::move(v);
    } else if (Frame& f = frames_.back(); f.object) {
      f.fields.emplace_back(std::move(f.key), std::move(v));
    } else {
      f.items.push_back(std::move(v));
    }
    return true;
  }

  // Where the value being read sits: cases, 2, wage.
  Path path() const {
    Path out;
    for (const Frame& f : frames_) {
      if (f.object) {
        if (!f.key.empty()) out.push_back({f.key, 0});
      } else {
        out.push_back({"", f.items.size()});
      }
    }
    return out;
  }

  // "cases[2].wage: …"
  bool fail(const std::string& why) {
    const std::string where = to_string(path());
    error_ = (where.empty() ? "" : where + ": ") + why;
    return false;
  }

  std::vector<Frame> frames_;
  Value result_;
  std::vector<InexactNumber> inexact_;
  std::string error_;
};

}  // namespace

std::string to_string(const Path& path) {
  std::string out;
  for (const PathStep& step : path) {
    out += step.key.empty() ? "[" + std::to_string(step.index) + "]" : (out.empty() ? "" : ".") + step.key;
  }
  return out;
}

Json parse_json(std::string_view text) {
  Builder builder;
  if (!nlohmann::json::sax_parse(text.begin(), text.end(), &builder) || !builder.error().empty())
    throw JsonError(builder.error().empty() ? "malformed JSON" : builder.error());
  return builder.take();
}

const Value* field(const Value& record, std::string_view name) {
  if (record.kind() != Kind::record) return nullptr;
  for (const auto& [key, value] : record.as_record()) {
    if (key == name) return &value;
  }
  return nullptr;
}

}  // namespace kaidah::serve
