#include "kaidah/scenario.h"

#include <algorithm>
#include <map>

#include "lang/values.h"
#include "diagnostics.h"
#include "program.h"
#include "rulebook_access.h"
#include "load/fields.h"

namespace kaidah {

int ScenarioReport::passed() const {
  return static_cast<int>(std::count_if(outcomes.begin(), outcomes.end(), [](const auto& o) { return o.passed; }));
}
int ScenarioReport::failed() const { return static_cast<int>(outcomes.size()) - passed(); }
std::string ScenarioReport::summary() const {
  return std::to_string(passed()) + " passed, " + std::to_string(failed()) + " failed";
}

namespace {

using detail::RawValue;
namespace fs = std::filesystem;

struct Types {
  std::map<std::string, detail::Type> inputs, decisions;
  std::map<std::string, bool> optional;
  explicit Types(const Rulebook& r) {
    const detail::Program& p = detail::program_of(r);
    for (const auto& in : p.inputs) inputs[in.name] = in.type;
    for (const auto& d : p.decisions) {
      decisions[d.name] = d.type;
      optional[d.name] = d.optional;
    }
  }
};

// Calls `each(name, raw value, type)` for each entry of `map` whose name `types` knows; an
// unknown name is an error at its place ("unknown input 'x'").
template <class Each>
void for_each_known(const RawValue& map, const std::map<std::string, detail::Type>& types, const std::string& what,
                    detail::Diagnostics& out, Each each) {
  for (std::size_t i = 0; i < map.entries.size(); ++i) {
    const auto& [name, raw] = map.entries[i];
    const auto type = types.find(name);
    if (type == types.end()) {
      out.error(map.key_locations[i], "unknown " + what + " '" + name + "'");
    } else {
      each(name, raw, type->second);
    }
  }
}

// Runs one scenario; every problem with how it is written is a failure at its place.
// `base` is set when the file names a reform: `rulebook` is then the reformed one, and a
// scenario's `changes` lists exactly the decisions whose values differ from the base's.
ScenarioOutcome run_one(const Rulebook& rulebook, const Rulebook* base, const Types& types, const RawValue& item, int index) {
  ScenarioOutcome o{"scenario " + std::to_string(index), item.location, false, {}};
  detail::Diagnostics out;
  detail::Fields f(item, "a scenario", out, {"name", "date", "inputs", "expect", "expect_error", "changes", "source"});
  auto problems = [&] {
    std::string text;
    for (const Diagnostic& d : out.take()) text += to_string(d) + "\n";
    return text;
  };
  if (!f.ok()) {
    o.message = problems();
    return o;
  }
  if (const RawValue* name = f.scalar("name", true)) o.name = name->scalar;
  f.text("source");
  std::optional<Date> date;
  if (const RawValue* d = f.scalar("date", true)) {
    date = Date::try_parse(d->scalar);
    if (!date) out.error(d->location, "expected the evaluation date like 2025-01-01, got '" + d->scalar + "'");
  }
  Case c;
  std::string bad_inputs;  // values that do not fit their input: a failure, or the expected error
  std::vector<std::string> wanted;
  std::vector<std::pair<Value, SourceLocation>> expected;
  if (const RawValue* inputs = f.get("inputs")) {
    if (inputs->shape != RawValue::Shape::mapping && inputs->shape != RawValue::Shape::null) {
      out.error(inputs->location, "'inputs' must be a mapping of input names to values");
    }
    for_each_known(
        *inputs, types.inputs, "input", out,
        [&](const std::string& name, const RawValue& raw, const detail::Type& type) {
          if (raw.shape == RawValue::Shape::null) return;
          std::string why;
          if (auto v = detail::convert(raw, type, why)) {
            c.set(name, std::move(*v));
          } else {
            bad_inputs += to_string(Diagnostic{Severity::error, raw.location, "input '" + name + "': " + why}) + "\n";
          }
        });
  }
  const RawValue* expect = f.get("expect");
  const RawValue* expect_error = nullptr;  // the message the evaluation must fail with
  std::string error_decision;             // the decision that must fail, when named
  if (const RawValue* e = f.get("expect_error")) {
    detail::Fields ef(*e, "'expect_error'", out, {"decision", "message"});
    expect_error = ef.scalar("message", true);
    if (expect_error && expect_error->scalar.find_first_not_of(" \t") == std::string::npos) {
      // Every error message contains the empty text: such a scenario could never fail.
      out.error(expect_error->location, "'message' is empty, so it would match any error; give the text the error must contain");
      expect_error = nullptr;
    }
    if (const RawValue* d = ef.scalar("decision")) {
      if (types.decisions.count(d->scalar)) {
        error_decision = d->scalar;
      } else {
        out.error(d->location, "unknown decision '" + d->scalar + "'");
      }
    }
  }
  std::vector<std::string> changes;
  const RawValue* changes_raw = f.get("changes");
  if (changes_raw) {
    if (!base) out.error(changes_raw->location, "'changes' compares with a base: name the reform at the top of the file (reform: reforms/….yaml)");
    if (changes_raw->shape != RawValue::Shape::sequence) {
      out.error(changes_raw->location, "'changes' must be a list of decision names (empty: nothing changes)");
    } else {
      for (const RawValue& c : changes_raw->items) {
        if (!types.decisions.count(c.scalar)) out.error(c.location, "unknown decision '" + c.scalar + "'");
        changes.push_back(c.scalar);
      }
    }
  }
  if (!expect && !f.get("expect_error") && !changes_raw)
    out.error(item.location, "a scenario needs 'expect' (decision: value), 'expect_error' or 'changes'");
  // Both: a partial answer. The decisions expected have these values, and the one named fails.
  const bool partial = expect && expect_error;
  if (partial && error_decision.empty()) {
    out.error(expect->location, "a scenario with both 'expect' and 'expect_error' names the decision that fails: "
                                "expect_error: {decision: …, message: …}");
  }
  if (expect) {
    if (expect->shape != RawValue::Shape::mapping || expect->entries.empty()) {
      out.error(expect->location, "'expect' must map decision names to their expected values");
    } else {
      for_each_known(*expect, types.decisions, "decision", out,
                     [&](const std::string& name, const RawValue& raw, const detail::Type& type) {
                       std::string why;
                       if (raw.shape == RawValue::Shape::null && types.optional.at(name)) {
                         wanted.push_back(name);  // `null`: the optional decision has no value
                         expected.emplace_back(Value(), raw.location);
                       } else if (raw.shape == RawValue::Shape::null) {
                         out.error(raw.location,
                                   "decision '" + name + "' is not optional: it always has a value (or fails), so it " +
                                       "cannot be expected to be null; expect its value, or use expect_error");
                       } else if (auto v = detail::convert(raw, type, why)) {
                         wanted.push_back(name);
                         expected.emplace_back(std::move(*v), raw.location);
                       } else {
                         out.error(raw.location, "expected value of '" + name + "': " + why);
                       }
                     });
    }
  }
  if (!error_decision.empty()) wanted.push_back(error_decision);  // after the expected ones: expected[i] is wanted[i]
  if (out.has_errors() || !date) {
    o.message = problems() + bad_inputs;
    return o;
  }
  if (!bad_inputs.empty()) {
    o.passed = expect_error && bad_inputs.find(expect_error->scalar) != std::string::npos;
    if (!o.passed) o.message = (expect_error ? "expected an error containing '" + expect_error->scalar + "', got:\n" : "") + bad_inputs;
    return o;
  }
  try {
    const Result r = rulebook.explain(c, *date, wanted, partial ? OnError::keep : OnError::raise);
    if (expect_error && !partial) {
      o.message = to_string(expect_error->location) + ": expected an error containing '" + expect_error->scalar +
                  "', but the evaluation succeeded\n";
      return o;
    }
    std::string mismatches;
    if (partial) {
      const auto failed = std::find_if(r.errors().begin(), r.errors().end(),
                                       [&](const DecisionError& e) { return e.decision == error_decision; });
      if (failed == r.errors().end()) {
        mismatches += to_string(expect_error->location) + ": " + error_decision + ": expected an error containing '" +
                      expect_error->scalar + "', got " + r[error_decision].to_string() + "\n";
      } else if (std::string(failed->error.what()).find(expect_error->scalar) == std::string::npos) {
        mismatches += to_string(expect_error->location) + ": " + error_decision + ": expected an error containing '" +
                      expect_error->scalar + "', got: " + failed->error.what() + "\n";
      }
    }
    for (std::size_t i = 0; i < expected.size(); ++i) {
      // A partial answer: an expected decision without value is a mismatch with its reason, never
      // an error the expect_error text could match.
      const auto failed = std::find_if(r.errors().begin(), r.errors().end(),
                                       [&](const DecisionError& e) { return e.decision == wanted[i]; });
      if (failed != r.errors().end()) {
        mismatches += to_string(expected[i].second) + ": " + wanted[i] + ": expected " + expected[i].first.to_string() +
                      ", got no value: " + failed->error.what() + "\n";
        continue;
      }
      const Value& actual = r[wanted[i]];
      if (!(actual == expected[i].first)) {
        mismatches += to_string(expected[i].second) + ": " + wanted[i] + ": expected " + expected[i].first.to_string() +
                      ", got " + actual.to_string() + "\n";
      }
    }
    if (changes_raw && base) {
      // Every decision, with and without the reform: exactly the listed ones may differ. One the
      // case's facts do not allow under both is no change; under one only, it is one.
      const Result now = rulebook.evaluate(c, *date, {}, OnError::keep), before = base->evaluate(c, *date, {}, OnError::keep);
      std::vector<std::string> differ;
      auto value_in = [](const Result& result, const std::string& name) -> const Value* {
        for (const auto& [n, v] : result.values())
          if (n == name) return &v;
        return nullptr;
      };
      for (const auto& [name, value] : now.values()) {
        const Value* old_value = value_in(before, name);
        if (!old_value || !(*old_value == value)) differ.push_back(name);
      }
      for (const DecisionError& e : now.errors())
        if (value_in(before, e.decision)) differ.push_back(e.decision);
      std::sort(differ.begin(), differ.end());
      std::vector<std::string> listed = changes;
      std::sort(listed.begin(), listed.end());
      if (differ != listed) {
        std::string got, want;
        for (const auto& d : differ) got += (got.empty() ? "" : ", ") + d;
        for (const auto& d : listed) want += (want.empty() ? "" : ", ") + d;
        mismatches += to_string(changes_raw->location) + ": the reform changes [" + got + "], expected [" + want + "]\n";
      }
    }
    o.passed = mismatches.empty();
    if (!o.passed) o.message = mismatches + "explanation:\n" + r.explanation().to_text();
  } catch (const Error& e) {
    const std::string what = e.what();
    if (expect_error && what.find(expect_error->scalar) != std::string::npos) {
      o.passed = true;
    } else {
      o.message = (expect_error ? "expected an error containing '" + expect_error->scalar + "', got: " : "error: ") + what + "\n";
    }
  }
  return o;
}

void run_file(const Rulebook& rulebook, const Types& types, const fs::path& file, const std::string& display,
              ScenarioReport& report) {
  const LoadOptions& limits = detail::program_of(rulebook).limits;  // the file and its reform, in the rulebook's
  detail::Diagnostics out(limits.max_errors);
  auto root = detail::read_yaml_file(file, display, limits, out);
  const RawValue* tests = nullptr;
  std::optional<Rulebook> reformed;
  if (root) {
    detail::Fields f(*root, "a scenario file", out, {"tests", "reform"});
    tests = f.get("tests", true);
    if (const RawValue* reform = f.scalar("reform")) {
      try {
        reformed = Rulebook::load_reform(detail::program_of(rulebook).source_dir,
                                         detail::program_of(rulebook).source_dir / reform->scalar, limits);
      } catch (const LoadError& e) {
        out.error(reform->location, "the reform " + reform->scalar + " does not load:\n" + to_string(e.diagnostics()));
      }
    }
    if (tests && (tests->shape != RawValue::Shape::sequence || tests->items.empty())) {
      out.error(tests->location, "'tests' must be a non-empty list of scenarios");
      tests = nullptr;
    }
  }
  if (out.has_errors() || !tests) {
    std::string message;
    for (const Diagnostic& d : out.take()) message += to_string(d) + "\n";
    report.outcomes.push_back({display, {display, 1, 1}, false, message});
    return;
  }
  const Types reform_types(reformed ? *reformed : rulebook);
  std::map<std::string, SourceLocation> names;  // a report that says which one failed needs unique names
  for (std::size_t i = 0; i < tests->items.size(); ++i) {
    ScenarioOutcome o = reformed ? run_one(*reformed, &rulebook, reform_types, tests->items[i], static_cast<int>(i) + 1)
                                 : run_one(rulebook, nullptr, types, tests->items[i], static_cast<int>(i) + 1);
    if (const auto [first, added] = names.try_emplace(o.name, o.location); !added) {
      o.passed = false;
      o.message = to_string(Diagnostic{Severity::error, o.location,
                                       "scenario name '" + o.name + "' is used twice in this file (first at line " +
                                           std::to_string(first->second.line) + ")"}) +
                  "\n" + o.message;
    }
    report.outcomes.push_back(std::move(o));
  }
}

}  // namespace

ScenarioReport run_scenarios(const Rulebook& rulebook, const fs::path& path) {
  ScenarioReport report;
  const Types types(rulebook);
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    run_file(rulebook, types, path, path.filename().generic_string(), report);
    return report;
  }
  if (!fs::is_directory(path, ec)) {
    report.outcomes.push_back({path.string(), {path.string(), 0, 0}, false, path.string() + ": no such file or folder\n"});
    return report;
  }
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const auto ext = it->path().extension();
    if (it->is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    run_file(rulebook, types, file, fs::relative(file, path.parent_path()).generic_string(), report);
  }
  return report;
}

}  // namespace kaidah
