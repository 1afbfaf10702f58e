// kaidah.Rulebook: load, evaluate, explain, evaluate columns (GIL released), introspect, test.
#include <pybind11/stl.h>

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "bind.h"
#include "columns.h"

namespace kaidah::python {
namespace {

// The case of `facts`. A value Python cannot give (a float, an object of no input's type) is
// raised, or with OnError::keep refused (Case::refuse), its name in `floats` when a float.
Case make_case(py::dict facts, const PyTypes& types, OnError on_error, std::set<std::string>& floats) {
  Case c;
  for (auto [key, value] : facts) {
    const std::string name = input_name(key);
    try {
      c.set(name, from_python(value, name, types));
    } catch (const CaseError& e) {
      if (on_error == OnError::raise) throw;
      if (dynamic_cast<const FloatRejected*>(&e)) floats.insert(name);
      c.refuse(name, e.reason());
    }
  }
  return c;
}

std::vector<std::string> names_or_all(const Rulebook& r, const std::optional<std::vector<std::string>>& decisions) {
  if (decisions) return *decisions;
  std::vector<std::string> all;
  for (const DecisionInfo& d : r.decisions()) all.push_back(d.name);
  return all;
}

py::dict values_of(const Result& result, const PyTypes& types) {
  py::dict out;
  for (const auto& [name, value] : result.values()) out[py::str(name)] = to_python(value, types);
  return out;
}

py::dict explanation_of(const Explanation& x, const PyTypes& types) {
  py::dict decisions;
  for (const DecisionTrace& d : x.decisions) {
    py::list inputs, parameters;
    for (const InputRead& in : d.inputs) {
      inputs.append(py::dict(py::arg("name") = in.name, py::arg("value") = to_python(in.value, types),
                             py::arg("defaulted") = in.defaulted, py::arg("description") = in.description,
                             py::arg("unit") = in.unit));
    }
    for (const ParameterRead& p : d.parameters) {
      parameters.append(py::dict(py::arg("name") = p.name, py::arg("value") = to_python(p.value, types),
                                 py::arg("effective_from") = to_python(Value(p.effective_from), types),
                                 py::arg("legal_basis") = p.legal_basis, py::arg("description") = p.description,
                                 py::arg("unit") = p.unit, py::arg("first_asked") = to_python(Value(p.first_asked), types),
                                 py::arg("last_asked") = to_python(Value(p.last_asked), types), py::arg("times") = p.times,
                                 py::arg("from_reform") = p.from_reform));
    }
    decisions[py::str(d.name)] = py::dict(
        py::arg("value") = to_python(d.value, types), py::arg("unit") = d.unit, py::arg("description") = d.description,
        py::arg("legal_basis") = d.legal_basis, py::arg("formula") = d.formula, py::arg("row") = d.row,
        py::arg("conditions") = d.conditions, py::arg("row_legal_basis") = d.row_legal_basis,
        py::arg("decisions") = d.decisions, py::arg("inputs") = inputs, py::arg("parameters") = parameters,
        py::arg("from_reform") = d.from_reform,
        py::arg("error") = d.error.empty() ? py::object(py::none()) : py::object(py::str(d.error)));
  }
  return py::dict(py::arg("date") = to_python(Value(x.date), types), py::arg("roots") = x.roots,
                  py::arg("decisions") = decisions, py::arg("text") = x.to_text(), py::arg("json") = x.to_json());
}

// decisions=[] asks for no decision (None asks for all): nothing is evaluated, but the case is
// still read and its names checked, so that a bad case never passes unnoticed.
bool asks_nothing(const std::optional<std::vector<std::string>>& decisions) { return decisions && decisions->empty(); }

void check_names(const Rulebook& r, const Case& c) {
  std::vector<std::string> names;
  for (const auto& [name, value] : c.values()) names.push_back(name);
  for (const auto& [name, reason] : c.refused()) names.push_back(name);
  const Query resolved(r, std::move(names));  // CaseError for a name that is not an input
}

OnError on_error_of(const std::string& errors) {
  if (errors == "raise") return OnError::raise;
  if (errors == "keep") return OnError::keep;
  throw py::value_error("errors must be 'raise' or 'keep', got '" + errors + "'");
}

// Evaluates (or explains) one case: converts with the GIL held, evaluates without it. Returns
// (values, explanation or None, {decision: EvaluationError}, [CaseError]) : the last two for
// errors="keep".
py::tuple run_one(const Rulebook& r, py::dict facts, py::object date,
                  const std::optional<std::vector<std::string>>& decisions, bool explain, const PyTypes& types,
                  OnError on_error) {
  std::set<std::string> floats;
  const Case c = make_case(facts, types, on_error, floats);
  const Date d = date_from_python(date, types);
  auto refusal = [&](const std::string& field, const std::string& reason) {
    return floats.count(field) ? py::module_::import("kaidah.errors").attr("FloatError")(field, reason)
                               : python_error(CaseError(field, reason));
  };
  if (asks_nothing(decisions)) {  // the case is read and its names checked; what Python could not give is said
    check_names(r, c);
    Explanation nothing;
    nothing.date = d;
    py::list refused;
    for (const auto& [name, reason] : c.refused()) refused.append(refusal(name, reason));
    return py::make_tuple(py::dict(), explain ? py::object(explanation_of(nothing, types)) : py::none(), py::dict(),
                          refused);
  }
  const std::vector<std::string> names = decisions.value_or(std::vector<std::string>{});
  Result result;
  {
    py::gil_scoped_release release;
    result = explain ? r.explain(c, d, names, on_error) : r.evaluate(c, d, names, on_error);
  }
  py::dict errors;
  for (const DecisionError& e : result.errors()) errors[py::str(e.decision)] = python_error(e.error);
  py::list refused;
  for (const CaseError& e : result.refused_inputs()) refused.append(refusal(e.field(), e.reason()));
  return py::make_tuple(values_of(result, types), explain ? py::object(explanation_of(result.explanation(), types)) : py::none(),
                        errors, refused);
}

// A summary figure as a dict: name, kind ("count", "count_by", "sum" or "section"), the
// decisions it reads, its bands and label, and a section's figures and headline.
py::dict figure_dict(const SummaryFigureInfo& f) {
  static constexpr const char* kKinds[] = {"count", "count_by", "sum", "section"};
  py::dict d;
  d["name"] = f.name;
  d["kind"] = kKinds[static_cast<int>(f.kind)];
  d["decision"] = f.decision;
  d["by"] = f.by;
  d["when"] = f.when;
  d["bands"] = f.bands;
  d["label"] = f.label;
  py::list figures;
  for (const SummaryFigureInfo& g : f.figures) figures.append(figure_dict(g));
  d["figures"] = figures;
  d["headline"] = f.headline;
  return d;
}

}  // namespace

// A limit's value as T: a whole number from 1 to the limit's ceiling (LoadOptions::ceiling), in
// the words Rulebook::load uses. Checked before the cast: -1 would wrap in an unsigned type.
template <class T>
T limit(const std::string& name, py::handle value) {
  const std::uintmax_t ceiling = LoadOptions::ceiling(name);
  const std::string range = "between 1 and " + std::to_string(ceiling);
  if (!PyLong_Check(value.ptr()) || PyBool_Check(value.ptr())) {
    throw py::type_error("limit '" + name + "' must be a whole number " + range + ", got " +
                         Py_TYPE(value.ptr())->tp_name + " " + std::string(py::repr(value)));
  }
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
  if (overflow == 0 && v == -1 && PyErr_Occurred()) throw py::error_already_set();
  if (overflow != 0 || v < 1 || static_cast<unsigned long long>(v) > ceiling) {
    throw py::value_error("limit '" + name + "' is " + std::string(py::str(value)) + "; it must be " + range);
  }
  return static_cast<T>(v);
}

LoadOptions load_options(const py::kwargs& limits) {
  LoadOptions o;
  for (auto [key, value] : limits) {
    const std::string name = py::str(key);
    if (LoadOptions::ceiling(name) == 0) throw py::type_error("unknown limit '" + name + "'");
    o.set(name, limit<long long>(name, value));
  }
  return o;
}

void bind_rulebook(py::module_& m) {
  py::class_<Rulebook>(m, "Rulebook")
      .def_static(
          "load", [](const std::string& path, py::kwargs limits) { return Rulebook::load(path, load_options(limits)); },
          py::arg("path"))
      .def_property_readonly("name", &Rulebook::name)
      .def_property_readonly("version", &Rulebook::version)
      .def_property_readonly("description", &Rulebook::description)
      .def_property_readonly("reform", &Rulebook::reform)
      .def_property_readonly("outputs", &Rulebook::outputs)
      .def_property_readonly("payers", &Rulebook::payers)
      .def_property_readonly("work_lists",
                             [](const Rulebook& r) {
                               py::list out;
                               for (const WorkListInfo& l : r.work_lists()) {
                                 py::dict d;
                                 d["name"] = l.name;
                                 d["when"] = l.when;
                                 d["columns"] = l.columns;
                                 d["label"] = l.label;
                                 d["note"] = l.note;
                                 out.append(d);
                               }
                               return out;
                             })
      .def_property_readonly("summary",
                             [](const Rulebook& r) {
                               py::list out;
                               for (const SummaryFigureInfo& f : r.summary()) out.append(figure_dict(f));
                               return out;
                             })
      .def(
          "evaluate",
          [](const Rulebook& r, py::dict facts, py::object date, std::optional<std::vector<std::string>> decisions,
             const std::string& errors) { return run_one(r, facts, date, decisions, false, PyTypes(), on_error_of(errors)); },
          py::arg("case"), py::arg("date"), py::arg("decisions") = py::none(), py::arg("errors") = "raise")
      .def(
          "explain",
          [](const Rulebook& r, py::dict facts, py::object date, std::optional<std::vector<std::string>> decisions,
             const std::string& errors) { return run_one(r, facts, date, decisions, true, PyTypes(), on_error_of(errors)); },
          py::arg("case"), py::arg("date"), py::arg("decisions") = py::none(), py::arg("errors") = "raise")
      .def(
          "evaluate_columns",
          [](const Rulebook& r, py::dict columns, py::object date, std::optional<std::vector<std::string>> decisions,
             unsigned threads, bool typed, bool whole_row) {
            const PyTypes types;
            const Date d = date_from_python(date, types);
            const std::vector<std::string> names = names_or_all(r, decisions);
            std::vector<std::string> inputs;
            std::vector<ColumnReader> readers;
            for (auto [key, value] : columns) {
              inputs.push_back(input_name(key));
              readers.emplace_back(value, inputs.back());
              if (readers.back().rows() != readers.front().rows()) {
                throw py::value_error("column '" + inputs.back() + "' has " + std::to_string(readers.back().rows()) +
                                      " rows, the others " + std::to_string(readers.front().rows()));
              }
            }
            const std::size_t rows = readers.empty() ? 0 : readers.front().rows();
            BatchOptions options;
            options.threads = threads;
            options.whole_row = whole_row;
            options.typed_results = true;
            const Batch batch(r, inputs, d, names, options);
            const std::vector<DecisionInfo> info = r.decisions();
            std::vector<ColumnWriter> writers;
            for (const std::string& name : names) {
              const auto it = std::find_if(info.begin(), info.end(), [&](const DecisionInfo& i) { return i.name == name; });
              writers.emplace_back(it->type, it->values, rows, typed);
            }
            // A chunk at a time, as kaidah sweep streams: its cells stay in the cache. Lists of
            // Python objects are read with the GIL held; typed columns are read by the batch in
            // place, and the chunk evaluated and its typed results copied out without it.
            constexpr std::size_t kChunk = 16'384;
            const unsigned workers = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
            // A cell Python could not give (a float, an object of no input's type) is refused by
            // the batch like a value that does not fit: only what reads it goes without value.
            std::vector<RefusedCell> refused;
            std::vector<std::pair<std::size_t, RowError>> failed_cells;
            std::vector<std::vector<Value>> cells(inputs.size());
            std::vector<TypedColumn> views(inputs.size());
            std::vector<BatchColumn> chunk;
            BatchResult result;
            for (std::size_t first = 0; first < rows; first += kChunk) {
              const std::size_t n = std::min(kChunk, rows - first);
              refused.clear();
              chunk.clear();
              for (std::size_t c = 0; c < readers.size(); ++c) {
                if (readers[c].objects() && readers[c].read_text(first, n, views[c])) {
                  chunk.emplace_back(views[c]);  // a CSV read with dtype=str: no Value a cell
                } else if (readers[c].objects()) {
                  cells[c].resize(n);
                  readers[c].read(first, cells[c], types, c, refused);
                  chunk.emplace_back(cells[c]);
                } else {
                  views[c] = readers[c].view(first, n);
                  chunk.emplace_back(views[c]);
                }
              }
              {
                py::gil_scoped_release release;
                if (asks_nothing(decisions)) {  // the cells are read: that is all, each refusal said
                  // in the batch's order: by row, then by input name.
                  std::sort(refused.begin(), refused.end(), [&](const RefusedCell& a, const RefusedCell& b) {
                    return std::tie(a.row, inputs[a.column]) < std::tie(b.row, inputs[b.column]);
                  });
                  for (const RefusedCell& cell : refused)
                    failed_cells.emplace_back(first + cell.row, RowError{cell.row, RowError::Kind::input, inputs[cell.column],
                                                                         cell.reason, inputs[cell.column], {}});
                  continue;
                }
                batch.run(chunk, refused, result);
                parallel_for(writers.size(), workers, [&](std::size_t k) { writers[k].write(result.typed[k], first); });
              }
              for (RowError& e : result.errors) failed_cells.emplace_back(first + e.row, std::move(e));
            }
            // (row, kind "input" or "decision", name, message, input, [decisions left without value]),
            // ascending by row; and each failed row's reasons as describe_failures() writes them.
            py::list errors, reasons;
            std::vector<RowError> one_row;
            for (std::size_t k = 0; k < failed_cells.size(); ++k) {
              const auto& [row, e] = failed_cells[k];
              std::vector<std::string> blank;
              for (std::size_t d : e.columns) blank.push_back(names[d]);
              errors.append(py::make_tuple(row, e.kind == RowError::Kind::input ? "input" : "decision", e.field, e.message,
                                           e.input, blank));
              one_row.push_back(e);
              if (whole_row) one_row.back().columns.clear();  // every decision: listing them says nothing
              if (k + 1 == failed_cells.size() || failed_cells[k + 1].first != row) {
                reasons.append(py::make_tuple(row, describe_failures(one_row, names)));
                one_row.clear();
              }
            }
            py::dict out;
            for (std::size_t k = 0; k < names.size(); ++k) out[py::str(names[k])] = writers[k].finish(types);
            return py::make_tuple(out, errors, reasons);
          },
          py::arg("columns"), py::arg("date"), py::arg("decisions") = py::none(), py::arg("threads") = 0u,
          py::arg("typed") = false, py::arg("whole_row") = false)
      .def("inputs",
           [](const Rulebook& r) {
             const PyTypes types;
             py::list out;
             for (const InputInfo& in : r.inputs()) {
               py::list fields;
               for (const FieldInfo& f : in.fields) {
                 fields.append(py::dict(py::arg("name") = f.name, py::arg("type") = f.type,
                                        py::arg("description") = f.description, py::arg("values") = f.values,
                                        py::arg("default") = to_python(f.default_value, types)));
               }
               out.append(py::dict(py::arg("name") = in.name, py::arg("type") = in.type,
                                   py::arg("description") = in.description, py::arg("unit") = in.unit,
                                   py::arg("legal_basis") = in.legal_basis, py::arg("values") = in.values,
                                   py::arg("default") = to_python(in.default_value, types), py::arg("fields") = fields));
             }
             return out;
           })
      .def("parameters",
           [](const Rulebook& r) {
             const PyTypes types;
             py::list out;
             for (const ParameterInfo& p : r.parameters()) {
               py::list history;
               for (const ParameterValue& v : p.history) {
                 history.append(py::make_tuple(to_python(Value(v.effective_from), types), to_python(v.value, types),
                                               v.legal_basis, v.from_reform));
               }
               out.append(py::dict(py::arg("name") = p.name, py::arg("type") = p.type,
                                   py::arg("description") = p.description, py::arg("unit") = p.unit,
                                   py::arg("values") = p.values, py::arg("history") = history));
             }
             return out;
           })
      .def("decisions",
           [](const Rulebook& r) {
             py::list out;
             for (const DecisionInfo& d : r.decisions()) {
               py::list table;
               for (const auto& row : d.table) {
                 table.append(py::dict(py::arg("when") = row.when, py::arg("then") = row.then,
                                       py::arg("legal_basis") = row.legal_basis));
               }
               out.append(py::dict(py::arg("name") = d.name, py::arg("type") = d.type,
                                   py::arg("description") = d.description, py::arg("unit") = d.unit,
                                   py::arg("legal_basis") = d.legal_basis, py::arg("values") = d.values,
                                   py::arg("optional") = d.optional, py::arg("formula") = d.formula,
                                   py::arg("table") = table, py::arg("from_reform") = d.from_reform,
                                   py::arg("label") = d.labels.name, py::arg("value_labels") = d.labels.values));
             }
             return out;
           })
      .def(
          "run_tests",
          [](const Rulebook& r, const std::string& path) {
            ScenarioReport report;
            {
              py::gil_scoped_release release;
              report = run_scenarios(r, path);
            }
            py::list out;
            for (const ScenarioOutcome& o : report.outcomes) {
              out.append(py::dict(py::arg("name") = o.name, py::arg("location") = to_string(o.location),
                                  py::arg("passed") = o.passed, py::arg("message") = o.message));
            }
            return out;
          },
          py::arg("path"));
}

}  // namespace kaidah::python

namespace kaidah::python {

py::list changes_of(const std::vector<DecisionChange>& changes, const PyTypes& types) {
  py::list out;
  for (const DecisionChange& c : changes) {
    out.append(py::make_tuple(c.decision, to_python(c.before, types), to_python(c.after, types),
                              c.difference ? to_python(Value(*c.difference), types) : py::none(), c.causes));
  }
  return out;
}

void bind_compare(py::module_& m) {
  m.def(
      "load_reform",
      [](const std::string& base, const std::string& reform, py::kwargs limits) {
        return Rulebook::load_reform(base, reform, load_options(limits));
      },
      py::arg("base"), py::arg("reform"));
  m.def("default_limits", [] {  // LoadOptions' names and defaults, in its order: the one place they are written
    py::dict out;
    const LoadOptions defaults;
    for (const std::string_view name : LoadOptions::names()) out[py::str(std::string(name))] = *defaults.get(name);
    return out;
  });
  m.def(
      "compare_columns",
      [](const Rulebook& base, const Rulebook& reform, py::dict columns, py::object date,
         std::optional<std::vector<std::string>> decisions) {
        const PyTypes types;
        const Date d = date_from_python(date, types);
        // As kaidah diff: the rulebook's declared outputs and payers unless decisions are named.
        const std::vector<std::string> names = decisions.value_or(default_comparison(reform));
        const std::string group_by = default_group(reform);
        std::size_t rows = 0;
        std::vector<std::pair<std::string, py::sequence>> cols;
        for (auto [key, value] : columns) {
          cols.emplace_back(input_name(key), py::reinterpret_borrow<py::sequence>(value));
          rows = py::len(cols.back().second);
        }
        ComparisonSummary summary;
        summary.set_payers(reform.payers(), names);
        summary.set_change_bands(reform.change_bands());
        py::list per_row, errors;
        for (std::size_t i = 0; i < rows; ++i) {
          try {
            Case c;
            for (const auto& [name, column] : cols) c.set(name, from_python(column[i], name, types));
            std::vector<DecisionChange> found;
            std::vector<DecisionError> unanswered;  // compared in part: the others said
            if (asks_nothing(decisions)) {
              check_names(base, c);
              check_names(reform, c);
              summary.add("all", found);
            } else {
              py::gil_scoped_release release;
              found = compare_into(summary, base, reform, c, d, names, group_by, &unanswered);
            }
            per_row.append(changes_of(found, types));
            if (!unanswered.empty()) errors.append(py::make_tuple(i, "compared in part: " + unanswered_text(unanswered)));
          } catch (const Error& e) {
            summary.add_error();
            per_row.append(py::list());
            errors.append(py::make_tuple(i, std::string(e.what())));
          }
        }
        return py::make_tuple(per_row, summary.to_json(), errors);
      },
      py::arg("base"), py::arg("reform"), py::arg("columns"), py::arg("date"), py::arg("decisions") = py::none());
  m.def(
      "timeline",
      [](const Rulebook& r, py::dict facts, std::vector<py::object> dates, std::optional<std::vector<std::string>> decisions) {
        const PyTypes types;
        Case c;
        for (auto [key, value] : facts) {
          const std::string name = input_name(key);
          c.set(name, from_python(value, name, types));
        }
        std::vector<Date> ds;
        for (const py::object& d : dates) ds.push_back(date_from_python(d, types));
        const std::vector<std::string> names = decisions.value_or(std::vector<std::string>{});
        std::vector<DatedChanges> steps;
        if (asks_nothing(decisions)) {
          check_names(r, c);
          for (std::size_t i = 1; i < ds.size(); ++i) steps.push_back({ds[i - 1], ds[i], {}});
        } else {
          py::gil_scoped_release release;
          steps = timeline(r, c, ds, names);
        }
        py::list out;
        for (const DatedChanges& s : steps) {
          out.append(py::make_tuple(to_python(Value(s.from), types), to_python(Value(s.to), types), changes_of(s.changes, types)));
        }
        return out;
      },
      py::arg("rulebook"), py::arg("case"), py::arg("dates"), py::arg("decisions") = py::none());
}

}  // namespace kaidah::python
