#include "check/checker.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>

#include "lang/values.h"
#include "load/fields.h"

namespace kaidah::detail {

int CompiledParameter::period_at(const Date& d) const {
  // History is short and sorted: the last period that started on or before `d`.
  int found = -1;
  for (int i = 0; i < static_cast<int>(history.size()) && history[i].from <= d; ++i) found = i;
  if (found >= 0 && !history[found].value.has_value()) return -1;
  return found;
}

namespace {

// The language's keywords and its functions' names: no input, parameter or decision may take one.
const std::set<std::string>& reserved_names() {
  static const std::set<std::string> names = [] {
    std::set<std::string> out = {"and", "or", "not", "if", "then", "else", "in", "true", "false",
                                 "evaluation_date", "evaluation_month", "none", "optional"};
    for (const BuiltinInfo& f : builtins()) out.emplace(f.name);
    return out;
  }();
  return names;
}

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

NodeKind node_kind(SyntaxKind k) {
  switch (k) {
    case SyntaxKind::literal: return NodeKind::literal;
    case SyntaxKind::name: return NodeKind::name;
    case SyntaxKind::unary: return NodeKind::unary;
    case SyntaxKind::binary: return NodeKind::binary;
    case SyntaxKind::if_then_else: return NodeKind::if_then_else;
    case SyntaxKind::list: return NodeKind::list;
    case SyntaxKind::call: return NodeKind::call;
    case SyntaxKind::comprehension: return NodeKind::comprehension;
    case SyntaxKind::field: return NodeKind::field;
  }
  throw std::logic_error("internal error: a syntax kind with no node kind");
}

// The syntax of `e` as nodes of the typed form, nothing resolved yet: names are still names.
NodePtr unresolved(const Expr& e) {
  auto n = std::make_unique<Node>();
  n->kind = node_kind(e.kind);
  n->offset = e.offset;
  n->op = e.op;
  n->name = e.name;
  n->value = e.value;
  n->args.reserve(e.args.size());
  for (const ExprPtr& arg : e.args) n->args.push_back(unresolved(*arg));
  return n;
}

bool is_error(const Type& t) { return t.kind == Kind::none && !t.none_literal; }
Type none_type() {
  Type t;
  t.none_literal = true;
  return t;
}

class Checker {
 public:
  Checker(const SyntaxTree& tree, const CheckLimits& limits, Diagnostics& out)
      : tree_(tree), limits_(limits), out_(out) {}

  Program run() {
    p_.name = tree_.manifest.name;
    p_.version = tree_.manifest.version;
    p_.description = tree_.manifest.description;
    p_.reform = tree_.reform;
    p_.reform_description = tree_.reform_description;
    if (too_many()) return std::move(p_);  // nothing more is checked: it could take unbounded time
    declare_all();
    // Declarations are compiled in file order, so index i of the tree is slot i of the program
    // (even for a name that failed to declare).
    for (std::size_t i = 0; i < tree_.inputs.size(); ++i) check_input(tree_.inputs[i], p_.inputs[i]);
    for (std::size_t i = 0; i < tree_.parameters.size(); ++i) check_parameter(tree_.parameters[i], p_.parameters[i]);
    deps_.resize(tree_.decisions.size());
    for (std::size_t i = 0; i < tree_.decisions.size(); ++i) check_decision(tree_.decisions[i], static_cast<int>(i));
    find_cycles();
    check_manifest();
    return std::move(p_);
  }

 private:
  // ---- declarations -------------------------------------------------------------------------

  // More declarations of a kind than the limit: the first one past it is the error.
  bool too_many() {
    bool over = false;
    auto bound = [&](const auto& decls, int max, const char* what, const char* option) {
      if (decls.size() <= static_cast<std::size_t>(std::max(max, 0))) return;
      out_.error(decls[static_cast<std::size_t>(std::max(max, 0))].location,
                 "more than " + std::to_string(max) + " " + what + " in this rulebook (" + option + ")");
      over = true;
    };
    bound(tree_.inputs, limits_.max_inputs, "inputs", "max_inputs");
    bound(tree_.parameters, limits_.max_parameters, "parameters", "max_parameters");
    bound(tree_.decisions, limits_.max_decisions, "decisions", "max_decisions");
    return over;
  }

  void declare(const std::string& name, const SourceLocation& at, SymbolKind kind, int slot) {
    static const char* const kKind[] = {"an input", "a parameter", "a decision"};
    if (!is_identifier(name)) {
      out_.error(at, "'" + name + "' is not a valid name (use letters, digits and '_', starting with a letter)");
      return;
    }
    if (reserved_names().count(name)) {
      out_.error(at, "'" + name + "' is a reserved word of the expression language; choose another name");
      return;
    }
    auto [it, inserted] = p_.symbols.emplace(name, Symbol{kind, slot});
    if (!inserted) {
      const SourceLocation& first = location_of(it->second);
      out_.error(at, "'" + name + "' is already declared as " + kKind[static_cast<int>(it->second.kind)] + " at " +
                         to_string(first));
    }
  }

  const SourceLocation& location_of(const Symbol& s) const {
    switch (s.kind) {
      case SymbolKind::input: return tree_.inputs[s.slot].location;
      case SymbolKind::parameter: return tree_.parameters[s.slot].location;
      default: return tree_.decisions[s.slot].location;
    }
  }

  // The type `spec` declares. Records (the fields of a `list of record`) only where
  // `record_allowed`: they are facts a case gives, not values rules compute or regulations set.
  Type declared_type(const TypeSpec& spec, bool record_allowed = false) {
    if (spec.name.empty()) return Type{};
    std::string why;
    auto t = parse_type(spec.name, spec.values, why);
    if (!t) {
      out_.error(spec.location, why);
      return Type{};
    }
    if (t->element != Kind::record) {
      if (!spec.fields.empty()) out_.error(spec.location, "'fields' is only for inputs of type 'list of record'");
      return *t;
    }
    if (!record_allowed) {
      out_.error(spec.location, "'list of record' is only for inputs");
      return Type{};
    }
    if (spec.fields.empty()) {
      out_.error(spec.location, "a 'list of record' input needs its 'fields'");
      return Type{};
    }
    auto record = std::make_shared<RecordType>();
    for (const FieldDecl& f : spec.fields) {
      RecordField field{f.name, declared_type(f.type), Value(), f.description};
      if (!is_identifier(f.name)) {
        out_.error(f.location, "'" + f.name + "' is not a valid field name (use letters, digits and '_', starting with a letter)");
      } else if (reserved_names().count(f.name)) {
        out_.error(f.location, "'" + f.name + "' is a reserved word of the expression language; choose another field name");
      }
      if (field.type.kind == Kind::list) {
        out_.error(f.type.location, "a record field holds a single value, not a list");
        field.type = Type{};
      }
      if (f.default_value && !is_error(field.type)) {
        if (auto v = convert(*f.default_value, field.type, why)) {
          field.default_value = *v;
        } else {
          out_.error(f.default_value->location, "default of field '" + f.name + "': " + why);
        }
      }
      record->fields.push_back(std::move(field));
    }
    t->record = std::move(record);
    return *t;
  }

  void declare_all() {
    for (std::size_t i = 0; i < tree_.inputs.size(); ++i) {
      const InputDecl& d = tree_.inputs[i];
      declare(d.name, d.location, SymbolKind::input, static_cast<int>(i));
      p_.inputs.push_back({d.name, declared_type(d.type, /*record_allowed=*/true), d.type.name, d.description, d.unit, d.legal_basis,
                           Value(), std::nullopt, std::nullopt, d.location, d.labels.labels});
      check_labels(d.labels, p_.inputs.back().type, "input '" + d.name + "'");
    }
    for (std::size_t i = 0; i < tree_.parameters.size(); ++i) {
      const ParameterDecl& d = tree_.parameters[i];
      declare(d.name, d.location, SymbolKind::parameter, static_cast<int>(i));
      p_.parameters.push_back({d.name, declared_type(d.type), d.type.name, d.description, d.unit, {}, d.location});
    }
    for (std::size_t i = 0; i < tree_.decisions.size(); ++i) {
      const DecisionDecl& d = tree_.decisions[i];
      declare(d.name, d.location, SymbolKind::decision, static_cast<int>(i));
      CompiledDecision c;
      c.name = d.name;
      c.type = declared_type(d.type);
      c.type_name = d.type.name;
      c.description = d.description;
      c.unit = d.unit;
      c.legal_basis = d.legal_basis;
      c.optional = d.optional;
      c.from_reform = d.from_reform;
      c.location = d.location;
      c.labels = d.labels.labels;
      check_labels(d.labels, c.type, "decision '" + d.name + "'");
      p_.decisions.push_back(std::move(c));
    }
  }

  // `outputs` and `payers` name decisions; a payer's decision is a number (what it pays). The
  // report's group_by is an enum or bool decision; its change_bands ascending whole numbers.
  void check_manifest() {
    std::vector<std::string> decisions;
    for (const auto& d : p_.decisions) decisions.push_back(d.name);
    auto decision = [&](const std::string& name, const SourceLocation& at, const std::string& what) -> const CompiledDecision* {
      const auto it = std::find(decisions.begin(), decisions.end(), name);
      if (it != decisions.end()) return &p_.decisions[static_cast<std::size_t>(it - decisions.begin())];
      const std::string guess = closest(name, decisions);
      out_.error(at, what + ": no decision '" + name + "'" + (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
      return nullptr;
    };
    for (const auto& [name, at] : tree_.manifest.outputs) {
      if (std::count(p_.outputs.begin(), p_.outputs.end(), name)) {
        out_.error(at, "'outputs' lists '" + name + "' twice");
      } else if (decision(name, at, "'outputs'")) {
        p_.outputs.push_back(name);
      }
    }
    for (const auto& [payer, name, at] : tree_.manifest.payers) {
      const CompiledDecision* d = decision(name, at, "payer '" + payer + "'");
      if (d && !d->type.numeric()) {
        out_.error(at, "payer '" + payer + "': decision '" + name + "' is of type " + d->type_name + ", not an amount");
      } else if (d) {
        p_.payers.emplace_back(payer, name);
      }
    }
    if (const auto& group = tree_.manifest.group_by) {
      const CompiledDecision* d = decision(group->first, group->second, "'group_by'");
      if (d && !(d->type.kind == Kind::text && d->type.is_enum()) && d->type.kind != Kind::boolean) {
        out_.error(group->second, "'group_by': decision '" + group->first + "' is of type " + d->type_name +
                                      "; people are grouped by an enum or a bool");
      } else if (d) {
        p_.group_by = group->first;
      }
    }
    check_work_lists(decision);
    check_summary(decision);
    for (const auto& [text, at] : tree_.manifest.change_bands) {
      const std::optional<Decimal> edge = Decimal::try_parse(text);
      if (!edge || !edge->is_integer() || edge->sign() <= 0) {
        out_.error(at, "'change_bands': '" + text + "' is not a whole number above 0");
      } else if (!p_.change_bands.empty() && *edge <= p_.change_bands.back()) {
        out_.error(at, "'change_bands': " + text + " is not above the edge before it; list the edges in ascending order");
      } else {
        p_.change_bands.push_back(*edge);
      }
    }
  }

  // Each work list: a bool decision says who is on it, and it shows outputs (people.csv's columns).
  template <class Find>
  void check_work_lists(Find&& decision) {
    for (const WorkListDecl& l : tree_.manifest.work_lists) {
      if (l.name == "incomplete") {
        out_.error(l.location, "work list 'incomplete' is the sweep's own (the people whose facts are missing); choose another name");
        continue;
      }
      WorkListInfo info{l.name, "", {}, l.label, l.note};
      bool ok = true;
      if (l.when) {
        ok = check_condition(*l.when, "work list '" + l.name + "'", "when", decision, "a work list takes the people for whom a bool decision holds",
                             "would be on no list");
      }
      if (l.when) info.when = l.when->first;
      for (const auto& [name, at] : l.columns) {
        if (std::count(info.columns.begin(), info.columns.end(), name)) {
          out_.error(at, "work list '" + l.name + "' shows '" + name + "' twice");
          ok = false;
          continue;
        }
        if (std::find(p_.outputs.begin(), p_.outputs.end(), name) != p_.outputs.end()) {
          info.columns.push_back(name);
          continue;
        }
        const std::string guess = closest(name, p_.outputs);
        out_.error(at, "work list '" + l.name + "': '" + name + "' is not among the outputs (people.csv's columns)" +
                           (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
        ok = false;
      }
      if (ok) p_.work_lists.push_back(std::move(info));
    }
  }

  // The decision a report's declaration names at `key` ("when", "count", "sum"...), one of `kind`
  // ("a bool decision"): an input, a parameter or an expression there is told what to write
  // instead. nullptr when it is none.
  template <class Find>
  const CompiledDecision* decision_named(const std::pair<std::string, SourceLocation>& named, const std::string& owner,
                                         std::string_view key, std::string_view kind, Find&& decision) {
    const auto& [name, at] = named;
    const std::string takes = "'" + std::string(key) + "' takes the name of " + std::string(kind);
    if (name.empty()) {
      out_.error(at, owner + ": " + takes);
      return nullptr;
    }
    if (!is_identifier(name)) {
      out_.error(at, owner + ": " + takes + ", not an expression; declare " + std::string(kind) + " with the formula \"" + name +
                         "\" and name it here");
      return nullptr;
    }
    if (const Symbol* s = p_.find(name); s && s->kind != SymbolKind::decision) {
      out_.error(at, owner + ": '" + name + "' is " + (s->kind == SymbolKind::input ? "an input" : "a parameter") + "; " +
                         takes + " (declare one that reads it)");
      return nullptr;
    }
    return decision(name, at, owner);
  }

  // A list's or a figure's `when`, or a figure's `count`: a bool decision that always has a value
  // (an optional one's none would leave a person out unsaid). `why`: what the bool decision is
  // for; `unsaid`: where a person with no value would be.
  template <class Find>
  bool check_condition(const std::pair<std::string, SourceLocation>& named, const std::string& owner, std::string_view key,
                       Find&& decision, const std::string& why, const std::string& unsaid) {
    const CompiledDecision* d = decision_named(named, owner, key, "a bool decision", decision);
    if (!d) return false;
    if (d->type.kind != Kind::boolean) {
      out_.error(named.second, owner + ": decision '" + named.first + "' is of type " + d->type_name + "; " + why);
      return false;
    }
    if (d->optional) {
      out_.error(named.second, owner + ": decision '" + named.first + "' is optional; a person for whom it has no value " +
                                   unsaid + ", unsaid: give it a value in every case");
      return false;
    }
    return true;
  }

  // The sweep's summary: each figure's decisions of the types it reads, none optional (its none
  // would leave a person out of the figure unsaid), band edges ascending, a section's headline one
  // of its numbers, and no name the sweep's summary.json keeps for itself.
  template <class Find>
  void check_summary(Find&& decision) {
    static const std::set<std::string> kSweepKeys = {"roster", "rulebook", "date", "rows", "work_lists", "column_problems", "row_errors"};
    for (const SummaryFigureDecl& f : tree_.manifest.summary) {
      if (kSweepKeys.count(f.name)) {
        out_.error(f.location, "summary figure '" + f.name + "': summary.json keeps '" + f.name + "' for the sweep's own; choose another name");
      } else if (std::optional<SummaryFigureInfo> info = check_figure(f, "", decision)) {
        p_.summary.push_back(std::move(*info));
      }
    }
  }

  // A figure; `section` is the name of the section it is in, if any ("arrears.people").
  template <class Find>
  std::optional<SummaryFigureInfo> check_figure(const SummaryFigureDecl& f, const std::string& section, Find&& decision) {
    using FigureKind = SummaryFigureInfo::Kind;
    const std::string owner = "summary figure '" + (section.empty() ? "" : section + ".") + f.name + "'";
    if (!is_identifier(f.name)) {
      out_.error(f.location, owner + ": a figure's name is its key in summary.json: letters, digits and _, like by_segment");
      return std::nullopt;
    }
    SummaryFigureInfo info;
    info.name = f.name;
    info.label = f.label;
    bool ok = true;
    if (f.section) {
      info.kind = FigureKind::section;
      for (const SummaryFigureDecl& g : f.figures) {
        std::optional<SummaryFigureInfo> checked = check_figure(g, f.name, decision);
        ok = ok && checked;
        if (checked) info.figures.push_back(std::move(*checked));
      }
      if (f.headline) {
        const std::string& name = f.headline->first;
        const auto it = std::find_if(f.figures.begin(), f.figures.end(), [&](const SummaryFigureDecl& g) { return g.name == name; });
        std::string figures;
        for (const SummaryFigureDecl& g : f.figures) figures += (figures.empty() ? "" : ", ") + g.name;
        if (it == f.figures.end()) {
          out_.error(f.headline->second, owner + ": 'headline' names one of its figures (" + figures + "), not '" + name + "'");
          ok = false;
        } else if (it->count_by || it->by) {
          out_.error(f.headline->second, owner + ": 'headline' names a figure that is one number (a count, or a sum without "
                                                 "'by'); '" + name + "' is broken down by values or bands");
          ok = false;
        }
        info.headline = name;
      }
      return ok ? std::optional(std::move(info)) : std::nullopt;
    }
    // The decision a figure reads, of one of the kinds it takes and never without a value.
    const auto typed = [&](const SummaryFigureDecl::Name& named, std::string_view key, std::string_view wanted,
                           const std::function<bool(const CompiledDecision&)>& fits) {
      const CompiledDecision* d = decision_named(named, owner, key, "a decision", decision);
      if (d && !fits(*d)) {
        out_.error(named.second, owner + ": '" + std::string(key) + "' takes " + std::string(wanted) + "; decision '" +
                                     named.first + "' is of type " + d->type_name);
        d = nullptr;
      } else if (d && d->optional) {
        out_.error(named.second, owner + ": decision '" + named.first + "' is optional; a person for whom it has no value "
                                         "would be counted nowhere, unsaid: give it a value in every case");
        d = nullptr;
      }
      ok = ok && d;
      return d;
    };
    const auto grouping = [](const CompiledDecision& d) { return d.type.is_enum() || d.type.kind == Kind::boolean; };
    if (f.count) {
      info.kind = FigureKind::count;
      info.decision = f.count->first;
      ok = check_condition(*f.count, owner, "count", decision, "'count' counts the people for whom a bool decision holds",
                           "would be counted nowhere") && ok;
    } else if (f.count_by) {
      info.kind = FigureKind::count_by;
      info.decision = f.count_by->first;
      const CompiledDecision* d = typed(*f.count_by, "count_by", "an enum, a bool, or an integer with 'bands'", [&](const CompiledDecision& d) {
        return grouping(d) || d.type.kind == Kind::integer;
      });
      if (d && d->type.kind == Kind::integer && f.bands.empty()) {
        out_.error(f.count_by->second, owner + ": counting by integer decision '" + info.decision +
                                           "' needs 'bands', the lowest value of each band, like [0, 1, 4, 13]");
        ok = false;
      }
      if (d && d->type.kind != Kind::integer && !f.bands.empty()) {
        out_.error(f.bands.front().second, owner + ": 'bands' are of an integer decision; '" + info.decision + "' is of type " + d->type_name);
        ok = false;
      }
    } else if (f.sum) {
      info.kind = FigureKind::sum;
      info.decision = f.sum->first;
      typed(*f.sum, "sum", "a number (an integer or a decimal)", [](const CompiledDecision& d) { return d.type.numeric(); });
      if (f.by) {
        info.by = f.by->first;
        typed(*f.by, "by", "an enum or a bool", grouping);
      }
    } else {
      return std::nullopt;  // the loader said it
    }
    for (const auto& [text, at] : f.bands) {
      const std::optional<Decimal> parsed = Decimal::try_parse(text);
      const std::optional<std::int64_t> edge = parsed ? parsed->scaled(0) : std::nullopt;
      if (!edge) {
        out_.error(at, owner + ": band '" + text + "' is not a whole number" + (parsed && parsed->is_integer() ? " of 64 bits" : ""));
        ok = false;
      } else if (!info.bands.empty() && *edge <= info.bands.back()) {
        out_.error(at, owner + ": band " + text + " is not above the band before it; list them in ascending order");
        ok = false;
      } else {
        info.bands.push_back(*edge);
      }
    }
    if (f.when) {
      info.when = f.when->first;
      ok = check_condition(*f.when, owner, "when", decision, "'when' takes the people for whom a bool decision holds",
                           "would be counted nowhere") && ok;
    }
    return ok ? std::optional(std::move(info)) : std::nullopt;
  }

  // value_labels name declared values only, and label every value in each language they use
  // (a report must not fall back to a code for one value).
  void check_labels(const LabelsDecl& d, const Type& type, const std::string& owner) {
    if (!d.has_value_labels || is_error(type)) return;
    if (!type.is_enum()) {
      out_.error(d.value_labels_location, "'value_labels' of " + owner + ": only an enum has values to label");
      return;
    }
    const std::vector<std::string>& values = *type.enum_values;
    for (const auto& [value, at] : d.value_keys) {
      if (std::find(values.begin(), values.end(), value) != values.end()) continue;
      const std::string guess = closest(value, values);
      out_.error(at, "'" + value + "' is not a value of " + owner + (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
    }
    std::set<std::string> languages;
    for (const auto& [value, label] : d.labels.values)
      for (const auto& [language, text] : label) languages.insert(language);
    for (const std::string& language : languages) {
      std::string unlabelled;
      for (const std::string& value : values) {
        const auto it = d.labels.values.find(value);
        if (it == d.labels.values.end() || !it->second.count(language)) unlabelled += (unlabelled.empty() ? "" : ", ") + value;
      }
      if (!unlabelled.empty())
        out_.error(d.value_labels_location, "'value_labels' of " + owner + " give no '" + language + "' label for: " + unlabelled);
    }
  }

  void check_input(const InputDecl& d, CompiledInput& c) {
    if (is_error(c.type)) return;
    std::string why;
    if (d.default_value) {
      if (auto v = convert(*d.default_value, c.type, why)) {
        c.default_value = *v;
      } else {
        out_.error(d.default_value->location, "default of input '" + d.name + "': " + why);
      }
    }
    auto bound = [&](const std::optional<RawValue>& raw, const char* key) -> std::optional<Decimal> {
      if (!raw) return std::nullopt;
      if (!c.type.numeric()) {
        out_.error(raw->location, std::string("'") + key + "' is only for integer and decimal inputs");
        return std::nullopt;
      }
      auto v = convert(*raw, scalar(Kind::decimal), why);
      if (!v) {
        out_.error(raw->location, std::string(key) + " of input '" + d.name + "': " + why);
        return std::nullopt;
      }
      return v->as_decimal();
    };
    c.minimum = bound(d.minimum, "minimum");
    c.maximum = bound(d.maximum, "maximum");
    if (c.minimum && c.maximum && *c.minimum > *c.maximum) {
      out_.error(d.maximum->location, "maximum of input '" + d.name + "' is below its minimum");
    } else if (c.default_value.has_value() && c.type.numeric()) {
      // A default is used as if the case gave it: the case's own bounds apply, in the case's words.
      const Decimal v = c.default_value.as_number();
      if (c.minimum && v < *c.minimum) {
        out_.error(d.default_value->location, "default of input '" + d.name + "': " + c.default_value.to_string() +
                                                  " is below the minimum " + c.minimum->to_string());
      } else if (c.maximum && v > *c.maximum) {
        out_.error(d.default_value->location, "default of input '" + d.name + "': " + c.default_value.to_string() +
                                                  " is above the maximum " + c.maximum->to_string());
      }
    }
  }

  void check_parameter(const ParameterDecl& d, CompiledParameter& c) {
    if (is_error(c.type)) return;
    for (const ParameterValueDecl& v : d.values) {
      auto from = Date::try_parse(v.effective_from);
      if (!from) {
        std::string why;
        try {
          Date::parse(v.effective_from);
        } catch (const std::exception& e) {
          why = e.what();
        }
        out_.error(v.location, "effective_from of parameter '" + d.name + "': " + why);
        continue;
      }
      if (!c.history.empty() && !(c.history.back().from < *from)) {
        out_.error(v.location, "values of parameter '" + d.name + "' must be in date order: " + from->to_string() +
                                   " does not come after " + c.history.back().from.to_string());
        continue;
      }
      Value value;
      if (v.value.shape != RawValue::Shape::null) {
        std::string why;
        auto converted = convert(v.value, c.type, why);
        if (!converted) {
          out_.error(v.value.location, "value of parameter '" + d.name + "' from " + from->to_string() + ": " + why);
          continue;
        }
        value = *converted;
      } else if (c.history.empty()) {
        out_.error(v.location, "the first value of parameter '" + d.name + "' cannot be null (null ends a parameter)");
        continue;
      }
      c.history.push_back({*from, value, v.legal_basis, v.location, v.from_reform});
    }
  }

  // ---- expressions --------------------------------------------------------------------------

  struct Scope {
    const ScalarText* text;
    int decision;
    std::vector<std::pair<std::string, Type>> locals;
  };

  void error(const Scope& s, const Node& e, std::string message) { out_.error(s.text->locate(e.offset), std::move(message)); }

  // The typed form of a formula: the syntax tree the parser gives (never changed) read into nodes,
  // which infer() resolves and types.
  std::optional<CompiledExpression> typed(const ScalarText& text, int decision) {
    const ExprPtr syntax = parse_expression(text, limits_.expression, out_);
    if (!syntax) return std::nullopt;
    CompiledExpression c{text, unresolved(*syntax)};
    Scope scope{&c.text, decision, {}};
    infer(*c.root, scope);
    return c;
  }

  // Checks that an expression of type `got` (root `e`) can be stored where `want` is expected.
  bool assignable(Node& e, const Type& want, Scope& s, const std::string& what) {
    const Type& got = e.type;
    if (is_error(got) || is_error(want) || got.none_literal) return true;
    if (want.kind == Kind::decimal && got.numeric()) return true;
    const bool widening = want.element == Kind::decimal && got.element == Kind::integer;
    if (want.kind == Kind::list && got.kind == Kind::list &&
        (got.element == want.element || got.element == Kind::none || widening) && (!want.is_enum() || enum_fits(e, want, s)))
      return true;
    if (want.kind == got.kind && want.kind != Kind::list) {
      if (!want.is_enum()) return true;
      if (enum_fits(e, want, s)) return true;
    }
    error(s, e, what + " is declared " + describe(want) + " but this gives " + describe(got) +
                    (want.kind == Kind::integer && got.kind == Kind::decimal ? big_literal_note(e, s) : ""));
    return false;
  }

  // Where an integer is expected and `e` gives a decimal: a whole-number literal beyond the
  // integer range, read as a decimal (in a decimal context it may be meant as one), is the likely
  // reason, and the note says so.
  static std::string big_literal_note(const Node& e, const Scope& s) {
    if (e.kind == NodeKind::literal && e.value.kind() == Kind::decimal) {
      const std::string_view text = std::string_view(s.text->text).substr(std::min<std::size_t>(e.offset, s.text->text.size()));
      const std::size_t end = std::min(text.find_first_not_of("0123456789"), text.size());
      if (end > 0 && (end == text.size() || text[end] != '.')) {
        return "; integer literal " + std::string(text.substr(0, end)) +
               " is out of range (an integer is at most 9223372036854775807)";
      }
    }
    for (const auto& a : e.args)
      if (std::string note = big_literal_note(*a, s); !note.empty()) return note;
    return "";
  }

  // True if every value `e` can produce is one of `want`'s enum values; literals outside are
  // reported where they stand.
  bool enum_fits(Node& e, const Type& want, Scope& s) {
    if (e.type.none_literal) return true;
    if (e.kind == NodeKind::literal && e.value.kind() == Kind::text) {
      if (std::find(want.enum_values->begin(), want.enum_values->end(), e.value.as_text()) == want.enum_values->end()) {
        error(s, e, not_an_enum_value(e.value.as_text(), *want.enum_values));
      }
      return true;  // reported precisely above, if at all
    }
    if (e.kind == NodeKind::if_then_else) return enum_fits(*e.args[1], want, s) && enum_fits(*e.args[2], want, s);
    if (e.kind == NodeKind::list) {
      bool ok = true;
      for (auto& item : e.args) ok = enum_fits(*item, want, s) && ok;
      return ok;
    }
    if (!e.type.is_enum()) return false;
    for (const std::string& v : *e.type.enum_values) {
      if (std::find(want.enum_values->begin(), want.enum_values->end(), v) == want.enum_values->end()) return false;
    }
    return true;
  }

  // The common type of two branches (if/else, list items, min/max), or an error type.
  std::optional<Type> unify(const Type& a, const Type& b) {
    if (a.none_literal) return b;
    if (b.none_literal) return a;
    if (a.numeric() && b.numeric()) return scalar(a.kind == Kind::integer && b.kind == Kind::integer ? Kind::integer : Kind::decimal);
    if (a.kind != b.kind) return std::nullopt;
    if (a.record != b.record) return std::nullopt;
    if (a.kind == Kind::list) {
      if (a.element == Kind::none) return b;
      if (b.element == Kind::none || a.element == b.element) return a;
      return std::nullopt;
    }
    if (a.kind == Kind::text && (a.is_enum() || b.is_enum())) {
      if (!a.is_enum()) return b;
      if (!b.is_enum()) return a;
      std::vector<std::string> all = *a.enum_values;
      for (const auto& v : *b.enum_values)
        if (std::find(all.begin(), all.end(), v) == all.end()) all.push_back(v);
      Type t = a;
      t.enum_values = std::make_shared<const std::vector<std::string>>(std::move(all));
      return t;
    }
    return a;
  }

  // Literal text compared with an enum must be one of its values.
  void check_enum_literal(Node& maybe_literal, const Type& other, Scope& s) {
    if (!other.is_enum()) return;
    if (maybe_literal.kind == NodeKind::literal && maybe_literal.value.kind() == Kind::text) {
      enum_fits(maybe_literal, other, s);
    } else if (maybe_literal.kind == NodeKind::list) {
      for (auto& item : maybe_literal.args) check_enum_literal(*item, other, s);
    }
  }

  Type infer(Node& e, Scope& s) {
    e.type = infer_impl(e, s);
    return e.type;
  }

  Type infer_impl(Node& e, Scope& s) {
    switch (e.kind) {
      case NodeKind::literal:
        if (!e.value.has_value()) {
          if (s.decision < 0 || !tree_.decisions[s.decision].optional) {
            error(s, e, "'none' is only allowed in a decision declared 'optional: true'");
            return Type{};
          }
          return none_type();
        }
        return scalar(e.value.kind());
      case NodeKind::name:
        return resolve_name(e, s);
      case NodeKind::unary: {
        const Type t = infer(*e.args[0], s);
        if (is_error(t)) return t;
        if (e.op == Op::not_) {
          if (t.kind != Kind::boolean) error(s, *e.args[0], "'not' needs a bool, got " + describe(t));
          return scalar(Kind::boolean);
        }
        if (!t.numeric()) {
          error(s, e, "'-' needs a number, got " + describe(t));
          return Type{};
        }
        return t;
      }
      case NodeKind::binary:
        return infer_binary(e, s);
      case NodeKind::if_then_else: {
        const Type c = infer(*e.args[0], s);
        if (!is_error(c) && c.kind != Kind::boolean) error(s, *e.args[0], "the condition of 'if' must be a bool, got " + describe(c));
        const Type a = infer(*e.args[1], s), b = infer(*e.args[2], s);
        if (is_error(a) || is_error(b)) return Type{};
        auto t = unify(a, b);
        if (!t) {
          error(s, *e.args[2], "'then' gives " + describe(a) + " but 'else' gives " + describe(b));
          return Type{};
        }
        return *t;
      }
      case NodeKind::list: {
        Type t = Type{Kind::list, Kind::none, nullptr, nullptr};
        std::optional<Type> element;
        for (auto& item : e.args) {
          const Type it = infer(*item, s);
          if (is_error(it)) return Type{};
          if (it.kind == Kind::list) {
            error(s, *item, "lists cannot contain lists");
            return Type{};
          }
          auto u = element ? unify(*element, it) : std::optional<Type>(it);
          if (!u) {
            error(s, *item, "list items must have one type: " + describe(*element) + " and " + describe(it));
            return Type{};
          }
          element = u;
        }
        return element ? list_of(*element) : t;
      }
      case NodeKind::call:
        return infer_call(e, s);
      case NodeKind::field: {
        const Type t = infer(*e.args[0], s);
        if (is_error(t)) return t;
        if (t.kind != Kind::record) {
          error(s, e, "'." + e.name + "' needs a record (an item of a list of records), got " + describe(t));
          return Type{};
        }
        e.slot = t.record->find(e.name);
        if (e.slot < 0) {
          std::vector<std::string> names;
          for (const RecordField& f : t.record->fields) names.push_back(f.name);
          const std::string guess = closest(e.name, names);
          error(s, e, "the record has no field '" + e.name + "'" + (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
          return Type{};
        }
        return t.record->fields[e.slot].type;
      }
      case NodeKind::comprehension:
        return infer_comprehension(e, s);
      default:
        return Type{};
    }
  }

  Type resolve_name(Node& e, Scope& s) {
    for (int i = static_cast<int>(s.locals.size()) - 1; i >= 0; --i) {
      if (s.locals[i].first == e.name) {
        e.kind = NodeKind::local;
        e.slot = i;
        return s.locals[i].second;
      }
    }
    if (e.name == "evaluation_date") {
      e.kind = NodeKind::evaluation_date;
      return scalar(Kind::date);
    }
    if (e.name == "evaluation_month") {
      e.kind = NodeKind::evaluation_month;
      return scalar(Kind::month);
    }
    const Symbol* sym = p_.find(e.name);
    if (!sym) {
      std::vector<std::string> names;
      for (const auto& [n, _] : p_.symbols) names.push_back(n);
      for (const auto& [n, _] : s.locals) names.push_back(n);
      std::sort(names.begin(), names.end());
      const std::string guess = closest(e.name, names);
      std::string message = "unknown name '" + e.name + "'";
      if (!guess.empty()) message += "; did you mean '" + guess + "'?";
      if (rounding_name(e.name)) message += "; a rounding mode is only allowed as the third argument of round()";
      error(s, e, message + text_literal_hint(e.name, s));
      return Type{};
    }
    e.slot = sym->slot;
    switch (sym->kind) {
      case SymbolKind::input:
        e.kind = NodeKind::input;
        return p_.inputs[sym->slot].type;
      case SymbolKind::parameter:
        e.kind = NodeKind::parameter;
        return p_.parameters[sym->slot].type;
      case SymbolKind::decision:
        e.kind = NodeKind::decision;
        deps_[s.decision].push_back({sym->slot, s.text->locate(e.offset)});
        return p_.decisions[sym->slot].type;
    }
    return Type{};
  }

  static bool rounding_name(const std::string& n) { return parse_rounding(n).has_value(); }

  // For an unknown name that is a value of the current decision's enum: say how to write text.
  std::string text_literal_hint(const std::string& name, const Scope& s) const {
    if (s.decision < 0) return "";
    const Type& t = p_.decisions[s.decision].type;
    if (t.is_enum() && std::find(t.enum_values->begin(), t.enum_values->end(), name) != t.enum_values->end()) {
      return "; to give the text value, quote it inside the expression: \"'" + name + "'\"";
    }
    return "";
  }

  Type infer_binary(Node& e, Scope& s) {
    const Type a = infer(*e.args[0], s), b = infer(*e.args[1], s);
    if (is_error(a) || is_error(b)) return Type{};
    auto mismatch = [&](const char* op) {
      error(s, e, std::string("cannot apply '") + op + "' to " + describe(a) + " and " + describe(b) +
                      (a.kind == Kind::date || a.kind == Kind::month ? "; use add_days, add_months or months_between" : ""));
      return Type{};
    };
    switch (e.op) {
      case Op::add: case Op::sub: case Op::mul: case Op::div: {
        static const char* const kSym[] = {"", "", "+", "-", "*", "/"};
        if (!a.numeric() || !b.numeric()) return mismatch(kSym[static_cast<int>(e.op)]);
        if (e.op == Op::div) return scalar(Kind::decimal);
        return scalar(a.kind == Kind::integer && b.kind == Kind::integer ? Kind::integer : Kind::decimal);
      }
      case Op::and_: case Op::or_:
        if (a.kind != Kind::boolean || b.kind != Kind::boolean) return mismatch(e.op == Op::and_ ? "and" : "or");
        return scalar(Kind::boolean);
      case Op::eq: case Op::ne: case Op::lt: case Op::le: case Op::gt: case Op::ge: {
        static const char* const kSym[] = {"==", "!=", "<", "<=", ">", ">="};
        const char* sym = kSym[static_cast<int>(e.op) - static_cast<int>(Op::eq)];
        const bool ordering = e.op != Op::eq && e.op != Op::ne;
        const bool numbers = a.numeric() && b.numeric();
        const bool same = a.kind == b.kind && a.kind != Kind::list && a.kind != Kind::record;
        if (!numbers && !same) return mismatch(sym);
        if (ordering && !numbers && a.kind != Kind::date && a.kind != Kind::month) return mismatch(sym);
        check_enum_literal(*e.args[1], a, s);
        check_enum_literal(*e.args[0], b, s);
        return scalar(Kind::boolean);
      }
      case Op::in: case Op::not_in: {
        if (b.kind != Kind::list) {
          error(s, *e.args[1], "the right side of 'in' must be a list, got " + describe(b));
          return Type{};
        }
        if (b.element != Kind::none && !unify(a, element_of(b))) {
          error(s, e, "cannot look for " + describe(a) + " in a " + describe(b));
          return Type{};
        }
        check_enum_literal(*e.args[1], a, s);
        return scalar(Kind::boolean);
      }
      default:
        return Type{};
    }
  }

  // date('2025-01-01') or month('2025-01') read now, as the checker must read the text to check
  // it: the call becomes the literal it gives (no work at evaluation), or the text's error.
  template <class Read>
  Type fold_literal(Node& e, const Scope& s, Kind kind, Read read) {
    try {
      e.value = read(e.args[0]->value.as_text());
    } catch (const std::exception& ex) {
      error(s, *e.args[0], ex.what());
      return Type{};
    }
    e.kind = NodeKind::literal;
    e.args.clear();
    return scalar(kind);
  }

  Type infer_call(Node& e, Scope& s) {
    const BuiltinInfo* spec = find_builtin(e.name);
    if (!spec || !spec->callable()) {
      if (spec) {  // map, filter, first
        error(s, e, std::string(spec->name) + "() goes over a list: " + std::string(spec->over.signature));
      } else {
        std::vector<std::string> names;
        for (const BuiltinInfo& f : builtins()) names.emplace_back(f.name);
        const std::string guess = closest(e.name, names);
        error(s, e, "unknown function '" + e.name + "'" + (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
      }
      for (auto& a : e.args) infer(*a, s);
      return Type{};
    }
    e.builtin = spec->id;
    const int n = static_cast<int>(e.args.size());
    if (n < spec->min_args || n > spec->max_args) {
      // The count it takes, or the bound passed: min() of 1,000 values is told the limit is 64.
      const std::string want = spec->min_args == spec->max_args  ? std::to_string(spec->min_args)
                               : spec->id == Builtin::date  ? "1 or 3"
                               : n < spec->min_args              ? "at least " + std::to_string(spec->min_args)
                                                                 : "at most " + std::to_string(spec->max_args);
      const bool one = want == "1" || want == "at least 1";
      std::string message = std::string(spec->name) + "() takes " + want + " argument" + (one ? "" : "s") + ", got " +
                            std::to_string(n);
      if (spec->id == Builtin::round && n == 2) message += "; name the rounding mode: round(x, 0, half_up)";
      if (spec->id == Builtin::quotient && n == 2) message += "; name the rounding mode: quotient(a, b, down)";
      if (spec->aggregates() && n == 2)
        message += "; to aggregate over a list write " + std::string(spec->name) + "(x in list, expression)";
      error(s, e, message);
      return Type{};
    }
    // Arguments that are names of things rather than values.
    if (spec->id == Builtin::at) return infer_at(e, s);
    if (spec->id == Builtin::has) {
      Node& arg = *e.args[0];
      const Symbol* sym = arg.kind == NodeKind::name ? p_.find(arg.name) : nullptr;
      const bool optional_decision = sym && sym->kind == SymbolKind::decision && tree_.decisions[sym->slot].optional;
      if (!sym || (sym->kind != SymbolKind::input && !optional_decision)) {
        error(s, arg, "has() takes the name of an input or of an optional decision");
        return Type{};
      }
      if (optional_decision) {
        arg.kind = NodeKind::decision;
        deps_[s.decision].push_back({sym->slot, s.text->locate(arg.offset)});
        arg.slot = sym->slot;
        arg.type = p_.decisions[sym->slot].type;
        return scalar(Kind::boolean);
      }
      arg.kind = NodeKind::input;
      arg.slot = sym->slot;
      arg.type = p_.inputs[sym->slot].type;
      return scalar(Kind::boolean);
    }
    if (spec->id == Builtin::round) return infer_round(e, s);
    if (spec->id == Builtin::quotient) return infer_quotient(e, s);

    std::vector<Type> t;
    for (auto& a : e.args) t.push_back(infer(*a, s));
    for (const Type& x : t)
      if (is_error(x)) return Type{};
    auto arg_error = [&](int i, const std::string& expected) {
      const bool integer_wanted = expected == "an integer" && t[i].kind == Kind::decimal;
      error(s, *e.args[i], std::string(spec->name) + "() expects " + expected + " as argument " + std::to_string(i + 1) +
                               ", got " + describe(t[i]) + (integer_wanted ? big_literal_note(*e.args[i], s) : ""));
      return Type{};
    };
    auto is = [&](int i, Kind k) { return t[i].kind == k; };
    switch (spec->id) {
      case Builtin::min:
      case Builtin::max: {
        if (n == 1) {
          error(s, e, std::string(spec->name) + "() needs two or more values, or the form " + std::string(spec->over.signature));
          return Type{};
        }
        Type acc = t[0];
        for (int i = 0; i < n; ++i) {
          if (!t[i].numeric() && !is(i, Kind::date) && !is(i, Kind::month)) return arg_error(i, "numbers, dates or months");
          auto u = unify(acc, t[i]);
          if (!u) return arg_error(i, describe(acc));
          acc = *u;
        }
        return acc;
      }
      case Builtin::clamp: {
        Type acc = t[0];
        for (int i = 0; i < 3; ++i) {
          if (!t[i].numeric() && !is(i, Kind::date)) return arg_error(i, "a number or a date");
          auto u = unify(acc, t[i]);
          if (!u) return arg_error(i, describe(acc));
          acc = *u;
        }
        return acc;
      }
      case Builtin::abs:
        if (!t[0].numeric()) return arg_error(0, "a number");
        return t[0];
      case Builtin::date:
        if (n == 1) {
          if (!(is(0, Kind::text) && e.args[0]->kind == NodeKind::literal))
            return arg_error(0, "a text literal like '2025-01-01'");
          return fold_literal(e, s, Kind::date, [](const std::string& text) { return Value(Date::parse(text)); });
        }
        if (n != 3) {
          error(s, e, "date() takes a text literal like '2025-01-01', or year, month and day");
          return Type{};
        }
        for (int i = 0; i < 3; ++i)
          if (!is(i, Kind::integer)) return arg_error(i, "an integer");
        return scalar(Kind::date);
      case Builtin::month:
        if (is(0, Kind::date)) return scalar(Kind::month);
        if (!(is(0, Kind::text) && e.args[0]->kind == NodeKind::literal))
          return arg_error(0, "a date, or a text literal like '2025-01'");
        return fold_literal(e, s, Kind::month, [](const std::string& text) { return Value(Month::parse(text)); });
      case Builtin::add_days:
        if (!is(0, Kind::date)) return arg_error(0, "a date");
        if (!is(1, Kind::integer)) return arg_error(1, "an integer");
        return scalar(Kind::date);
      case Builtin::add_months:
        if (!is(0, Kind::date) && !is(0, Kind::month)) return arg_error(0, "a date or a month");
        if (!is(1, Kind::integer)) return arg_error(1, "an integer");
        return t[0];
      case Builtin::months_between:
        if (!is(0, Kind::date) && !is(0, Kind::month)) return arg_error(0, "a date or a month");
        if (!is(1, t[0].kind)) return arg_error(1, describe(t[0]));
        return scalar(Kind::integer);
      case Builtin::days_between:
      case Builtin::age_on:
        if (!is(0, Kind::date)) return arg_error(0, "a date");
        if (!is(1, Kind::date)) return arg_error(1, "a date");
        return scalar(Kind::integer);
      case Builtin::start_of_month:
      case Builtin::end_of_month:
        if (!is(0, Kind::date) && !is(0, Kind::month)) return arg_error(0, "a date or a month");
        return scalar(Kind::date);
      case Builtin::year:
        if (!is(0, Kind::date) && !is(0, Kind::month)) return arg_error(0, "a date or a month");
        return scalar(Kind::integer);
      case Builtin::day:
      case Builtin::weekday:
        if (!is(0, Kind::date)) return arg_error(0, "a date");
        return scalar(Kind::integer);
      case Builtin::month_number:
        if (!is(0, Kind::date) && !is(0, Kind::month)) return arg_error(0, "a date or a month");
        return scalar(Kind::integer);
      case Builtin::sorted:
        if (!is(0, Kind::list) || !(t[0].element == Kind::integer || t[0].element == Kind::decimal ||
                                    t[0].element == Kind::date || t[0].element == Kind::month || t[0].element == Kind::none))
          return arg_error(0, "a list of numbers, dates or months");
        return t[0];
      case Builtin::last:
        if (!is(0, Kind::list)) return arg_error(0, "a list");
        if (!is(1, Kind::integer)) return arg_error(1, "an integer");
        return t[0];
      case Builtin::days:
        if (!is(0, Kind::date)) return arg_error(0, "a date");
        if (!is(1, Kind::date)) return arg_error(1, "a date");
        return list_of(scalar(Kind::date));
      case Builtin::months:
        if (!is(0, Kind::month)) return arg_error(0, "a month (use month(d) for a date)");
        if (!is(1, Kind::month)) return arg_error(1, "a month (use month(d) for a date)");
        return list_of(scalar(Kind::month));
      case Builtin::sum:
        if (!is(0, Kind::list) || (t[0].element != Kind::integer && t[0].element != Kind::decimal && t[0].element != Kind::none))
          return arg_error(0, "a list of numbers");
        return scalar(t[0].element == Kind::decimal ? Kind::decimal : Kind::integer);
      case Builtin::count:
        if (!is(0, Kind::list)) return arg_error(0, "a list");
        return scalar(Kind::integer);
      case Builtin::any:
      case Builtin::all:
        if (!is(0, Kind::list) || (t[0].element != Kind::boolean && t[0].element != Kind::none))
          return arg_error(0, "a list of bools");
        return scalar(Kind::boolean);
      case Builtin::round:
      case Builtin::quotient:
      case Builtin::at:
      case Builtin::has:  // checked above: their arguments are names or modes, not only values
      case Builtin::map:
      case Builtin::filter:
      case Builtin::first:  // aggregations only: infer_comprehension()
      case Builtin::none:
        break;
    }
    throw std::logic_error("internal error: no type rule for " + std::string(spec->name) + "()");
  }

  Type infer_round(Node& e, Scope& s) {
    const Type x = infer(*e.args[0], s);
    Node& places = *e.args[1];
    bool ok = !is_error(x);
    if (ok && !x.numeric()) {
      error(s, *e.args[0], "round() expects a number, got " + describe(x));
      ok = false;
    }
    const bool negative_literal = places.kind == NodeKind::unary && places.op == Op::neg &&
                                  places.args[0]->kind == NodeKind::literal && places.args[0]->value.kind() == Kind::integer;
    if (negative_literal) {
      places.kind = NodeKind::literal;
      places.value = Value(-places.args[0]->value.as_integer());
      places.args.clear();
    }
    if (places.kind != NodeKind::literal || places.value.kind() != Kind::integer ||
        places.value.as_integer() < -18 || places.value.as_integer() > Decimal::kScale) {
      error(s, places, "round() expects the number of decimal places as a whole number from -18 to " +
                           std::to_string(Decimal::kScale));
      ok = false;
    }
    places.type = scalar(Kind::integer);
    ok = infer_rounding_mode(e, *e.args[2], s) && ok;
    return ok ? scalar(Kind::decimal) : Type{};
  }

  // quotient(a, b, mode): two numbers, an integer rounded by the mode.
  Type infer_quotient(Node& e, Scope& s) {
    bool ok = true;
    for (int i = 0; i < 2; ++i) {
      const Type t = infer(*e.args[i], s);
      if (!is_error(t) && !t.numeric()) {
        error(s, *e.args[i], "quotient() expects a number as argument " + std::to_string(i + 1) + ", got " + describe(t));
      }
      ok = ok && !is_error(t) && t.numeric();
    }
    ok = infer_rounding_mode(e, *e.args[2], s) && ok;
    return ok ? scalar(Kind::integer) : Type{};
  }

  // The rounding mode of round() or quotient(): a bare word (half_up…), made a literal of the
  // Rounding's number, or an enum-typed expression whose every value is a mode, so that a
  // regulation's rounding can be a dated parameter. False (and said) if it is neither.
  bool infer_rounding_mode(const Node& call, Node& mode, Scope& s) {
    const std::string f = call.name + "()";
    std::optional<Rounding> m = mode.kind == NodeKind::name ? parse_rounding(mode.name) : std::nullopt;
    if (m) {
      mode.kind = NodeKind::literal;
      mode.value = Value(static_cast<std::int64_t>(*m));
      mode.type = scalar(Kind::integer);
      return true;
    }
    if (mode.kind == NodeKind::name && !p_.find(mode.name)) {
      error(s, mode, f + " expects a rounding mode: half_up, half_even, up, down, floor or ceiling; got '" + mode.name + "'");
      return false;
    }
    const Type t = infer(mode, s);
    if (is_error(t)) return false;
    const bool all_modes = t.is_enum() && t.kind == Kind::text &&
                           std::all_of(t.enum_values->begin(), t.enum_values->end(),
                                       [](const std::string& v) { return parse_rounding(v).has_value(); });
    if (!all_modes) {
      error(s, mode, f + " expects a rounding mode (half_up, half_even, up, down, floor or ceiling), "
                         "or an enum whose values are rounding modes");
    }
    return all_modes;
  }

  Type infer_at(Node& e, Scope& s) {
    Node& p = *e.args[0];
    const Symbol* sym = p.kind == NodeKind::name ? p_.find(p.name) : nullptr;
    if (!sym || sym->kind != SymbolKind::parameter) {
      error(s, p, "at() takes the name of a parameter as its first argument");
      infer(*e.args[1], s);
      return Type{};
    }
    p.kind = NodeKind::parameter;
    p.slot = sym->slot;
    p.type = p_.parameters[sym->slot].type;
    const Type when = infer(*e.args[1], s);
    if (is_error(when)) return Type{};
    if (when.kind != Kind::date && when.kind != Kind::month) {
      error(s, *e.args[1], "at() expects a date or a month as its second argument, got " + describe(when));
      return Type{};
    }
    // A literal date can be checked now against the parameter's history.
    const Node& w = *e.args[1];
    if (w.kind == NodeKind::literal && !p_.parameters[sym->slot].history.empty()) {
      const Date d = w.value.kind() == Kind::date ? w.value.as_date() : w.value.as_month().first_day();
      if (p_.parameters[sym->slot].period_at(d) < 0) {
        error(s, w, "parameter '" + p.name + "' has no value in force on " + d.to_string());
      }
    }
    return p.type;
  }

  Type infer_comprehension(Node& e, Scope& s) {
    const std::string var = e.value.as_text();
    const Type source = infer(*e.args[0], s);
    if (p_.find(var)) {
      error(s, e, "'" + var + "' already names " +
                      std::string(p_.find(var)->kind == SymbolKind::input ? "an input" : "a parameter or decision") +
                      "; choose another name for the variable of " + e.name + "()");
      return Type{};
    }
    if (is_error(source)) return Type{};
    if (source.kind != Kind::list) {
      error(s, *e.args[0], e.name + "() goes over a list or months(from, to), got " + describe(source));
      return Type{};
    }
    if (source.element == Kind::none) {  // its variable would have no type
      error(s, *e.args[0], e.name + "() goes over an empty list, whose items have no type: it has nothing to go over");
      return Type{};
    }
    e.slot = static_cast<int>(s.locals.size());
    max_locals_ = std::max(max_locals_, e.slot + 1);
    s.locals.emplace_back(var, element_of(source));
    const Type body = infer(*e.args[1], s);
    s.locals.pop_back();
    if (is_error(body)) return Type{};
    e.builtin = find_builtin(e.name)->id;  // the parser makes an aggregation only of one that aggregates
    auto wrong_body = [&](const std::string& wanted) {
      error(s, *e.args[1], e.name + "() " + wanted + ", got " + describe(body));
      return Type{};
    };
    switch (e.builtin) {
      case Builtin::sum:
        return body.numeric() ? body : wrong_body("adds numbers");
      case Builtin::map:
        return body.kind == Kind::list || body.kind == Kind::record ? wrong_body("gives a list of single values")
                                                                    : list_of(body);
      case Builtin::filter:
        return body.kind == Kind::boolean ? source : wrong_body("needs a condition (a bool)");
      case Builtin::first:
        return body.kind == Kind::boolean ? element_of(source) : wrong_body("needs a condition (a bool)");
      case Builtin::min:
      case Builtin::max:
        return body.numeric() || body.kind == Kind::date || body.kind == Kind::month
                   ? body
                   : wrong_body("compares numbers, dates or months");
      case Builtin::count:
        return body.kind == Kind::boolean ? scalar(Kind::integer) : wrong_body("needs a condition (a bool)");
      case Builtin::any:
      case Builtin::all:
        return body.kind == Kind::boolean ? scalar(Kind::boolean) : wrong_body("needs a condition (a bool)");
      KAIDAH_SCALAR_KERNEL_CASES:
      KAIDAH_ENGINE_CALL_CASES:
      case Builtin::none:
        break;  // calls only
    }
    throw std::logic_error("internal error: " + e.name + "() is no aggregation");
  }

  // ---- decisions ----------------------------------------------------------------------------

  void check_decision(const DecisionDecl& d, int index) {
    CompiledDecision& c = p_.decisions[index];
    if (d.formula) {
      if (auto e = typed(*d.formula, index)) {
        Scope s{&e->text, index, {}};
        assignable(*e->root, c.type, s, "decision '" + d.name + "'");
        c.formula = std::move(*e);
      }
    }
    for (std::size_t r = 0; r < d.table.size(); ++r) {
      const TableRowDecl& row = d.table[r];
      CompiledRow compiled;
      compiled.legal_basis = row.legal_basis;
      compiled.location = row.location;
      if (row.when.empty() && r + 1 != d.table.size()) {
        out_.error(row.location, "only the last row of decision '" + d.name + "' may leave out 'when'; rows after it could never fire");
      }
      for (const ScalarText& w : row.when) {
        if (auto e = typed(w, index)) {
          if (!is_error(e->root->type) && e->root->type.kind != Kind::boolean) {
            out_.error(w.locate(e->root->offset), "'when' must be a condition (a bool), got " + describe(e->root->type));
          }
          compiled.when.push_back(std::move(*e));
        }
      }
      if (!row.then.text.empty()) {
        if (auto e = typed(row.then, index)) {
          Scope s{&e->text, index, {}};
          assignable(*e->root, c.type, s, "decision '" + d.name + "'");
          compiled.then = std::move(*e);
        }
      }
      c.table.push_back(std::move(compiled));
    }
  }

  // Depth-first search without recursion (a rulebook may chain thousands of decisions): a back
  // edge is a cycle, reported where it closes; a chain deeper than the limit is refused, which
  // also bounds how deep an evaluation recurses.
  void find_cycles() {
    const int n = static_cast<int>(deps_.size());
    std::vector<int> state(n, 0), depth(n, 1);  // state: 0 new, 1 on the path, 2 done
    bool too_deep = false;
    for (int root = 0; root < n; ++root) {
      if (state[root] != 0) continue;
      std::vector<std::pair<int, std::size_t>> path{{root, 0}};  // decision, next dependency
      state[root] = 1;
      while (!path.empty()) {
        const int v = path.back().first;
        const std::size_t next = path.back().second++;
        if (next < deps_[v].size()) {
          const int w = deps_[v][next].first;  // named, not bound: lambdas capture it below
          const auto& at = deps_[v][next].second;
          if (state[w] == 1) {
            std::string cycle;
            auto from = std::find_if(path.begin(), path.end(), [&](const auto& p) { return p.first == w; });
            for (auto it = from; it != path.end(); ++it) cycle += p_.decisions[it->first].name + " → ";
            out_.error(at, "decision '" + p_.decisions[w].name + "' depends on itself: " + cycle + p_.decisions[w].name);
          } else if (state[w] == 0) {
            state[w] = 1;
            path.emplace_back(w, 0);
          }
          continue;
        }
        for (const auto& [w, at] : deps_[v])
          if (state[w] == 2) depth[v] = std::max(depth[v], depth[w] + 1);
        if (depth[v] > limits_.max_dependency_depth && !too_deep) {
          too_deep = true;
          out_.error(p_.decisions[v].location, "decision '" + p_.decisions[v].name + "' rests on a chain of " +
                                                   std::to_string(depth[v]) + " decisions; the limit is " +
                                                   std::to_string(limits_.max_dependency_depth) + " (max_dependency_depth)");
        }
        state[v] = 2;
        path.pop_back();
      }
    }
  }

 public:
  int max_locals_ = 0;

 private:
  const SyntaxTree& tree_;
  CheckLimits limits_;
  Diagnostics& out_;
  Program p_;
  std::vector<std::vector<std::pair<int, SourceLocation>>> deps_;
};

}  // namespace

Program check(const SyntaxTree& tree, const CheckLimits& limits, Diagnostics& out) {
  Checker checker(tree, limits, out);
  Program p = checker.run();
  p.max_locals = checker.max_locals_;
  return p;
}

}  // namespace kaidah::detail
