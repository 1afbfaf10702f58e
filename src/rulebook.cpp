#include "kaidah/rulebook.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <stdexcept>
#include <type_traits>
#include <variant>

#include "check/checker.h"
#include "compile/compile.h"
#include "lang/values.h"
#include "eval/evaluator.h"
#include "eval/inputs.h"
#include "load/fields.h"
#include "rulebook_access.h"

namespace kaidah {

using detail::Program;


Case& Case::set(std::string name, Value value) {
  refused_.erase(name);
  values_[std::move(name)] = std::move(value);
  return *this;
}

Case& Case::refuse(std::string name, std::string reason) {
  values_.erase(name);
  refused_[std::move(name)] = std::move(reason);
  return *this;
}

namespace {

// Every option of LoadOptions once: its name, its ceiling, and where it is held.
struct Limit {
  std::string_view name;
  std::uintmax_t ceiling;
  std::variant<int LoadOptions::*, long LoadOptions::*, std::uintmax_t LoadOptions::*> member;
};
constexpr Limit kLimits[] = {
    {"max_errors", 10'000, &LoadOptions::max_errors},
    {"max_expression_depth", 64, &LoadOptions::max_expression_depth},
    {"max_expression_length", 1'000'000, &LoadOptions::max_expression_length},
    {"max_iterations", 1'000'000'000, &LoadOptions::max_iterations},
    {"max_dependency_depth", 256, &LoadOptions::max_dependency_depth},
    {"max_inputs", 1'000'000, &LoadOptions::max_inputs},
    {"max_parameters", 1'000'000, &LoadOptions::max_parameters},
    {"max_decisions", 1'000'000, &LoadOptions::max_decisions},
    {"max_list_items", 10'000'000, &LoadOptions::max_list_items},
    {"max_file_bytes", std::uintmax_t{1} << 30, &LoadOptions::max_file_bytes},
    {"max_yaml_values", 100'000'000, &LoadOptions::max_yaml_values},
};

const Limit* find_limit(std::string_view name) {
  for (const Limit& l : kLimits)
    if (l.name == name) return &l;
  return nullptr;
}

// "" when `value` is within [1, ceiling] of `l`, else why not, as the loader says it.
template <class T>
std::string out_of_range(const Limit& l, T value) {
  if (value >= 1 && static_cast<std::uintmax_t>(value) <= l.ceiling) return "";
  return std::string(l.name) + " is " + std::to_string(value) + "; it must be between 1 and " + std::to_string(l.ceiling);
}

std::string out_of_range(const LoadOptions& o, const Limit& l) {
  return std::visit([&](auto member) { return out_of_range(l, o.*member); }, l.member);
}

}  // namespace

std::uintmax_t LoadOptions::ceiling(std::string_view option) {
  const Limit* l = find_limit(option);
  return l ? l->ceiling : 0;
}

const std::vector<std::string_view>& LoadOptions::names() {
  static const std::vector<std::string_view> all = [] {
    std::vector<std::string_view> out;
    for (const Limit& l : kLimits) out.push_back(l.name);
    return out;
  }();
  return all;
}

std::optional<long long> LoadOptions::get(std::string_view option) const {
  const Limit* l = find_limit(option);
  if (!l) return std::nullopt;
  return std::visit([&](auto member) { return static_cast<long long>(this->*member); }, l->member);
}

void LoadOptions::set(std::string_view option, long long value) {
  const Limit* l = find_limit(option);
  if (!l) throw std::invalid_argument("unknown limit '" + std::string(option) + "'");
  if (std::string why = out_of_range(*l, value); !why.empty()) throw std::invalid_argument(why);
  std::visit([&](auto member) { this->*member = static_cast<std::remove_reference_t<decltype(this->*member)>>(value); },
             l->member);
}

namespace {

// Each limit is at least 1 and at most its ceiling (see LoadOptions): a negative or zero limit
// would refuse everything or nothing, a huge one reopens what it closes. The error names the
// option, at the rulebook folder.
void check_options(const std::filesystem::path& dir, const LoadOptions& o) {
  std::vector<Diagnostic> bad;
  for (const Limit& l : kLimits) {
    if (std::string why = out_of_range(o, l); !why.empty()) bad.push_back({Severity::error, {dir.string()}, std::move(why)});
  }
  if (!bad.empty()) throw LoadError(std::move(bad));
}

// Loads `dir`, applies `reform_file` when there is one, checks and compiles. Stops between
// stages: what did not load is not checked; a rulebook with any error is never returned.
std::shared_ptr<const Program> build(const std::filesystem::path& dir, const std::filesystem::path* reform_file,
                                     const LoadOptions& options) {
  check_options(dir, options);
  detail::Diagnostics out(options.max_errors);
  detail::SyntaxTree tree = detail::load_files(dir, options, out);
  if (out.has_errors()) throw LoadError(out.take());
  if (reform_file) {
    detail::apply_reform(*reform_file, options, tree, out);
    if (out.has_errors()) throw LoadError(out.take());
  }
  Program program = detail::check(tree,
                                  {.expression = {.max_depth = options.max_expression_depth,
                                                  .max_length = options.max_expression_length},
                                   .max_dependency_depth = options.max_dependency_depth,
                                   .max_inputs = options.max_inputs,
                                   .max_parameters = options.max_parameters,
                                   .max_decisions = options.max_decisions},
                                  out);
  if (out.has_errors()) throw LoadError(out.take());
  program.limits = options;
  detail::compile(program);
  static std::atomic<std::uint64_t> next_id{1};
  program.id = next_id++;
  program.source_dir = std::filesystem::absolute(dir);
  return std::make_shared<const Program>(std::move(program));
}

}  // namespace

Rulebook Rulebook::load(const std::filesystem::path& dir, const LoadOptions& options) {
  return Rulebook(build(dir, nullptr, options));
}

Rulebook Rulebook::load_reform(const std::filesystem::path& base_dir, const std::filesystem::path& reform_file,
                               const LoadOptions& options) {
  return Rulebook(build(base_dir, &reform_file, options));
}

Result Rulebook::evaluate(const Case& input, const Date& date, std::span<const std::string> decisions,
                          OnError on_error) const {
  return run(input, date, decisions, false, on_error);
}

Result Rulebook::explain(const Case& input, const Date& date, std::span<const std::string> decisions,
                         OnError on_error) const {
  return run(input, date, decisions, true, on_error);
}

namespace {

// This thread's evaluator for program `p`, kept from call to call so that evaluating one case
// allocates nothing but its Result. Keyed by the program's id, which is never reused.
detail::Evaluator& evaluator_for(const Program& p) {
  thread_local struct {
    std::uint64_t id = 0;
    std::unique_ptr<detail::Evaluator> evaluator;
  } cache;
  if (cache.id != p.id) {
    cache.evaluator = std::make_unique<detail::Evaluator>(p);
    cache.id = p.id;
  }
  return *cache.evaluator;
}

}  // namespace

Result Rulebook::run(const Case& input, const Date& date, std::span<const std::string> decisions, bool explain,
                     OnError on_error) const {
  const Program& p = *program_;
  Result result;
  using Access = detail::RulebookAccess;
  detail::Evaluator& evaluator = Access::start(p, date, explain, on_error, result);
  // In the order of the inputs' names, values and refusals alike, as a batch's row is checked.
  auto value = input.values().begin();
  auto refusal = input.refused().begin();
  while (value != input.values().end() || refusal != input.refused().end()) {
    if (refusal == input.refused().end() || (value != input.values().end() && value->first < refusal->first)) {
      Access::give(p, evaluator, detail::input_slot(p, value->first), value->second, result);
      ++value;
    } else {
      Access::refuse(p, evaluator, detail::input_slot(p, refusal->first), refusal->second, result);
      ++refusal;
    }
  }
  // Every name is checked before anything is computed. A few slots are kept on the stack: a
  // host asking for one or two decisions allocates nothing here.
  std::array<int, 8> few;
  std::vector<int> many(decisions.size() > few.size() ? decisions.size() : 0);
  const std::span<int> wanted = many.empty() ? std::span<int>(few.data(), decisions.size()) : std::span<int>(many);
  for (std::size_t i = 0; i < decisions.size(); ++i) wanted[i] = detail::decision_slot(p, decisions[i]);
  Access::finish(p, evaluator, wanted, result);
  return result;
}

detail::Evaluator& detail::RulebookAccess::start(const Program& p, const Date& date, bool explain, OnError on_error,
                                                 Result& result) {
  begin(result, explain, on_error);
  if (explain) result.explanation_.date = date;
  detail::Evaluator& evaluator = evaluator_for(p);
  evaluator.start(date, explain ? &result.explanation_ : nullptr);
  return evaluator;
}

void detail::RulebookAccess::begin(Result& result, bool explain, OnError on_error) {
  result.explained_ = explain;
  result.keep_errors_ = on_error == OnError::keep;
}

void detail::RulebookAccess::give(const Program& p, Evaluator& evaluator, int input_slot, const Value& value,
                                  Result& result) {
  if (!value.has_value()) return;  // an explicit "no value" is the same as leaving it out
  std::string why;
  const Value* v = detail::accept_input(p.inputs[input_slot], value, evaluator.converted(input_slot), why, p.limits);
  if (v) {
    evaluator.set_input(input_slot, *v);
  } else {
    refuse(p, evaluator, input_slot, std::move(why), result);
  }
}

void detail::RulebookAccess::refuse(const Program& p, Evaluator& evaluator, int input_slot, std::string why,
                                    Result& result) {
  const std::string& name = p.inputs[input_slot].name;
  if (!result.keep_errors_) throw CaseError(name, why);
  result.refused_.emplace_back(name, why);  // said even when no decision reads it
  evaluator.refuse_input(input_slot, std::move(why));
}

void detail::RulebookAccess::finish(const Program& p, Evaluator& evaluator, std::span<const int> decision_slots,
                                    Result& result) {
  const std::size_t n = decision_slots.empty() ? p.decisions.size() : decision_slots.size();
  result.values_.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const int slot = decision_slots.empty() ? static_cast<int>(i) : decision_slots[i];
    const std::string& name = p.decisions[slot].name;
    if (result.explained_) result.explanation_.roots.push_back(name);
    if (!result.keep_errors_) {
      result.values_.emplace_back(name, evaluator.decision(slot));
      continue;
    }
    try {
      result.values_.emplace_back(name, evaluator.decision(slot));
    } catch (const EvaluationError& e) {
      result.errors_.push_back({name, e});
    }
  }
}

Case Rulebook::read_case(const std::string& text, const std::string& source_name, OnError on_error) const {
  detail::Diagnostics out(program_->limits.max_errors);
  auto raw = detail::read_yaml_text(text, source_name, program_->limits, out);
  if (out.has_errors()) throw LoadError(out.take());
  Case c;
  if (!raw || raw->shape == detail::RawValue::Shape::null) {  // a truncated save, most likely: never an empty case
    throw LoadError({{Severity::error, {source_name, 1, 1},
                      "the case is empty (no text, or only comments); write {} for a case that gives no inputs"}});
  }
  if (raw->shape != detail::RawValue::Shape::mapping) {
    throw LoadError({{Severity::error, raw->location, "a case must be a mapping of input names to values"}});
  }
  for (const auto& [name, value] : raw->entries) {
    const int slot = detail::input_slot(*program_, name);
    if (value.shape == detail::RawValue::Shape::null) continue;
    std::string why;
    auto v = detail::convert(value, program_->inputs[slot].type, why);
    if (!v && on_error == OnError::keep) {
      c.refuse(name, why);  // refused when evaluated, for what reads it only
      continue;
    }
    if (!v) throw CaseError(name, why);
    c.set(name, std::move(*v));
  }
  return c;
}

Value Rulebook::parse_input(const std::string& input, const std::string& text) const {
  const detail::Symbol* sym = program_->find(input);
  if (!sym || sym->kind != detail::SymbolKind::input) throw CaseError(input, "unknown input");
  if (text.empty()) return Value();
  std::string why;
  if (auto v = detail::conform(Value(text), program_->inputs[sym->slot].type, why, program_->limits)) return *v;
  throw CaseError(input, why);
}

const std::string& Rulebook::name() const { return program_->name; }
const std::string& Rulebook::version() const { return program_->version; }
const std::string& Rulebook::description() const { return program_->description; }
const std::string& Rulebook::reform() const { return program_->reform; }
const std::vector<std::string>& Rulebook::outputs() const { return program_->outputs; }
const std::vector<std::pair<std::string, std::string>>& Rulebook::payers() const { return program_->payers; }
const std::string& Rulebook::group_by() const { return program_->group_by; }
const std::vector<Decimal>& Rulebook::change_bands() const { return program_->change_bands; }
const std::vector<WorkListInfo>& Rulebook::work_lists() const { return program_->work_lists; }
const std::vector<SummaryFigureInfo>& Rulebook::summary() const { return program_->summary; }

namespace {
std::vector<std::string> enum_values(const detail::Type& t) {
  return t.is_enum() ? *t.enum_values : std::vector<std::string>{};
}
}  // namespace

namespace {

// Marks each input some expression of `p` asks has() of.
void mark_has(const detail::Node& e, std::vector<char>& asked) {
  if (e.kind == detail::NodeKind::call && e.builtin == detail::Builtin::has && !e.args.empty() &&
      e.args[0]->kind == detail::NodeKind::input)
    asked[e.args[0]->slot] = 1;
  for (const auto& a : e.args) mark_has(*a, asked);
}

}  // namespace

std::string Labels::of_name(const std::string& language) const {
  const auto it = name.find(language);
  return it == name.end() ? std::string() : it->second;
}

std::string Labels::of_value(const std::string& value, const std::string& language) const {
  const auto v = values.find(value);
  if (v == values.end()) return "";
  const auto it = v->second.find(language);
  return it == v->second.end() ? std::string() : it->second;
}

std::vector<InputInfo> Rulebook::inputs() const {
  std::vector<char> asked(program_->inputs.size(), 0);
  for (const auto& d : program_->decisions) {
    if (d.formula) mark_has(*d.formula->root, asked);
    for (const auto& row : d.table) {
      for (const auto& w : row.when) mark_has(*w.root, asked);
      mark_has(*row.then.root, asked);
    }
  }
  std::vector<InputInfo> out;
  for (const auto& in : program_->inputs) {
    InputInfo info{in.name, in.type_name, in.description, in.unit, in.legal_basis, enum_values(in.type), in.default_value, {},
                   asked[out.size()] != 0, in.labels};
    if (in.type.record) {
      for (const auto& f : in.type.record->fields) {
        info.fields.push_back({f.name, f.type.is_enum() ? "enum" : detail::describe(f.type), f.description, enum_values(f.type),
                               f.default_value});
      }
    }
    out.push_back(std::move(info));
  }
  return out;
}

std::vector<ParameterInfo> Rulebook::parameters() const {
  std::vector<ParameterInfo> out;
  for (const auto& p : program_->parameters) {
    ParameterInfo info{p.name, p.type_name, p.description, p.unit, enum_values(p.type), {}};
    for (const auto& period : p.history)
      info.history.push_back({period.from, period.value, period.legal_basis, period.from_reform});
    out.push_back(std::move(info));
  }
  return out;
}

namespace {

// Which inputs each decision may read, directly or through the decisions it uses: by decision
// slot, a flag per input slot. Each decision's expressions are walked once.
class InputReads {
 public:
  explicit InputReads(const detail::Program& p) : p_(p), reads_(p.decisions.size()), state_(p.decisions.size(), 0) {}
  const std::vector<char>& of(int decision) {
    if (state_[decision] == 0) {
      state_[decision] = 1;  // a cycle cannot be (the checker refuses one); this stops one anyway
      reads_[decision].assign(p_.inputs.size(), 0);
      const detail::CompiledDecision& d = p_.decisions[decision];
      if (d.formula) walk(*d.formula->root, reads_[decision]);
      for (const detail::CompiledRow& row : d.table) {
        for (const detail::CompiledExpression& w : row.when) walk(*w.root, reads_[decision]);
        walk(*row.then.root, reads_[decision]);
      }
      state_[decision] = 2;
    }
    return reads_[decision];
  }

 private:
  void walk(const detail::Node& e, std::vector<char>& into) {
    if (e.kind == detail::NodeKind::input) into[e.slot] = 1;
    if (e.kind == detail::NodeKind::decision && state_[e.slot] != 1) {
      const std::vector<char>& used = of(e.slot);
      for (std::size_t i = 0; i < used.size(); ++i) into[i] |= used[i];
    }
    for (const auto& a : e.args) walk(*a, into);
  }
  const detail::Program& p_;
  std::vector<std::vector<char>> reads_;
  std::vector<char> state_;  // 0 not walked, 1 being walked, 2 done
};

}  // namespace

std::vector<DecisionInfo> Rulebook::decisions() const {
  std::vector<DecisionInfo> out;
  InputReads reads(*program_);
  for (const auto& d : program_->decisions) {
    DecisionInfo info{d.name, d.type_name, d.description, d.unit, d.legal_basis, enum_values(d.type), d.optional,
                      d.from_reform, d.formula ? d.formula->text.text : std::string(), {}, d.labels, {}};
    const std::vector<char>& read = reads.of(static_cast<int>(out.size()));
    for (std::size_t i = 0; i < read.size(); ++i)
      if (read[i]) info.inputs.push_back(program_->inputs[i].name);
    for (const auto& row : d.table) {
      DecisionInfo::Row r;
      for (const auto& w : row.when) r.when.push_back(w.text.text);
      r.then = row.then.text.text;
      r.legal_basis = row.legal_basis;
      info.table.push_back(std::move(r));
    }
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace kaidah
