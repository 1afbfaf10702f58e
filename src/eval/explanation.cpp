#include <set>
#include <stdexcept>

#include "kaidah/result.h"

namespace kaidah {
namespace {

std::string with_unit(const Value& v, const std::string& unit) {
  return v.to_string() + (unit.empty() ? "" : " " + unit);
}

void text_of(const Explanation& x, const DecisionTrace& d, int depth, std::set<std::string>& shown, std::string& out) {
  const std::string pad(depth * 4, ' ');
  out += pad + d.name + (d.error.empty() ? " = " + with_unit(d.value, d.unit) : ": no value: " + d.error) +
         (d.from_reform ? "  [reform]" : "") + "\n";
  if (!shown.insert(d.name).second) {
    out += pad + "    (explained above)\n";
    return;
  }
  if (!d.description.empty()) out += pad + "    " + d.description + "\n";
  if (!d.legal_basis.empty()) out += pad + "    legal basis: " + d.legal_basis + "\n";
  if (d.row > 0) {
    if (d.conditions.empty()) {
      out += pad + "    table row " + std::to_string(d.row) + " (default row) fired\n";
    } else {
      out += pad + "    table row " + std::to_string(d.row) + " fired: when";
      // Each condition must hold: one with an 'or' of its own is bracketed, so that the line reads
      // as the table means it ("a and (b or c)", not "a and b or c").
      for (std::size_t i = 0; i < d.conditions.size(); ++i) {
        const std::string& c = d.conditions[i];
        const bool bracket = d.conditions.size() > 1 && c.find(" or ") != std::string::npos;
        out += (i ? " and " : " ") + (bracket ? "(" + c + ")" : c);
      }
      out += "\n";
    }
    if (!d.row_legal_basis.empty()) out += pad + "    row legal basis: " + d.row_legal_basis + "\n";
    out += pad + "    then: " + d.formula + "\n";
  } else if (!d.formula.empty()) {
    std::string formula = d.formula;
    while (!formula.empty() && formula.back() == '\n') formula.pop_back();
    std::string indented;
    for (char c : formula) indented += c == '\n' ? "\n" + pad + "             " : std::string(1, c);
    out += pad + "    formula: " + indented + "\n";
  }
  for (const InputRead& in : d.inputs) {
    out += pad + "    input " + in.name + " = " + with_unit(in.value, in.unit) + (in.defaulted ? " (default)" : "") +
           (in.description.empty() ? "" : ": " + in.description) + "\n";
  }
  for (const ParameterRead& p : d.parameters) {
    out += pad + "    parameter " + p.name + " = " + with_unit(p.value, p.unit) + ", in force from " +
           p.effective_from.to_string() + " (" + p.legal_basis + ")" + (p.from_reform ? " [reform]" : "");
    if (p.first_asked != p.last_asked) {
      out += ", used for " + std::to_string(p.times) + " dates from " + p.first_asked.to_string() + " to " +
             p.last_asked.to_string();
    } else if (p.first_asked != x.date) {
      out += ", as of " + p.first_asked.to_string();
    }
    out += "\n";
  }
  for (const std::string& name : d.decisions) {
    if (const DecisionTrace* used = x.find(name)) text_of(x, *used, depth + 1, shown, out);
  }
}

std::string json_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + json_quote(items[i]);
  return out + "]";
}

}  // namespace

const DecisionTrace* Explanation::find(std::string_view name) const {
  for (const DecisionTrace& d : decisions)
    if (d.name == name) return &d;
  return nullptr;
}

std::string Explanation::to_text() const {
  std::string out;
  std::set<std::string> shown;
  for (const std::string& root : roots) {
    if (const DecisionTrace* d = find(root)) text_of(*this, *d, 0, shown, out);
  }
  return out;
}

std::string Explanation::to_json() const {
  std::string out = "{\"date\": " + json_quote(date.to_string()) + ", \"roots\": " + json_list(roots) + ", \"decisions\": {";
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    const DecisionTrace& d = decisions[i];
    out += (i ? ", " : "") + json_quote(d.name) + ": {\"value\": " + d.value.to_json() +
           ", \"unit\": " + json_quote(d.unit) + ", \"description\": " + json_quote(d.description) +
           ", \"legal_basis\": " + json_quote(d.legal_basis) + ", \"formula\": " + json_quote(d.formula) +
           (d.from_reform ? ", \"from_reform\": true" : "") + (d.error.empty() ? "" : ", \"error\": " + json_quote(d.error));
    if (d.row > 0) {
      out += ", \"row\": " + std::to_string(d.row) + ", \"conditions\": " + json_list(d.conditions) +
             ", \"row_legal_basis\": " + json_quote(d.row_legal_basis);
    }
    out += ", \"decisions\": " + json_list(d.decisions) + ", \"inputs\": [";
    for (std::size_t k = 0; k < d.inputs.size(); ++k) {
      const InputRead& in = d.inputs[k];
      out += std::string(k ? ", " : "") + "{\"name\": " + json_quote(in.name) + ", \"value\": " + in.value.to_json() +
             ", \"defaulted\": " + (in.defaulted ? "true" : "false") + "}";
    }
    out += "], \"parameters\": [";
    for (std::size_t k = 0; k < d.parameters.size(); ++k) {
      const ParameterRead& p = d.parameters[k];
      out += std::string(k ? ", " : "") + "{\"name\": " + json_quote(p.name) + ", \"value\": " + p.value.to_json() +
             ", \"effective_from\": " + json_quote(p.effective_from.to_string()) +
             ", \"legal_basis\": " + json_quote(p.legal_basis) + ", \"first_asked\": " +
             json_quote(p.first_asked.to_string()) + ", \"last_asked\": " + json_quote(p.last_asked.to_string()) +
             ", \"times\": " + std::to_string(p.times) + (p.from_reform ? ", \"from_reform\": true" : "") + "}";
    }
    out += "]}";
  }
  return out + "}}";
}

const Value& Result::operator[](std::string_view decision) const {
  for (const auto& [name, value] : values_)
    if (name == decision) return value;
  for (const DecisionError& e : errors_)
    if (e.decision == decision) throw e.error;
  throw std::out_of_range("decision '" + std::string(decision) + "' was not requested in this evaluation");
}

const Explanation& Result::explanation() const {
  if (!explained_) throw std::logic_error("this result was evaluated without explanation; use Rulebook::explain");
  return explanation_;
}

std::string Result::to_json() const {
  std::string out = "{";
  for (std::size_t i = 0; i < values_.size(); ++i)
    out += (i ? ", " : "") + json_quote(values_[i].first) + ": " + values_[i].second.to_json();
  return out + "}";
}

}  // namespace kaidah
