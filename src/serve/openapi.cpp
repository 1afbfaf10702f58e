#include "serve/openapi.h"

#include <algorithm>

#include "serve/json_out.h"

namespace kaidah::serve {

namespace {

std::string ref(const std::string& name) { return Object().text("$ref", "#/components/schemas/" + name).done(); }

// The schema of a value of rule-language type `type` ("decimal", "list of month"…), with
// `description`; `nullable`: it may be null (an input not given, an optional decision without
// value), said where OpenAPI 3.0 reads it, beside a `type`. Money and rates are strings of exact
// decimals; an input also takes a JSON number that is exact.
std::string type_schema(const std::string& type, const std::vector<std::string>& values, const std::vector<FieldInfo>& fields,
                        bool input, bool nullable = false, const std::string& description = "") {
  Object o;
  auto finish = [&](Object& schema) {
    if (nullable) schema.boolean("nullable", true);
    if (!description.empty()) schema.text("description", description);
    return schema.done();
  };
  if (type.starts_with("list of ")) {
    o.text("type", "array").raw("items", type_schema(type.substr(8), values, fields, input));
    return finish(o);
  }
  if (type == "record") {
    Object properties;
    std::vector<std::string> required;
    for (const FieldInfo& f : fields) {
      properties.raw(f.name, type_schema(f.type, f.values, {}, input, false, f.description));
      if (!f.default_value.has_value()) required.push_back(f.name);
    }
    o.text("type", "object").raw("properties", properties.done()).boolean("additionalProperties", false);
    if (!required.empty()) o.raw("required", texts(required));
    return finish(o);
  }
  if (type == "decimal") {
    Object text;
    text.text("type", "string").text("pattern", "^-?[0-9]+(\\.[0-9]+)?$");
    if (!input) {
      text.boolean("nullable", nullable);  // beside its type, where OpenAPI 3.0 reads it
      if (!description.empty()) text.text("description", description);
      return text.done();
    }
    if (nullable) text.boolean("nullable", true);  // null matches the typed branch
    o.raw("oneOf", "[" + text.done() + ", " + Object().text("type", "number").done() + "]");
    o.text("description", (description.empty() ? "" : description + " ") +
                              "An exact decimal: a string (\"3500000.50\"), or a JSON number written exactly.");
    return o.done();
  }
  if (type == "integer") o.text("type", "integer").text("format", "int64");
  else if (type == "bool") o.text("type", "boolean");
  else if (type == "date") o.text("type", "string").text("format", "date");
  else if (type == "month") o.text("type", "string").text("pattern", "^[0-9]{4}-[0-9]{2}$");
  else if (type == "enum" && !values.empty()) {
    std::string list = texts(values);
    if (nullable) list.insert(list.size() - 1, ", null");  // OpenAPI 3.0: an enum that may be null lists it
    o.text("type", "string").raw("enum", list);
  } else {
    o.text("type", "string");
  }
  return finish(o);
}

// "Monthly contribution (rupiah). Legal basis: …"
std::string described(const std::string& description, const std::string& unit, const std::string& legal_basis) {
  std::string out = description;
  if (!unit.empty()) out += " (" + unit + ")";
  if (!legal_basis.empty()) out += " Legal basis: " + legal_basis;
  return out;
}

std::string json_body(const std::string& schema) {
  return Object().raw("content", Object().raw("application/json", Object().raw("schema", schema).done()).done()).done();
}

std::string answered(const std::string& description, const std::string& schema) {
  return Object().text("description", description).raw("content", Object().raw("application/json", Object().raw("schema", schema).done()).done()).done();
}

// The errors an endpoint may answer with, each an Error.
std::string responses(const std::string& ok, const std::vector<std::pair<std::string, std::string>>& errors) {
  Object o;
  o.raw("200", ok);
  for (const auto& [status, why] : errors) o.raw(status, answered(why, ref("Error")));
  return o.done();
}

std::string operation(const std::string& summary, const std::string& id, const std::string& ok,
                      const std::vector<std::pair<std::string, std::string>>& errors, const std::string& body = "",
                      const std::string& parameters = "") {
  Object o;
  o.text("summary", summary).text("operationId", id);
  if (!parameters.empty()) o.raw("parameters", parameters);
  if (!body.empty()) o.raw("requestBody", body);
  o.raw("responses", responses(ok, errors));
  return o.done();
}

}  // namespace

std::string openapi_json(const Rulebook& rules, const std::vector<std::pair<std::string, Rulebook>>& reform_rules, bool token,
                         std::size_t max_rows) {
  std::vector<std::string> reforms;
  for (const auto& [name, reform] : reform_rules) reforms.push_back(name);
  // The schemas from the rulebook: a case's inputs, the decisions' values.
  Object inputs;
  for (const InputInfo& in : rules.inputs()) {
    inputs.raw(in.name, type_schema(in.type, in.values, in.fields, true, true, described(in.description, in.unit, in.legal_basis)));
  }
  Object values;
  std::vector<std::string> decision_names;
  for (const DecisionInfo& d : rules.decisions()) {
    decision_names.push_back(d.name);
    values.raw(d.name, type_schema(d.type, d.values, {}, false, d.optional, described(d.description, d.unit, d.legal_basis)));
  }
  // A reform may add decisions: each name a request may give is in DecisionName.
  for (const auto& [name, reform] : reform_rules) {
    for (const DecisionInfo& d : reform.decisions()) {
      if (std::find(decision_names.begin(), decision_names.end(), d.name) != decision_names.end()) continue;
      decision_names.push_back(d.name);
      values.raw(d.name, type_schema(d.type, d.values, {}, false, d.optional, described(d.description, d.unit, d.legal_basis)));
    }
  }
  const std::string location = Object().text("type", "object").boolean("nullable", true)
      .raw("properties", Object().raw("file", Object().text("type", "string").done()).raw("line", Object().text("type", "integer").done())
                             .raw("column", Object().text("type", "integer").done()).done()).done();
  const std::string string_schema = Object().text("type", "string").done();
  const std::string boolean = Object().text("type", "boolean").done();
  Object schemas;
  const std::string input_properties = inputs.done();
  schemas.raw("Case", Object().text("type", "object").text("description", "A case: input name -> value; null or left out: not given.")
                          .raw("properties", input_properties).boolean("additionalProperties", false).done());
  // A line of /v1/batch: a case, and the host's own "id" carried through to its answer.
  std::string batch_properties = input_properties;
  batch_properties.insert(batch_properties.size() - 1,
                          ", \"id\": " + Object().text("description", "the host's own, carried to the answer's line").done());
  schemas.raw("BatchLine", Object().text("type", "object").raw("properties", batch_properties).boolean("additionalProperties", false).done());
  schemas.raw("Values", Object().text("type", "object").text("description", "The decisions asked for that have a value.")
                            .raw("properties", values.done()).done());
  schemas.raw("DecisionName", Object().text("type", "string").raw("enum", texts(decision_names)).done());
  schemas.raw("EvaluationError", Object().text("type", "object")
                                     .raw("properties", Object().raw("decision", string_schema).raw("message", string_schema)
                                                            .raw("input", string_schema).raw("location", location).done()).done());
  schemas.raw("DecisionError", Object().text("type", "object")
                                   .raw("properties", Object().raw("decision", ref("DecisionName")).raw("error", ref("EvaluationError")).done()).done());
  schemas.raw("Refused", Object().text("type", "object")
                             .raw("properties", Object().raw("field", string_schema).raw("reason", string_schema).done()).done());
  auto list = [](const std::string& items) { return Object().text("type", "array").raw("items", items).done(); };
  schemas.raw("CaseResult", Object().text("type", "object")
                                .raw("properties", Object().raw("ok", boolean).raw("values", ref("Values")).raw("errors", list(ref("DecisionError")))
                                                       .raw("refused", list(ref("Refused")))
                                                       .raw("explanation", Object().text("type", "object").boolean("nullable", true)
                                                                               .text("description", "/v1/explain: the explanation tree (docs/language.md, Explanations)").done())
                                                       .done()).done());
  Object reform_schema;
  reform_schema.text("type", "string");
  if (!reforms.empty()) reform_schema.raw("enum", texts(reforms));
  schemas.raw("Request", Object().text("type", "object").raw("required", texts({"date"}))
                             .raw("properties", Object().raw("date", Object().text("type", "string").text("format", "date").done())
                                                    .raw("decisions", list(ref("DecisionName")))
                                                    .raw("case", ref("Case"))
                                                    .raw("cases", Object().text("type", "array").raw("items", ref("Case")).number("maxItems", static_cast<long long>(max_rows)).done())
                                                    .raw("reform", reform_schema.done()).done())
                             .boolean("additionalProperties", false)
                             // Either "case" or "cases", never both: the service refuses both, and neither.
                             .raw("oneOf", "[" + Object().raw("required", texts({"case"})).done() + ", " +
                                               Object().raw("required", texts({"cases"})).done() + "]")
                             .done());
  const std::string identity = Object().text("type", "object")
      .raw("properties", Object().raw("name", string_schema).raw("version", string_schema).raw("reform", string_schema)
                             .raw("generation", Object().text("type", "integer").done()).done()).done();
  schemas.raw("Rulebook", identity);
  schemas.raw("Response", Object().text("type", "object")
                              .raw("properties", Object().raw("rulebook", ref("Rulebook")).raw("date", string_schema)
                                                     .raw("result", ref("CaseResult")).raw("results", list(ref("CaseResult"))).done()).done());
  const std::string change = Object().text("type", "object")
      .raw("properties", Object().raw("decision", ref("DecisionName")).raw("before", Object().done()).raw("after", Object().done())
                             .raw("difference", Object().text("type", "string").boolean("nullable", true).done())
                             .raw("causes", list(string_schema)).done()).done();
  const std::string comparison = Object().text("type", "object")
      .raw("properties", Object().raw("ok", boolean).raw("changes", list(change)).raw("errors", list(ref("DecisionError")))
                             .raw("refused", list(ref("Refused"))).done()).done();
  schemas.raw("Comparison", Object().text("type", "object")
                                .raw("properties", Object().raw("base", ref("Rulebook")).raw("reform", ref("Rulebook")).raw("date", string_schema)
                                                       .raw("decisions", list(ref("DecisionName"))).raw("result", comparison)
                                                       .raw("results", list(comparison)).done()).done());
  schemas.raw("Error", Object().text("type", "object")
                           .raw("properties", Object().raw("error", Object().text("type", "object")
                                                                        .raw("properties", Object().raw("status", Object().text("type", "integer").done())
                                                                                               .raw("kind", string_schema).raw("message", string_schema)
                                                                                               .raw("field", string_schema).raw("reason", string_schema)
                                                                                               .raw("decision", string_schema).done()).done()).done()).done());

  const std::vector<std::pair<std::string, std::string>> request_errors = {
      {"400", "malformed JSON, or a field of the request at fault (field, reason)"},
      {"401", "no token, or a wrong one"},
      {"404", "a reform the service was not started with"},
      {"413", "a body past --max-body-bytes, or cases past --max-rows"},
      {"405", "not POST"},
      {"415", "not sent as application/json"},
      {"500", "kaidah failed to answer (a defect: the message says what)"},
      {"503", "past --max-concurrent requests"}};
  const std::string request_body = json_body(ref("Request"));
  Object paths;
  paths.raw("/v1/evaluate", Object().raw("post", operation("Evaluate one case or many", "evaluate", answered("each case's values, and why any are missing", ref("Response")), request_errors, request_body)).done());
  paths.raw("/v1/explain", Object().raw("post", operation("Evaluate and explain: each decision's formula or table row, legal basis, inputs and parameter values with their citations", "explain", answered("each case's values and explanation", ref("Response")), request_errors, request_body)).done());
  paths.raw("/v1/compare", Object().raw("post", operation("What a reform changes for each case", "compare", answered("each case's changes", ref("Comparison")), request_errors, request_body)).done());
  const std::string query = "[" +
      Object().text("name", "date").text("in", "query").boolean("required", true).raw("schema", Object().text("type", "string").text("format", "date").done()).done() + ", " +
      Object().text("name", "decisions").text("in", "query").text("description", "comma-separated decision names; all when left out").raw("schema", string_schema).done() + ", " +
      Object().text("name", "reform").text("in", "query").raw("schema", reform_schema.done()).done() + ", " +
      Object().text("name", "locale").text("in", "query")
          .text("description", "a roster (text/csv) only: id when written by a spreadsheet set to Indonesian (';' between columns, "
                               "numbers as 3.500.000,00, dates as 24/11/2026), en when not; seen from the header line when left out")
          .raw("schema", Object().text("type", "string").raw("enum", texts({"id", "en"})).done()).done() + "]";
  const std::string csv_text = Object().text("type", "string").done();
  paths.raw("/v1/batch", Object().raw("post", Object()
      .text("summary", "Stream cases as NDJSON (a Case a line; an \"id\" is carried through), answers streamed back a line each; "
                       "or a roster as CSV (the columns `kaidah sweep` reads; charset utf-8 or windows-1252), answered as its people.csv").text("operationId", "batch")
      .raw("parameters", query)
      .raw("requestBody", Object().raw("content", Object().raw("application/x-ndjson", Object().raw("schema", ref("BatchLine")).done())
                                                          .raw("text/csv", Object().raw("schema", csv_text).done()).done()).done())
      .raw("responses", Object().raw("200", Object().text("description", "NDJSON: a CaseResult a line, with its \"line\" (and \"id\"). CSV: "
                                                                         "line, id, name, the decisions, error, a row a person; a roster that "
                                                                         "stops being text ends with a row that says where, and without the last chunk")
                                                .raw("headers", Object().raw("Kaidah-Notes", Object().text("description", "how the roster was read (a column ignored, the locale seen), \" | \" between notes, at most 4 KiB").raw("schema", csv_text).done()).done())
                                                .raw("content", Object().raw("application/x-ndjson", Object().raw("schema", ref("CaseResult")).done())
                                                                        .raw("text/csv", Object().raw("schema", csv_text).done()).done()).done())
                                .raw("400", answered("a query parameter at fault", ref("Error")))
                                .raw("401", answered("no token, or a wrong one", ref("Error")))
                                .raw("404", answered("a reform the service was not started with", ref("Error")))
                                .raw("415", answered("not sent as application/x-ndjson or text/csv (utf-8 or windows-1252)", ref("Error")))
                                .raw("422", answered("a roster whose header cannot be read (a column misnamed or named twice, the wrong separator): the sweep's located error", ref("Error")))
                                .raw("503", answered("past --max-concurrent requests and streams", ref("Error"))).done())
      .done()).done());
  const std::string any_object = Object().text("type", "object").done();
  paths.raw("/v1/rulebook", Object().raw("get", operation("The rulebook: inputs, decisions, parameters with their dated histories and citations", "rulebook", answered("the rulebook", any_object), {{"401", "no token, or a wrong one"}})).done());
  for (const char* part : {"inputs", "decisions", "parameters"}) {
    const std::string p = part;
    paths.raw("/v1/rulebook/" + p, Object().raw("get", operation("The rulebook's " + p, "rulebook_" + p, answered(p, any_object), {{"401", "no token, or a wrong one"}})).done());
    paths.raw("/v1/rulebook/" + p + "/{name}", Object().raw("get", operation("One of the rulebook's " + p, "rulebook_" + p + "_one", answered("it", any_object),
        {{"401", "no token, or a wrong one"}, {"404", "no such name (with a suggestion)"}},
        "", "[" + Object().text("name", "name").text("in", "path").boolean("required", true).raw("schema", string_schema).done() + "]")).done());
  }
  paths.raw("/healthz", Object().raw("get", operation("Alive", "healthz", answered("alive", any_object), {})).done());
  paths.raw("/readyz", Object().raw("get", operation("Ready, with the rulebook in service", "readyz", answered("ready", any_object), {{"503", "shutting down"}})).done());
  paths.raw("/metrics", Object().raw("get", Object().text("summary", "Prometheus metrics").text("operationId", "metrics")
      .raw("responses", Object().raw("200", Object().text("description", "the metrics, in Prometheus' text format")
                                                .raw("content", Object().raw("text/plain", Object().raw("schema", string_schema).done()).done()).done()).done()).done()).done());
  paths.raw("/v1/admin/reload", Object().raw("post", operation("Load the rulebook again; the one in service stays if it does not load", "reload",
                                                               answered("reloaded", any_object), {{"401", "no token, or a wrong one"}, {"403", "the service has no token"}, {"422", "the rulebook did not load"}})).done());

  Object doc;
  doc.text("openapi", "3.0.3")
      .raw("info", Object().text("title", "kaidah: " + rules.name()).text("version", rules.version()).text("description", rules.description()).done())
      .raw("paths", paths.done());
  Object components;
  components.raw("schemas", schemas.done());
  if (token) {
    components.raw("securitySchemes", Object().raw("bearer", Object().text("type", "http").text("scheme", "bearer").done()).done());
    doc.raw("security", "[" + Object().raw("bearer", "[]").done() + "]");
  }
  doc.raw("components", components.done());
  return doc.done();
}

}  // namespace kaidah::serve
