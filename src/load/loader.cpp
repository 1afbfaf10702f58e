#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "diagnostics.h"
#include "load/fields.h"
#include "load/syntax.h"
#include "kaidah/date.h"
#include "text/reader.h"

namespace kaidah::detail {
namespace {

namespace fs = std::filesystem;

std::optional<RawValue> copy_of(const RawValue* v) { return v ? std::optional<RawValue>(*v) : std::nullopt; }

constexpr int kMaxYamlDepth = 64;  // nesting of YAML values: bounds the recursion below

// The place of the first value past `left` in `node` once aliases are expanded, counted as the
// Converter would copy them (mapping values and list items). yaml-cpp shares the node an alias
// names, so a small file of nested aliases ("billion laughs") would grow exponentially when
// copied: counting first, without copying, refuses it in a moment.
std::optional<YAML::Mark> first_value_past(const YAML::Node& node, long& left, int depth = 0) {
  if (--left < 0) return node.Mark();
  if (depth > kMaxYamlDepth) return std::nullopt;  // the Converter reports the nesting
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      if (auto past = first_value_past(item, left, depth + 1)) return past;
    }
  } else if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (auto past = first_value_past(it->second, left, depth + 1)) return past;
    }
  }
  return std::nullopt;
}

// Copies a yaml-cpp node into a RawValue, reporting duplicate keys (yaml-cpp 0.7 keeps the first
// silently) and non-scalar keys.
class Converter {
 public:
  Converter(std::string file, const std::string& source, Diagnostics& out)
      : file_(std::move(file)), source_(source), lines_(split_lines(source_)), out_(out) {}

  RawValue convert(const YAML::Node& node, int depth = 0) {
    RawValue v;
    v.location = where(node.Mark());
    if (depth > kMaxYamlDepth) {
      out_.error(v.location, "YAML nesting deeper than " + std::to_string(kMaxYamlDepth) + " levels");
      return v;
    }
    switch (node.Type()) {
      case YAML::NodeType::Scalar: {
        v.shape = RawValue::Shape::scalar;
        v.scalar = node.Scalar();
        v.quoted = node.Tag() == "!";
        const YAML::Mark m = node.Mark();
        v.line_starts = make_scalar_text(v.scalar, file_, source_, lines_, m.line, m.column, m.pos).line_starts;
        break;
      }
      case YAML::NodeType::Sequence:
        v.shape = RawValue::Shape::sequence;
        for (const YAML::Node& item : node) v.items.push_back(convert(item, depth + 1));
        break;
      case YAML::NodeType::Map: {
        v.shape = RawValue::Shape::mapping;
        std::set<std::string> seen;
        for (auto it = node.begin(); it != node.end(); ++it) {
          const SourceLocation key_at = where(it->first.Mark());
          if (!it->first.IsScalar()) {
            out_.error(key_at, "mapping keys must be plain names");
            continue;
          }
          const std::string key = it->first.Scalar();
          if (!seen.insert(key).second) {
            const auto first = std::find_if(v.entries.begin(), v.entries.end(),
                                            [&](const auto& e) { return e.first == key; });
            const auto line = v.key_locations[first - v.entries.begin()].line;
            out_.error(key_at, "duplicate key '" + key + "' (first defined at line " +
                                   std::to_string(line) + ")");
            continue;
          }
          v.key_locations.push_back(key_at);
          v.entries.emplace_back(key, convert(it->second, depth + 1));
        }
        break;
      }
      default:
        v.shape = RawValue::Shape::null;
    }
    return v;
  }

 private:
  SourceLocation where(const YAML::Mark& m) const {
    if (m.is_null()) return {file_, 0, 0};
    return {file_, m.line + 1, m.column + 1};
  }
  std::string file_;
  const std::string& source_;
  std::vector<std::string_view> lines_;
  Diagnostics& out_;
};

TypeSpec read_type(Fields& f);

// `fields:` of a `list of record` input: name → {type, description, values, default}.
std::vector<FieldDecl> read_fields(const RawValue& section, const std::string& owner, Diagnostics& out) {
  std::vector<FieldDecl> fields;
  for_each_declaration(section, "field", out, [&](const std::string& name, const SourceLocation& at, const RawValue& body) {
    Fields f(body, "field '" + name + "' of input '" + owner + "'", out, {"type", "description", "values", "default"});
    FieldDecl d{name, at, read_type(f), f.text("description", true), copy_of(f.get("default"))};
    if (!d.type.fields.empty()) out.error(at, "a record field cannot itself have fields");
    fields.push_back(std::move(d));
  });
  return fields;
}

TypeSpec read_type(Fields& f) {
  TypeSpec t;
  if (const RawValue* v = f.scalar("type", /*required=*/true)) {
    t.name = v->scalar;
    t.location = v->location;
  } else {
    t.location = f.location();
  }
  if (const RawValue* values = f.get("values")) {
    if (values->shape != RawValue::Shape::sequence || values->items.empty()) {
      f.diagnostics().error(values->location, "'values' must be a non-empty list of names");
    } else {
      for (const RawValue& item : values->items) {
        if (item.shape != RawValue::Shape::scalar) {
          f.diagnostics().error(item.location, "enum values must be plain names");
        } else {
          t.values.push_back(item.scalar);
        }
      }
    }
  }
  return t;
}

// A language's code: two or three lowercase letters (ISO 639: "id", "en", "jv").
bool language_code(const std::string& s) {
  return s.size() >= 2 && s.size() <= 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// {id: text, en: text}: a label in each language; every text non-empty.
std::map<std::string, std::string> read_label(const RawValue& raw, const std::string& what, Diagnostics& out) {
  std::map<std::string, std::string> label;
  if (raw.shape != RawValue::Shape::mapping || raw.entries.empty()) {
    out.error(raw.location, what + " must map languages to text, like {id: Tindakan berikutnya, en: Next action}");
    return label;
  }
  for (std::size_t i = 0; i < raw.entries.size(); ++i) {
    const auto& [language, text] = raw.entries[i];
    if (!language_code(language)) {
      // Most often the rest of a text with a comma, which ends an unquoted value inside {…}.
      const bool text = language.find(' ') != std::string::npos;
      out.error(raw.key_locations[i], what + ": '" + language + "' is not a language code (two or three lowercase letters: id, en)" +
                                          (text ? "; a text with a comma must be quoted: {en: \"Rp 100,000 or more\"}" : ""));
    } else if (text.shape != RawValue::Shape::scalar || text.scalar.find_first_not_of(" \t") == std::string::npos) {
      out.error(text.location, what + " in '" + language + "' must be a non-empty text");
    } else {
      label[language] = text.scalar;
    }
  }
  return label;
}

// A figure of the sweep's summary, or (not `in_section`) a section of them. Which keys go with
// which kind is said here; the decisions' types are the checker's.
SummaryFigureDecl read_figure(const std::string& name, const SourceLocation& at, const RawValue& body, bool in_section,
                              Diagnostics& out) {
  const std::string what = "summary figure '" + name + "'";
  Fields f(body, what, out, {"count", "count_by", "sum", "by", "bands", "when", "label", "figures", "headline"});
  SummaryFigureDecl d;
  d.name = name;
  d.location = at;
  const auto named = [&](std::string_view key, std::optional<SummaryFigureDecl::Name>& into) {
    if (const RawValue* v = f.scalar(key)) into.emplace(v->scalar, v->location);
  };
  named("count", d.count);
  named("count_by", d.count_by);
  named("sum", d.sum);
  named("by", d.by);
  named("when", d.when);
  named("headline", d.headline);
  if (const RawValue* label = f.get("label")) d.label = read_label(*label, "the label of " + what, out);
  if (const RawValue* bands = f.get("bands")) {
    if (bands->shape != RawValue::Shape::sequence || bands->items.empty()) {
      out.error(bands->location, what + ": 'bands' must list the lowest value of each band, like [0, 1, 4, 13]");
    } else {
      for (const RawValue& edge : bands->items) d.bands.emplace_back(edge.scalar, edge.location);
    }
  }
  if (const RawValue* figures = f.get("figures")) {
    d.section = true;
    if (in_section) {
      out.error(figures->location, what + ": a section's figures cannot be sections themselves");
    } else {
      for_each_declaration(*figures, "figure", out, [&](const std::string& n, const SourceLocation& a, const RawValue& b) {
        d.figures.push_back(read_figure(n, a, b, true, out));
      });
      if (figures->shape == RawValue::Shape::mapping && figures->entries.empty())
        out.error(figures->location, what + ": a section lists its figures, at least one");
    }
  }
  if (!f.ok()) return d;
  const int kinds = d.count.has_value() + d.count_by.has_value() + d.sum.has_value() + d.section;
  if (kinds != 1) {
    out.error(at, what + (kinds ? " has more than one of" : " needs one of") +
                      " 'count' (a bool decision), 'count_by' (an enum, bool or integer decision), 'sum' (a number "
                      "decision) and 'figures' (a section)");
  }
  const auto only_with = [&](const std::optional<SummaryFigureDecl::Name>& key, std::string_view name_of, bool allowed,
                             std::string_view with) {
    if (key && !allowed) out.error(key->second, what + ": '" + std::string(name_of) + "' goes with " + std::string(with));
  };
  only_with(d.by, "by", d.sum.has_value(), "'sum' (the total by the values of an enum or bool decision)");
  only_with(d.headline, "headline", d.section, "'figures' (the section's figure shown beside its title)");
  if (!d.bands.empty() && !d.count_by) out.error(d.bands.front().second, what + ": 'bands' goes with 'count_by' (of an integer decision)");
  if (d.when && d.section) out.error(d.when->second, what + ": 'when' goes with a figure, not a section");
  return d;
}

// The manifest's `report`: how a comparison groups people and bands changes, the sweep's work
// lists (each: the bool decision that puts a person on it, the outputs it shows, its title and
// note) and the figures of its summary.
void read_report(const RawValue& report, Manifest& m, Diagnostics& out) {
  Fields r(report, "the manifest's 'report'", out, {"group_by", "change_bands", "work_lists", "summary"});
  if (const RawValue* summary = r.get("summary")) {
    for_each_declaration(*summary, "summary figure", out, [&](const std::string& name, const SourceLocation& at, const RawValue& body) {
      m.summary.push_back(read_figure(name, at, body, false, out));
    });
  }
  if (const RawValue* group = r.scalar("group_by")) m.group_by.emplace(group->scalar, group->location);
  if (const RawValue* bands = r.get("change_bands")) {
    if (bands->shape != RawValue::Shape::sequence || bands->items.empty()) {
      out.error(bands->location, "'change_bands' must list the edges of the bands of a change, like [10000, 100000]");
    } else {
      for (const RawValue& edge : bands->items) m.change_bands.emplace_back(edge.scalar, edge.location);
    }
  }
  const RawValue* lists = r.get("work_lists");
  if (!lists) return;
  for_each_declaration(*lists, "work list", out, [&](const std::string& name, const SourceLocation& at, const RawValue& body) {
    Fields f(body, "work list '" + name + "'", out, {"when", "columns", "label", "note"});
    WorkListDecl d{name, at, {}, {}, {}, {}};
    if (const RawValue* when = f.scalar("when", true)) d.when.emplace(when->scalar, when->location);
    if (const RawValue* columns = f.get("columns", true)) {
      if (columns->shape != RawValue::Shape::sequence || columns->items.empty()) {
        out.error(columns->location, "the columns of work list '" + name + "' must list outputs, like [arrears_months, arrears_amount]");
      } else {
        for (const RawValue& c : columns->items) d.columns.emplace_back(c.scalar, c.location);
      }
    }
    if (const RawValue* label = f.get("label", true)) d.label = read_label(*label, "the label of work list '" + name + "'", out);
    if (const RawValue* note = f.get("note")) d.note = read_label(*note, "the note of work list '" + name + "'", out);
    m.work_lists.push_back(std::move(d));
  });
}

// `label` and `value_labels` of an input or a decision.
LabelsDecl read_labels(Fields& f, const std::string& owner, Diagnostics& out) {
  LabelsDecl d;
  if (const RawValue* label = f.get("label")) d.labels.name = read_label(*label, "the label of " + owner, out);
  if (const RawValue* values = f.get("value_labels")) {
    d.has_value_labels = true;
    d.value_labels_location = values->location;
    if (values->shape != RawValue::Shape::mapping || values->entries.empty()) {
      out.error(values->location, "'value_labels' of " + owner + " must map each value to its labels, like register: {id: Daftar, en: Register}");
      return d;
    }
    for (std::size_t i = 0; i < values->entries.size(); ++i) {
      const auto& [value, label] = values->entries[i];
      d.value_keys.emplace_back(value, values->key_locations[i]);
      d.labels.values[value] = read_label(label, "the label of value '" + value + "' of " + owner, out);
    }
  }
  return d;
}

void read_inputs(const RawValue& section, SyntaxTree& tree, Diagnostics& out) {
  for_each_declaration(section, "input", out, [&](const std::string& name, const SourceLocation& at, const RawValue& body) {
    Fields f(body, "input '" + name + "'", out,
             {"type", "description", "unit", "default", "values", "minimum", "maximum", "legal_basis", "fields", "label",
              "value_labels"});
    InputDecl d{name, at, read_type(f), f.text("description", true), f.text("unit"), f.text("legal_basis"),
                copy_of(f.get("default")), copy_of(f.get("minimum")), copy_of(f.get("maximum")),
                read_labels(f, "input '" + name + "'", out)};
    if (const RawValue* fields = f.get("fields")) d.type.fields = read_fields(*fields, name, out);
    tree.inputs.push_back(std::move(d));
  });
}

std::vector<ParameterValueDecl> read_history(const RawValue* history, const std::string& name, Diagnostics& out) {
  std::vector<ParameterValueDecl> values;
  if (!history) return values;
  if (history->shape != RawValue::Shape::sequence || history->items.empty()) {
    out.error(history->location, "'history' of parameter '" + name +
                                     "' must be a non-empty list of {effective_from, value, legal_basis}");
    return values;
  }
  for (const RawValue& item : history->items) {
    Fields vf(item, "a value of parameter '" + name + "'", out, {"effective_from", "value", "legal_basis"});
    if (!vf.ok()) continue;
    ParameterValueDecl v{vf.text("effective_from", true), {}, vf.text("legal_basis", true), item.location};
    if (const RawValue* value = vf.get("value", true)) v.value = *value;
    values.push_back(std::move(v));
  }
  return values;
}

void read_parameters(const RawValue& section, SyntaxTree& tree, Diagnostics& out) {
  for_each_declaration(section, "parameter", out, [&](const std::string& name, const SourceLocation& at, const RawValue& body) {
    Fields f(body, "parameter '" + name + "'", out, {"type", "description", "unit", "values", "history"});
    ParameterDecl d{name, at, read_type(f), f.text("description", true), f.text("unit"), {}};
    d.values = read_history(f.get("history", true), name, out);
    tree.parameters.push_back(std::move(d));
  });
}

void read_decisions(const RawValue& section, SyntaxTree& tree, Diagnostics& out) {
  for_each_declaration(section, "decision", out, [&](const std::string& name, const SourceLocation& at, const RawValue& body) {
    Fields f(body, "decision '" + name + "'", out,
             {"type", "description", "unit", "values", "legal_basis", "optional", "formula", "table", "label", "value_labels"});
    DecisionDecl d{name, at, read_type(f), f.text("description", true), f.text("unit"),
                   f.text("legal_basis", true), false, {}, {}, false, read_labels(f, "decision '" + name + "'", out)};
    if (const RawValue* optional = f.scalar("optional")) {
      if (optional->scalar == "true" || optional->scalar == "false") {
        d.optional = optional->scalar == "true";
      } else {
        out.error(optional->location, "'optional' must be true or false");
      }
    }
    const RawValue* formula = f.scalar("formula");
    const RawValue* table = f.get("table");
    if (formula && table) {
      out.error(table->location, "decision '" + name + "' has both 'formula' and 'table'; give one");
    } else if (!formula && !table) {
      out.error(at, "decision '" + name + "' needs a 'formula' or a 'table'");
    }
    if (formula) d.formula = expression_text(*formula);
    if (table && !formula) {
      if (table->shape != RawValue::Shape::sequence || table->items.empty()) {
        out.error(table->location, "'table' of decision '" + name + "' must be a non-empty list of rows");
      } else {
        for (const RawValue& row : table->items) {
          Fields rf(row, "a row of decision '" + name + "'", out, {"when", "then", "legal_basis"});
          if (!rf.ok()) continue;
          TableRowDecl r{{}, {}, rf.text("legal_basis"), row.location};
          if (const RawValue* when = rf.get("when")) {
            if (when->shape == RawValue::Shape::scalar) {
              r.when.push_back(expression_text(*when));
            } else if (when->shape == RawValue::Shape::sequence && !when->items.empty()) {
              for (const RawValue& c : when->items) {
                if (c.shape == RawValue::Shape::scalar) {
                  r.when.push_back(expression_text(c));
                } else {
                  out.error(c.location, "each condition in 'when' must be an expression");
                }
              }
            } else {
              out.error(when->location, "'when' must be an expression or a list of expressions");
            }
          }
          if (const RawValue* then = rf.scalar("then", true)) r.then = expression_text(*then);
          d.table.push_back(std::move(r));
        }
      }
    }
    tree.decisions.push_back(std::move(d));
  });
}

// The names a rulebook declares, for "already declared" and "did you mean" in reforms.
std::vector<std::string> declared_names(const SyntaxTree& tree) {
  std::vector<std::string> names;
  for (const auto& d : tree.inputs) names.push_back(d.name);
  for (const auto& d : tree.parameters) names.push_back(d.name);
  for (const auto& d : tree.decisions) names.push_back(d.name);
  return names;
}

template <class Decl>
Decl* find_declaration(std::vector<Decl>& list, const std::string& name) {
  for (Decl& d : list)
    if (d.name == name) return &d;
  return nullptr;
}

std::string not_in_base(const std::string& kind, const std::string& name, const SyntaxTree& tree,
                        const std::string& section) {
  std::string message = "no " + kind + " '" + name + "' in the base rulebook " + tree.manifest.name;
  const std::string guess = closest(name, declared_names(tree));
  if (!guess.empty()) message += "; did you mean '" + guess + "'?";
  return message + " (to add one, declare it under " + section + ")";
}

}  // namespace

void apply_reform(const fs::path& file, const LoadOptions& limits, SyntaxTree& tree, Diagnostics& out) {
  const std::string display = file.filename().generic_string();
  std::optional<RawValue> root = read_yaml_file(file, display, limits, out);
  if (!root) return;
  if (root->shape == RawValue::Shape::null) {
    out.error({display, 1, 1}, "the reform is empty: it needs 'reform:' with its name and base, then its changes");
    return;
  }
  Fields f(*root, "a reform", out, {"reform", "parameters", "decisions", "new_inputs", "new_parameters", "new_decisions"});
  if (!f.ok()) return;
  if (const RawValue* about = f.get("reform", true)) {
    Fields r(*about, "'reform'", out, {"name", "description", "base"});
    tree.reform = r.text("name", true);
    tree.reform_description = r.text("description");
    if (const RawValue* base = r.scalar("base"); base && base->scalar != tree.manifest.name) {
      out.error(base->location, "this reform is for the rulebook '" + base->scalar + "', not '" + tree.manifest.name + "'");
    }
  }
  // Additions: declared in full, under names the base does not have.
  SyntaxTree added;
  if (const RawValue* s = f.get("new_inputs")) read_inputs(*s, added, out);
  if (const RawValue* s = f.get("new_parameters")) read_parameters(*s, added, out);
  if (const RawValue* s = f.get("new_decisions")) read_decisions(*s, added, out);
  const std::vector<std::string> base_names = declared_names(tree);
  auto is_new = [&](const std::string& name, const SourceLocation& at, const char* section) {
    if (std::find(base_names.begin(), base_names.end(), name) == base_names.end()) return true;
    out.error(at, "'" + name + "' is already in the base rulebook " + tree.manifest.name + "; " + section +
                      " only adds new names");
    return false;
  };
  for (auto& d : added.inputs)
    if (is_new(d.name, d.location, "new_inputs")) tree.inputs.push_back(std::move(d));
  for (auto& d : added.parameters) {
    if (!is_new(d.name, d.location, "new_parameters")) continue;
    for (auto& v : d.values) v.from_reform = true;
    tree.parameters.push_back(std::move(d));
  }
  for (auto& d : added.decisions) {
    if (!is_new(d.name, d.location, "new_decisions")) continue;
    d.from_reform = true;
    tree.decisions.push_back(std::move(d));
  }
  // Changed parameter values: the reform's history takes over from its first date.
  if (const RawValue* s = f.get("parameters")) {
    for_each_declaration(*s, "parameter", out, [&](const std::string& name, const SourceLocation& at, const RawValue& body) {
      Fields pf(body, "the change to parameter '" + name + "'", out, {"history"});
      ParameterDecl* base = find_declaration(tree.parameters, name);
      if (!base) {
        out.error(at, not_in_base("parameter", name, tree, "new_parameters"));
        return;
      }
      std::vector<ParameterValueDecl> values = read_history(pf.get("history", true), name, out);
      if (values.empty()) return;
      const auto from = Date::try_parse(values.front().effective_from);
      if (from) {
        std::erase_if(base->values, [&](const ParameterValueDecl& v) {
          const auto d = Date::try_parse(v.effective_from);
          return d && *d >= *from;
        });
      }
      for (auto& v : values) {
        v.from_reform = true;
        base->values.push_back(std::move(v));
      }
    });
  }
  // Replaced decisions: declared in full, in place of the base's.
  if (const RawValue* s = f.get("decisions")) {
    SyntaxTree replaced;
    read_decisions(*s, replaced, out);
    for (auto& d : replaced.decisions) {
      DecisionDecl* base = find_declaration(tree.decisions, d.name);
      if (!base) {
        out.error(d.location, not_in_base("decision", d.name, tree, "new_decisions"));
        continue;
      }
      d.from_reform = true;
      // The base's labels stay unless the reform gives its own: a report under a reform does not
      // fall back to codes (the checker holds them to the replaced decision's values).
      if (d.labels.labels.name.empty()) d.labels.labels.name = base->labels.labels.name;
      if (!d.labels.has_value_labels) {
        d.labels.labels.values = base->labels.labels.values;
        d.labels.value_keys = base->labels.value_keys;
        d.labels.value_labels_location = base->labels.value_labels_location;
        d.labels.has_value_labels = base->labels.has_value_labels;
      }
      *base = std::move(d);
    }
  }
}

ScalarText expression_text(const RawValue& scalar) {
  ScalarText t{scalar.scalar, scalar.location, scalar.line_starts};
  return t;
}

namespace {

// Parses text already read as UTF-8 with '\n' line ends.
std::optional<RawValue> parse_yaml(const std::string& text, const std::string& display_name, const LoadOptions& limits,
                                   Diagnostics& out) {
  try {
    const YAML::Node root = YAML::Load(text);
    long left = limits.max_yaml_values;
    if (const auto past = first_value_past(root, left)) {
      out.error({display_name, past->line + 1, past->column + 1},
                "more than " + std::to_string(limits.max_yaml_values) +
                    " YAML values in one file once its aliases are expanded (max_yaml_values); the file is refused");
      return std::nullopt;
    }
    return Converter(display_name, text, out).convert(root);
  } catch (const YAML::DeepRecursion& e) {  // yaml-cpp's own guard, far deeper than ours; its message is "bad file"
    out.error({display_name, e.mark.line + 1, e.mark.column + 1},
              "YAML nesting deeper than " + std::to_string(kMaxYamlDepth) + " levels");
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    out.error({display_name, e.mark.line + 1, e.mark.column + 1}, "YAML syntax: " + e.msg);
    return std::nullopt;
  }
}

// The text, or nothing after reporting where and why it is not readable.
std::optional<std::string> text_of(Text read, const std::string& display_name, Diagnostics& out) {
  if (!read.problem) return std::move(read.text);
  const Diagnostic d = diagnostic_of(*read.problem, display_name);
  out.error(d.location, d.message);
  return std::nullopt;
}

}  // namespace

std::optional<RawValue> read_yaml_text(const std::string& text, const std::string& display_name,
                                       const LoadOptions& limits, Diagnostics& out) {
  const auto plain = text_of(read_text(text, {limits.max_file_bytes}), display_name, out);
  return plain ? parse_yaml(*plain, display_name, limits, out) : std::nullopt;
}

std::optional<RawValue> read_yaml_file(const fs::path& path, const std::string& display_name,
                                       const LoadOptions& limits, Diagnostics& out, std::string* source_text) {
  auto plain = text_of(read_text_file(path, {limits.max_file_bytes}), display_name, out);
  if (!plain) return std::nullopt;
  auto v = parse_yaml(*plain, display_name, limits, out);
  if (source_text) *source_text = std::move(*plain);
  return v;
}

SyntaxTree load_files(const fs::path& dir, const LoadOptions& limits, Diagnostics& out) {
  SyntaxTree tree;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    out.error({dir.string(), 0, 0}, "not a rulebook directory (expected a folder with rulebook.yaml)");
    return tree;
  }
  if (!fs::exists(dir / "rulebook.yaml")) {
    out.error({"rulebook.yaml", 0, 0}, "missing manifest: a rulebook folder must contain rulebook.yaml");
  }
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path rel = fs::relative(it->path(), dir);
    const std::string top = rel.begin()->string();
    if (it->is_directory() && (top == "tests" || top == "reforms" || top.starts_with("."))) {
      it.disable_recursion_pending();
      continue;
    }
    std::string ext = it->path().extension().string();  // "rules.YAML" is meant as YAML too
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext != ".yaml" && ext != ".yml") continue;
    if (it->is_regular_file(ec)) {
      files.push_back(rel);
    } else if (!it->is_directory(ec)) {  // never skipped without a word: its rules would be missing
      const bool dangling = it->is_symlink(ec) && !fs::exists(it->path(), ec);
      out.error({rel.generic_string(), 0, 0}, dangling ? "a link to " + fs::read_symlink(it->path(), ec).string() +
                                                             ", which does not exist; its rules cannot be read"
                                                       : "not a regular file; its rules cannot be read");
    }
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& rel : files) {
    const std::string name = rel.generic_string();
    std::optional<RawValue> root = read_yaml_file(dir / rel, name, limits, out);
    if (!root) continue;
    if (root->shape == RawValue::Shape::null) {  // a truncated save, most likely: never taken silently
      out.error({name, 1, 1}, name == "rulebook.yaml" ? "the manifest is empty: it needs 'name' and 'version'"
                                                      : "the file holds no rules (it is empty, or only comments)");
      continue;
    }
    if (name == "rulebook.yaml") {
      Fields f(*root, "the manifest", out, {"name", "version", "description", "outputs", "payers", "report"});
      tree.manifest = {f.text("name", true), f.text("version", true), f.text("description"), root->location, {}, {}, {}, {}, {}, {}};
      if (const RawValue* report = f.get("report")) read_report(*report, tree.manifest, out);
      if (const RawValue* outputs = f.get("outputs")) {
        if (outputs->shape != RawValue::Shape::sequence || outputs->items.empty()) {
          out.error(outputs->location, "'outputs' must list the decisions the rulebook answers, like [must_enroll, iuran_total]");
        } else {
          for (const RawValue& item : outputs->items) tree.manifest.outputs.emplace_back(item.scalar, item.location);
        }
      }
      if (const RawValue* payers = f.get("payers")) {
        if (payers->shape != RawValue::Shape::mapping || payers->entries.empty()) {
          out.error(payers->location, "'payers' must map each payer to the decision of what it pays, like employers: iuran_employer");
        } else {
          for (std::size_t i = 0; i < payers->entries.size(); ++i)
            tree.manifest.payers.emplace_back(payers->entries[i].first, payers->entries[i].second.scalar,
                                              payers->entries[i].second.location);
        }
      }
      continue;
    }
    Fields f(*root, "a rulebook file", out, {"inputs", "parameters", "decisions"});
    if (const RawValue* s = f.get("inputs")) read_inputs(*s, tree, out);
    if (const RawValue* s = f.get("parameters")) read_parameters(*s, tree, out);
    if (const RawValue* s = f.get("decisions")) read_decisions(*s, tree, out);
  }
  return tree;
}

}  // namespace kaidah::detail
