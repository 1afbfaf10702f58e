#include "serve/service.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <exception>
#include <sstream>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "load/fields.h"
#include "cli/roster.h"
#include "serve/csv_batch.h"
#include "serve/json.h"
#include "serve/json_out.h"
#include "serve/explorer.h"
#include "serve/openapi.h"

namespace kaidah::serve {

namespace {

std::string by_language(const std::map<std::string, std::string>& texts) {
  Object o;
  for (const auto& [language, text] : texts) o.text(language, text);
  return o.done();
}

std::string labels_json(const Labels& l) {
  Object values;
  for (const auto& [value, texts] : l.values) values.raw(value, by_language(texts));
  return Object().raw("name", by_language(l.name)).raw("values", values.done()).done();
}

std::string location_json(const SourceLocation& l) {
  if (l.file.empty()) return "null";
  return Object().text("file", l.file).number("line", l.line).number("column", l.column).done();
}

std::string input_json(const InputInfo& in) {
  return Object()
      .text("name", in.name).text("type", in.type).text("description", in.description).text("unit", in.unit)
      .text("legal_basis", in.legal_basis).raw("values", texts(in.values)).raw("default", in.default_value.to_json())
      .boolean("may_be_left_out", in.may_be_left_out)
      .raw("fields", array(in.fields, [](const FieldInfo& f) {
             return Object().text("name", f.name).text("type", f.type).text("description", f.description)
                 .raw("values", texts(f.values)).raw("default", f.default_value.to_json()).done();
           }))
      .raw("labels", labels_json(in.labels))
      .done();
}

std::string decision_json(const DecisionInfo& d) {
  return Object()
      .text("name", d.name).text("type", d.type).text("description", d.description).text("unit", d.unit)
      .text("legal_basis", d.legal_basis).raw("values", texts(d.values)).boolean("optional", d.optional)
      .boolean("from_reform", d.from_reform).text("formula", d.formula).raw("inputs", texts(d.inputs))
      .raw("table", array(d.table, [](const DecisionInfo::Row& row) {
             return Object().raw("when", texts(row.when)).text("then", row.then).text("legal_basis", row.legal_basis).done();
           }))
      .raw("labels", labels_json(d.labels))
      .done();
}

std::string parameter_json(const ParameterInfo& p) {
  return Object()
      .text("name", p.name).text("type", p.type).text("description", p.description).text("unit", p.unit)
      .raw("values", texts(p.values))
      .raw("history", array(p.history, [](const ParameterValue& v) {
             return Object().text("effective_from", v.effective_from.to_string()).raw("value", v.value.to_json())
                 .text("legal_basis", v.legal_basis).boolean("from_reform", v.from_reform).done();
           }))
      .done();
}

// Which rulebook answered: its name, version and reform, and the load it came from.
std::string identity_json(const Rulebook& r, long generation) {
  return Object().text("name", r.name()).text("version", r.version()).text("reform", r.reform())
      .number("generation", generation).done();
}
std::string identity_json(const Rulebook& r, const Loaded& loaded) { return identity_json(r, loaded.generation); }

// A Prometheus label value: backslash, quote and newline escaped.
std::string label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    out += c == '\n' ? 'n' : c;
    if (c == '\n') out.insert(out.size() - 1, 1, '\\');
  }
  return out;
}

// A request kaidah does not answer, thrown by a handler and written by route() as
// {"error": {"status", "kind", "message", …the fields named}}.
struct Problem {
  unsigned status;
  std::string kind, message;
  std::vector<std::pair<std::string, std::string>> fields;  // key -> JSON
  std::vector<std::pair<std::string, std::string>> headers = {};
};

Response problem_response(const Problem& p) {
  Object error;
  error.number("status", p.status).text("kind", p.kind).text("message", valid_utf8(p.message));
  for (const auto& [key, json] : p.fields) error.raw(key, json);
  Response r;
  r.status = p.status;
  r.body = Object().raw("error", error.done()).done() + "\n";
  r.headers = p.headers;
  return r;
}

// A Problem as its answer to a request for `route`; the explorer's page, asked for without the
// service's token, answers with a page that asks for it (a browser cannot send one to open a page).
Response problem_response(const Problem& p, Route route) {
  Response r = problem_response(p);
  if (p.status == 401 && route == Route::root) {
    r.body = token_page();
    r.content_type = "text/html; charset=utf-8";
  }
  r.route = route;
  return r;
}

Response ok(std::string body, Route route, std::string content_type = "application/json") {
  Response r;
  r.body = std::move(body);
  r.body += '\n';
  r.route = route;
  r.content_type = std::move(content_type);
  return r;
}

// What /v1/evaluate, /v1/explain and /v1/compare are asked: a date, decisions, and one case or many.
struct Ask {
  Date date{2000, 1, 1};
  std::vector<std::string> decisions;
  std::vector<const Value*> cases;  // each an object (a record)
  bool one = false;                 // "case" was given, not "cases"
  std::string reform;
};

Problem bad(const std::string& field, const std::string& reason) {
  return {400, "bad_request", field + ": " + reason, {{"field", json_quote(field)}, {"reason", json_quote(reason)}}};
}

Date read_date(const Value& v) {
  if (v.kind() != Kind::text) throw bad("date", "expected a date like \"2026-11-24\", got " + v.to_json());
  const std::string& text = v.as_text();
  const bool well_formed = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                           std::all_of(text.begin(), text.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
  if (!well_formed) throw bad("date", "expected a date like \"2026-11-24\", got " + json_quote(text));
  try {
    return Date::parse(text);
  } catch (const std::invalid_argument& e) {  // a day the calendar lacks: 2025-02-30
    throw bad("date", e.what());
  }
}

Ask read_ask(const Value& body, const Loaded& loaded, std::size_t max_rows, bool reform_required) {
  if (body.kind() != Kind::record)
    throw Problem{400, "bad_request", "the body must be a JSON object: {\"date\": \"2026-11-24\", \"cases\": [{…}]}", {}};
  static const std::vector<std::string> keys = {"date", "decisions", "case", "cases", "reform"};
  for (const auto& [key, value] : body.as_record()) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      const std::string meant = detail::closest(key, keys);
      throw bad(key, "not a field of this request" + (meant.empty() ? std::string() : "; did you mean '" + meant + "'?") +
                         " (it takes date, decisions, case or cases, and reform)");
    }
  }
  Ask ask;
  const Value* date = field(body, "date");
  if (!date) throw bad("date", "required: the date to evaluate at, like \"2026-11-24\"");
  ask.date = read_date(*date);

  if (const Value* reform = field(body, "reform"); reform && reform->has_value()) {
    if (reform->kind() != Kind::text) throw bad("reform", "expected the name of a reform, got " + reform->to_json());
    ask.reform = reform->as_text();
    if (!loaded.reform(ask.reform)) {
      std::vector<std::string> names;
      for (const auto& [name, rulebook] : loaded.reforms) names.push_back(name);
      const std::string meant = detail::closest(ask.reform, names);
      std::string list;
      for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
      throw Problem{404, "unknown_reform",
                    "no reform '" + ask.reform + "' in service" + (meant.empty() ? "" : "; did you mean '" + meant + "'?") +
                        (list.empty() ? " (the service was started with no --reform)" : " (its reforms: " + list + ")"),
                    {{"field", json_quote("reform")}}};
    }
  } else if (reform_required) {
    throw bad("reform", "required: the name of a reform the service was started with (GET /v1/rulebook lists them)");
  }

  const Rulebook& rules = ask.reform.empty() ? loaded.base : *loaded.reform(ask.reform);
  if (const Value* decisions = field(body, "decisions"); decisions && decisions->has_value()) {
    if (decisions->kind() != Kind::list) throw bad("decisions", "expected a list of decision names");
    if (decisions->as_list().empty()) throw bad("decisions", "names no decision; leave it out for all of them");
    const std::vector<std::string>& known = loaded.decision_names.find(ask.reform)->second;
    for (const Value& name : decisions->as_list()) {
      if (name.kind() != Kind::text) throw bad("decisions", "expected a list of decision names, got " + name.to_json());
      if (!std::binary_search(known.begin(), known.end(), name.as_text())) {
        const std::string meant = detail::closest(name.as_text(), known);
        throw Problem{400, "unknown_decision",
                      "decisions: no decision '" + name.as_text() + "' in " + rules.name() +
                          (meant.empty() ? "" : "; did you mean '" + meant + "'?"),
                      {{"field", json_quote("decisions")}, {"decision", json_quote(name.as_text())}}};
      }
      ask.decisions.push_back(name.as_text());
    }
  }

  const Value* one = field(body, "case");
  const Value* many = field(body, "cases");
  if ((one != nullptr) == (many != nullptr)) throw bad("cases", "give either \"case\": {…} or \"cases\": [{…}, …]");
  auto take = [&](const Value& c, const std::string& where) {
    if (c.kind() != Kind::record) throw bad(where, "expected an object of input names and values, got " + c.to_json());
    ask.cases.push_back(&c);
  };
  if (one) {
    ask.one = true;
    take(*one, "case");
  } else {
    if (many->kind() != Kind::list) throw bad("cases", "expected a list of objects");
    if (many->as_list().size() > max_rows)
      throw Problem{413, "too_many_rows",
                    "cases: " + std::to_string(many->as_list().size()) + " cases; the service takes at most " +
                        std::to_string(max_rows) + " a request (--max-rows): send them in parts, or stream them to /v1/batch",
                    {{"field", json_quote("cases")}}};
    for (std::size_t i = 0; i < many->as_list().size(); ++i) take(many->as_list()[i], "cases[" + std::to_string(i) + "]");
  }
  return ask;
}

// The input a number no Decimal holds belongs to, when its path names one at `input_at` (a case's
// key), and why it is refused: "item 2: field income: the number … is not exact …".
std::pair<std::string, std::string> refusal_of(const InexactNumber& n, std::size_t input_at) {
  std::string where;  // within the input's value
  for (std::size_t i = input_at + 1; i < n.path.size(); ++i) {
    where += n.path[i].key.empty() ? "item " + std::to_string(n.path[i].index + 1) + ": " : "field " + n.path[i].key + ": ";
  }
  return {n.path[input_at].key, where + n.reason};
}

// The inputs of each case to refuse for a number no Decimal holds exactly: case -> (input, why).
// Such a number anywhere else in the request is the request's error.
using Refusals = std::vector<std::vector<std::pair<std::string, std::string>>>;
Refusals refusals(const Ask& ask, const std::vector<InexactNumber>& inexact) {
  Refusals out(ask.cases.size());
  for (const InexactNumber& n : inexact) {
    const Path& p = n.path;
    const bool in_case = ask.one ? p.size() >= 2 && p[0].key == "case" && !p[1].key.empty()
                                 : p.size() >= 3 && p[0].key == "cases" && p[1].key.empty() && !p[2].key.empty();
    if (!in_case) throw bad(to_string(p), n.reason);
    out[ask.one ? 0 : p[1].index].push_back(refusal_of(n, ask.one ? 1 : 2));
  }
  return out;
}

// A case as given: input name -> value; null is an input not given.
Case read_case(const Value& object, const std::vector<std::pair<std::string, std::string>>& refused) {
  Case c;
  for (const auto& [name, value] : object.as_record()) {
    if (value.has_value()) c.set(name, value);
  }
  for (const auto& [name, why] : refused) c.refuse(name, why);
  return c;
}

std::string refused_json(const CaseError& e) { return Object().text("field", e.field()).text("reason", e.reason()).done(); }

std::string evaluation_error_json(const EvaluationError& e) {
  return Object().text("decision", e.decision()).text("message", e.message()).text("input", e.input())
      .raw("location", location_json(e.location())).done();
}

std::string decision_error_json(const DecisionError& e) {
  return Object().text("decision", e.decision).raw("error", evaluation_error_json(e.error)).done();
}

std::string values_json(const std::vector<std::pair<std::string, Value>>& values) {
  Object o;
  for (const auto& [name, value] : values) o.raw(name, value.to_json());
  return o.done();
}

// One case's answer, the same in /v1/evaluate, /v1/explain and /v1/batch: ok, values, errors,
// refused (and explanation). Returns ok.
bool answer_case(const Rulebook& rules, const Case& c, const Ask& ask, bool explain, Object& o) {
  try {
    const Result r = explain ? rules.explain(c, ask.date, ask.decisions, OnError::keep)
                             : rules.evaluate(c, ask.date, ask.decisions, OnError::keep);
    o.boolean("ok", r.ok()).raw("values", values_json(r.values()))
        .raw("errors", array(r.errors(), decision_error_json))
        .raw("refused", array(r.refused_inputs(), refused_json));
    if (explain) o.raw("explanation", r.explanation().to_json());
    return r.ok();
  } catch (const CaseError& e) {  // an input the rulebook does not have
    o.boolean("ok", false).raw("values", "{}").raw("errors", "[]").raw("refused", "[" + refused_json(e) + "]");
    if (explain) o.raw("explanation", "null");
    return false;
  }
}

// "a%2Cb" -> "a,b": a query parameter's value.
std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); };
    if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) && hex(text[i + 2])) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

// A request target's query as the fields of a JSON body: ?date=2026-11-24&decisions=a,b&reform=x.
Value query_fields(std::string_view target) {
  Record fields;
  const std::size_t q = target.find('?');
  std::string_view query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  while (!query.empty()) {
    const std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    const std::string key = percent_decoded(pair.substr(0, eq));
    const std::string value = eq == std::string_view::npos ? "" : percent_decoded(pair.substr(eq + 1));
    if (key == "decisions") {
      std::vector<Value> names;
      std::stringstream in(value);
      for (std::string name; std::getline(in, name, ',');) {
        if (!name.empty()) names.emplace_back(name);
      }
      fields.emplace_back(key, Value(std::move(names)));
    } else {
      fields.emplace_back(key, Value(value));
    }
  }
  fields.emplace_back("cases", Value(std::vector<Value>{}));
  return Value(std::move(fields));
}

// A request's media type, without its parameters, in lower case: "text/csv" of "Text/CSV; charset=x".
std::string media_type(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
  std::string out(type);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); });
}

}  // namespace

std::string rulebook_json(const Rulebook& r, const std::vector<std::string>& reforms, long generation,
                          const std::string& loaded_at) {
  return Object()
      .raw("rulebook", identity_json(r, generation)).text("description", r.description()).text("loaded_at", loaded_at)
      .raw("reforms", texts(reforms))
      .raw("outputs", texts(r.outputs()))
      .raw("payers", array(r.payers(), [](const auto& p) { return Object().text("payer", p.first).text("decision", p.second).done(); }))
      .raw("inputs", array(r.inputs(), input_json))
      .raw("decisions", array(r.decisions(), decision_json))
      .raw("parameters", array(r.parameters(), parameter_json))
      .done();
}

std::string now_utc() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

bool same_token(std::string_view given, std::string_view expected) {
  // Every byte of the expected token is compared, whatever the given one holds.
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    diff |= static_cast<unsigned char>(expected[i] ^ (i < given.size() ? given[i] : 0));
  }
  return diff == 0;
}

const Rulebook* Loaded::reform(std::string_view name) const {
  for (const auto& [n, r] : reforms) {
    if (n == name) return &r;
  }
  return nullptr;
}

Service::Service(Settings settings) : settings_(std::move(settings)), loaded_(load(1)) {}

std::shared_ptr<const Loaded> Service::load(long generation) const {
  auto l = std::make_shared<Loaded>(Rulebook::load(settings_.rulebook, settings_.load));
  l->generation = generation;
  l->loaded_at = now_utc();
  std::string reform_names;
  for (const auto& file : settings_.reforms) {
    l->reforms.emplace_back(file.stem().string(), Rulebook::load_reform(settings_.rulebook, file, settings_.load));
    reform_names += (reform_names.empty() ? "" : ",") + file.stem().string();
  }
  auto names = [](const Rulebook& rules) {
    std::vector<std::string> out;
    for (const DecisionInfo& d : rules.decisions()) out.push_back(d.name);
    std::sort(out.begin(), out.end());
    return out;
  };
  l->decision_names[""] = names(l->base);
  for (const auto& [name, rules] : l->reforms) l->decision_names[name] = names(rules);
  const Rulebook& r = l->base;
  std::vector<std::string> reform_list;
  for (const auto& [name, rules] : l->reforms) reform_list.push_back(name);
  l->rulebook_json = rulebook_json(r, reform_list, generation, l->loaded_at);
  l->explorer_html = explorer_page(l->rulebook_json, true);
  l->openapi_json = openapi_json(r, l->reforms, !settings_.token.empty(), settings_.max_rows);
  l->labels = "name=\"" + label(r.name()) + "\",version=\"" + label(r.version()) + "\",reforms=\"" + label(reform_names) +
              "\",generation=\"" + std::to_string(generation) + "\",loaded_at=\"" + l->loaded_at + "\"";
  return l;
}

std::shared_ptr<const Loaded> Service::loaded() const {
  std::lock_guard lock(mutex_);
  return loaded_;
}

std::string Service::reload() {
  std::lock_guard one_at_a_time(reload_mutex_);
  try {
    auto next = load(loaded()->generation + 1);
    {
      std::lock_guard lock(mutex_);
      loaded_ = std::move(next);
    }
    metrics_.reload(true);
    return "";
  } catch (const std::exception& e) {
    metrics_.reload(false);
    return e.what();
  }
}

Response Service::handle(const Request& request) {
  const std::shared_ptr<const Loaded> loaded = this->loaded();  // this request's rulebook, whatever a reload does
  try {
    return route(request, *loaded);  // a Problem or malformed JSON is answered there
  } catch (const std::exception& e) {
    return problem_response({500, "internal", std::string("kaidah failed to answer: ") + e.what(), {}});
  }
}

Route route_of(std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/" || path == "/index.html") return Route::root;
  if (path == "/healthz") return Route::healthz;
  if (path == "/readyz") return Route::readyz;
  if (path == "/metrics") return Route::metrics;
  if (path == "/v1/openapi.json") return Route::openapi;
  if (path == "/v1/evaluate") return Route::evaluate;
  if (path == "/v1/explain") return Route::explain;
  if (path == "/v1/compare") return Route::compare;
  if (path == "/v1/batch") return Route::batch;
  if (path == "/v1/admin/reload") return Route::reload;
  if (path == "/v1/rulebook" || path.starts_with("/v1/rulebook/")) return Route::rulebook;
  return Route::other;
}

std::optional<Response> Service::refused_at_header(const Request& header) const {
  const Route route = route_of(header.target);
  try {
    admit(header, route);
    return std::nullopt;
  } catch (const Problem& p) {
    return problem_response(p, route);
  }
}

void Service::admit(const Request& request, Route route) const {
  const std::string_view path = request.target.substr(0, request.target.find('?'));
  // Authentication first: with a token, nothing is answered without it, not even a 404.
  if (route == Route::reload && settings_.token.empty())
    throw Problem{403, "forbidden", "the service was started without --token-file: admin endpoints are off", {}};
  if (!settings_.token.empty()) {
    const std::string_view scheme = "Bearer ";
    const std::string_view given = request.authorization;
    if (!starts_with_nocase(given, scheme) || !same_token(given.substr(scheme.size()), settings_.token))
      throw Problem{401, "unauthorized", "send the service's token: Authorization: Bearer TOKEN", {}, {{"WWW-Authenticate", "Bearer"}}};
  }
  if (route == Route::other)
    throw Problem{404, "not_found", "no endpoint " + std::string(path) + " (GET /v1/rulebook, POST /v1/evaluate, …: README.md, 'kaidah serve')", {}};
  const bool post = request.method == "POST";
  const bool get = request.method == "GET" || request.method == "HEAD";
  const bool wants_post = route == Route::evaluate || route == Route::explain || route == Route::compare ||
                          route == Route::batch || route == Route::reload;
  if (wants_post ? !post : !get)
    throw Problem{405, "method_not_allowed", std::string(path) + " takes " + (wants_post ? "POST" : "GET"), {}, {{"Allow", wants_post ? "POST" : "GET, HEAD"}}};
  if (route == Route::batch) {
    if (const std::string type = media_type(request.content_type); type != "application/x-ndjson" && type != "text/csv")
      throw Problem{415, "unsupported_media_type",
                    "send the cases as NDJSON (a JSON object a line), with Content-Type: application/x-ndjson, or as a roster "
                    "(the CSV `kaidah sweep` reads), with Content-Type: text/csv",
                    {}};
  } else if (post && media_type(request.content_type) != "application/json") {
    throw Problem{415, "unsupported_media_type", "send the body as JSON, with Content-Type: application/json", {}};
  }
}

Response Service::route(const Request& request, const Loaded& loaded) {
  const std::string_view path = request.target.substr(0, request.target.find('?'));
  const Route route = route_of(request.target);
  auto answer = [&]() -> Response {
    if (!request.admitted) admit(request, route);
    switch (route) {
      case Route::root: return ok(loaded.explorer_html, route, "text/html; charset=utf-8");
      case Route::healthz: return ok(Object().text("status", "ok").done(), route);
      case Route::readyz:
        if (draining_) throw Problem{503, "draining", "the service is shutting down", {}};
        return ok(Object().text("status", "ready").raw("rulebook", identity_json(loaded.base, loaded)).text("loaded_at", loaded.loaded_at).done(), route);
      case Route::metrics: return ok(metrics_.prometheus(loaded.labels), route, "text/plain; version=0.0.4; charset=utf-8");
      case Route::openapi: return ok(loaded.openapi_json, route);
      case Route::evaluate: return evaluate(request, loaded, false);
      case Route::explain: return evaluate(request, loaded, true);
      case Route::compare: return compare(request, loaded);
      case Route::rulebook: return rulebook(path, loaded);
      case Route::reload: return admin_reload(request);
      case Route::batch:
        throw Problem{400, "bad_request", "/v1/batch streams: the service reads it as it comes, not whole", {}};
      default: throw Problem{404, "not_found", "no endpoint " + std::string(path), {}};
    }
  };
  Response r;
  try {
    r = answer();
  } catch (const Problem& p) {
    r = problem_response(p, route);
  } catch (const JsonError& e) {
    r = problem_response({400, "malformed_json", e.what(), {}});
  }
  r.route = route;
  return r;
}

Response Service::evaluate(const Request& request, const Loaded& loaded, bool explain) {
  const Json body = parse_json(request.body);
  const Ask ask = read_ask(body.value, loaded, settings_.max_rows, false);
  const Refusals refused = refusals(ask, body.inexact);
  const Rulebook& rules = ask.reform.empty() ? loaded.base : *loaded.reform(ask.reform);
  std::string results = "[";
  std::size_t with_errors = 0;
  for (std::size_t i = 0; i < ask.cases.size(); ++i) {
    Object o;
    with_errors += answer_case(rules, read_case(*ask.cases[i], refused[i]), ask, explain, o) ? 0 : 1;
    results += (results.size() > 1 ? ", " : "") + o.done();
  }
  results += "]";
  metrics_.rows(ask.cases.size(), with_errors);
  Object out;
  out.raw("rulebook", identity_json(rules, loaded)).text("date", ask.date.to_string());
  if (ask.one) {
    out.raw("result", results.substr(1, results.size() - 2));
  } else {
    out.raw("results", results);
  }
  Response r = ok(out.done(), explain ? Route::explain : Route::evaluate);
  r.rows = ask.cases.size();
  return r;
}

struct NdjsonStream::Plan {
  std::shared_ptr<const Loaded> loaded;  // the rulebook the whole stream is answered with
  const Rulebook* rules;
  Ask ask;
  std::vector<std::string> inputs;  // the batch's columns: every input of the rulebook, sorted
  std::unordered_map<std::string_view, std::size_t> column_of;  // input name -> its column
  // What JSON each input's column takes on the quick way, beside a string (read as a CSV cell is,
  // as the evaluator reads a string: "[2025-01, 2025-02]" for a list) and null: a number, or true
  // or false. (`none` is null's own kind.)
  enum Takes : std::uint8_t { number, text, boolean, none };
  std::vector<Takes> takes;
  bool input_named_id = false;      // "id" is then an input, not the host's own
  std::optional<Batch> batch;       // typed results: a row's values written from them
  std::vector<std::string> value_keys;  // each decision's "\"name\": ", in the batch's order
};

namespace {

// A line read the quick way: a flat JSON object whose values are strings without escapes or
// non-ASCII bytes, plain numbers (no exponent), true, false or null. Each value's text (a string's
// without its quotes) goes to its input's cell, as a CSV cell would; anything else (an escape, a
// list, a key that is no input, a value of a kind its input does not take, a key twice) is not
// read here, and the full JSON reader takes the line. `cell(column, text, is_null)`, `id(token)`.
template <class Cell, class Id>
bool read_flat(std::string_view line, const NdjsonStream::Plan& plan, Cell cell, Id id) {
  std::size_t at = 0;
  const auto space = [&] {
    while (at < line.size() && (line[at] == ' ' || line[at] == '\t' || line[at] == '\r')) ++at;
  };
  const auto string = [&](std::string_view& out) {  // at the opening quote
    const std::size_t begin = ++at;
    while (at < line.size() && line[at] != '"') {
      const auto c = static_cast<unsigned char>(line[at]);
      if (c == '\\' || c < 0x20 || c >= 0x80) return false;
      ++at;
    }
    if (at == line.size()) return false;
    out = line.substr(begin, at++ - begin);
    return true;
  };
  const auto digits = [&] {
    const std::size_t begin = at;
    while (at < line.size() && line[at] >= '0' && line[at] <= '9') ++at;
    return at - begin;
  };
  space();
  if (at == line.size() || line[at] != '{') return false;
  ++at;
  space();
  if (at < line.size() && line[at] == '}') return ++at, space(), at == line.size();
  for (;;) {
    std::string_view key, value;
    if (at == line.size() || line[at] != '"' || !string(key)) return false;
    space();
    if (at == line.size() || line[at] != ':') return false;
    ++at;
    space();
    if (at == line.size()) return false;
    const std::size_t token = at;
    NdjsonStream::Plan::Takes kind;
    bool null = false;
    if (line[at] == '"') {
      if (!string(value)) return false;
      kind = NdjsonStream::Plan::text;
    } else if (line.substr(at, 4) == "true" || line.substr(at, 5) == "false") {
      value = line.substr(at, line[at] == 't' ? 4 : 5);
      at += value.size();
      kind = NdjsonStream::Plan::boolean;
    } else if (line.substr(at, 4) == "null") {
      at += 4;
      null = true;
      kind = NdjsonStream::Plan::none;
    } else {  // -?(0|[1-9][0-9]*)(.[0-9]+)?, as JSON writes a number, without an exponent
      if (line[at] == '-') ++at;
      const std::size_t first = at;
      const std::size_t whole = digits();
      if (whole == 0 || (whole > 1 && line[first] == '0')) return false;
      if (at < line.size() && line[at] == '.') {
        ++at;
        if (digits() == 0) return false;
      }
      if (at < line.size() && (line[at] == 'e' || line[at] == 'E')) return false;
      value = line.substr(token, at - token);
      kind = NdjsonStream::Plan::number;
    }
    const auto column = plan.column_of.find(key);
    if (column == plan.column_of.end()) {
      // The host's own "id" (a string, carried as written), when the rulebook has no such input.
      if (key != "id" || plan.input_named_id || kind != NdjsonStream::Plan::text || !id(line.substr(token, at - token))) return false;
    } else {
      const NdjsonStream::Plan::Takes takes = plan.takes[column->second];
      const bool fits = null || kind == NdjsonStream::Plan::text || kind == takes;
      if (!fits || !cell(column->second, value, null)) return false;
    }
    space();
    if (at == line.size()) return false;
    if (line[at] == '}') {
      ++at;
      space();
      return at == line.size();
    }
    if (line[at] != ',') return false;
    ++at;
    space();
  }
}

}  // namespace

// A line read, waiting for its chunk to be evaluated.
struct NdjsonStream::Row {
  long line = 0;
  std::string text;   // the line, or "" when it was longer than the limit
  bool too_long = false;
  std::string id;     // the host's "id", as JSON, or ""
  Value object;       // the case
  std::vector<std::pair<std::string, std::string>> refused;
  std::string answer;  // the answer line, without its line break
  bool quick = false;  // read the quick way (read_flat), into the chunk's text columns
};

namespace {

// Runs `work(begin, end)` over [0, n) on two threads when there is enough to share (a chunk's
// lines parsed, its answers written), on this one otherwise.
template <class Work>
void in_two(std::size_t n, Work work) {
  if (n < 512) return work(std::size_t{0}, n);
  std::exception_ptr failed;  // the other thread's, rethrown here once it has joined
  std::thread other([&] {
    try {
      work(n / 2, n);
    } catch (...) {
      failed = std::current_exception();
    }
  });
  try {
    work(std::size_t{0}, n / 2);
  } catch (...) {
    other.join();
    throw;
  }
  other.join();
  if (failed) std::rethrow_exception(failed);
}

}  // namespace

NdjsonStream::NdjsonStream(std::unique_ptr<Plan> plan, Metrics& metrics, std::size_t max_line_bytes)
    : plan_(std::move(plan)), metrics_(metrics), max_line_bytes_(max_line_bytes) {}
NdjsonStream::~NdjsonStream() = default;

void NdjsonStream::feed(std::string_view bytes, std::string& out) {
  while (!bytes.empty()) {
    const std::size_t end = bytes.find('\n');
    const std::string_view part = bytes.substr(0, end);
    if (!too_long_) {
      pending_.append(part);
      if (pending_.size() > max_line_bytes_) {
        too_long_ = true;  // the rest of it is dropped as it comes, and the line answered with why
        pending_.clear();
      }
    }
    if (end == std::string_view::npos) return;
    take_line();
    if (rows_read_.size() >= kChunk || bytes_read_ >= kChunkBytes) answer_rows(out);
    bytes.remove_prefix(end + 1);
  }
}

void NdjsonStream::finish(std::string& out) {
  if (!pending_.empty() || too_long_) take_line();
  answer_rows(out);
}

void NdjsonStream::take_line() {
  ++line_;
  const bool too_long = std::exchange(too_long_, false);
  std::string_view text = pending_;
  if (text.ends_with('\r')) text.remove_suffix(1);
  if (too_long || text.find_first_not_of(" \t") != std::string_view::npos) {  // a blank line is no case
    Row& row = rows_read_.emplace_back();
    row.line = line_;
    row.too_long = too_long;
    row.text = text;
    bytes_read_ += text.size();
  }
  pending_.clear();
}

void NdjsonStream::read_row(Row& row) const {
  auto refuse = [&](const std::string& kind, const std::string& message) {
    row.answer = Object().number("line", row.line).boolean("ok", false).raw("values", "{}").raw("errors", "[]")
                     .raw("refused", "[]").raw("error", Object().text("kind", kind).text("message", valid_utf8(message)).done()).done();
  };
  if (row.too_long) {
    return refuse("line_too_long", "the line is longer than the service takes (" + std::to_string(max_line_bytes_) +
                                       " bytes, --max-body-bytes)");
  }
  try {
    Json json = parse_json(row.text);
    if (json.value.kind() != Kind::record) {
      return refuse("bad_request", "expected a JSON object of input names and values, got " + json.value.to_json());
    }
    if (const Value* id = field(json.value, "id"); id && !plan_->input_named_id) {
      // An "id" that is not one of the rulebook's inputs is the host's own, carried through.
      row.id = id->to_json();
      Record rest;
      for (auto& [key, value] : json.value.as_record()) {
        if (key != "id") rest.emplace_back(key, value);
      }
      row.object = Value(std::move(rest));
    } else {
      row.object = std::move(json.value);
    }
    for (const InexactNumber& n : json.inexact) {
      if (!n.path.empty() && !n.path[0].key.empty()) row.refused.push_back(refusal_of(n, 0));
    }
  } catch (const JsonError& e) {
    refuse("malformed_json", e.what());
  }
}

namespace {

// Row `r` of a decision's typed column as Value::to_json() writes its Value.
void append_json(const ResultColumn& c, std::size_t r, std::string& out) {
  if (!c.type) {
    out += c.values[r].to_json();
  } else if (!c.has_value(r)) {
    out += "null";
  } else if (c.is_list()) {
    out += c.value(r).to_json();
  } else if (*c.type == TypedColumn::Type::integer || *c.type == TypedColumn::Type::boolean) {
    c.append_text(r, out);  // a JSON number, true or false
  } else if (*c.type == TypedColumn::Type::code || *c.type == TypedColumn::Type::text) {
    std::string text;
    c.append_text(r, text);
    out += json_quote(text);
  } else {  // a decimal, a date, a month: a string of digits, '-' and '.'
    out += '"';
    c.append_text(r, out);
    out += '"';
  }
}

}  // namespace

void NdjsonStream::answer_rows(std::string& out) {
  if (rows_read_.empty()) return;
  std::vector<Row>& rows_read = rows_read_;
  const Plan& plan = *plan_;
  const std::size_t n = rows_read.size(), inputs = plan.inputs.size();
  // The chunk's input columns, as text, each cell missing until a line read the quick way gives it.
  texts_.resize(inputs);
  missing_.resize(inputs);
  TypedColumn text;
  text.type = TypedColumn::Type::text;
  typed_.assign(inputs, text);
  for (std::size_t i = 0; i < inputs; ++i) {
    texts_[i].assign(n, {});
    missing_[i].assign(n, 1);
    typed_[i].data = texts_[i].data();
    typed_[i].missing = missing_[i].data();
    typed_[i].rows = n;
  }
  const std::vector<BatchColumn> columns(typed_.begin(), typed_.end());
  in_two(n, [&](std::size_t begin, std::size_t end) {
    std::vector<std::size_t> seen(inputs, n);  // the row that last gave each input: a key twice is the full way's
    for (std::size_t r = begin; r < end; ++r) {
      Row& row = rows_read[r];
      if (!row.too_long) {
        row.quick = read_flat(row.text, plan,
                              [&](std::size_t c, std::string_view value, bool null) {
                                // "" is no value for the batch but one the evaluator refuses: the full way
                                if (seen[c] == r || (!null && value.empty())) return false;
                                seen[c] = r;
                                texts_[c][r] = value;
                                missing_[c][r] = null;
                                return true;
                              },
                              [&](std::string_view token) { return row.id.empty() && (row.id = token, true); });
      }
      if (!row.quick) {
        for (std::size_t c = 0; c < inputs; ++c) missing_[c][r] = 1;
        row.id.clear();
        read_row(row);
      }
    }
  });
  // The rows read the quick way go through the batch, column by column; one it finds a failure in,
  // and every other, is read whole and answered by the evaluator, so that every answer, errors
  // included, is /v1/evaluate's.
  plan.batch->run(columns, {}, result_);
  std::vector<char> failed(n, 0);
  for (const RowError& e : result_.errors) failed[e.row] = 1;

  std::vector<char> ok(n, 0);
  in_two(n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t r = begin; r < end; ++r) {
      Row& row = rows_read[r];
      if (row.quick && failed[r]) {
        row.quick = false;
        row.id.clear();
        read_row(row);
      }
      if (!row.answer.empty()) continue;  // a line that is not a case, answered with why
      if (row.quick) {  // written as Object writes it below, with no key quoted anew
        std::string& a = row.answer;
        a = "{\"line\": " + std::to_string(row.line);
        if (!row.id.empty()) a += ", \"id\": " + row.id;
        a += ", \"ok\": true, \"values\": {";
        for (std::size_t d = 0; d < plan.value_keys.size(); ++d) {
          if (d) a += ", ";
          a += plan.value_keys[d];
          append_json(result_.typed[d], r, a);
        }
        a += "}, \"errors\": [], \"refused\": []}";
        ok[r] = 1;
        continue;
      }
      Object o;
      o.number("line", row.line);
      if (!row.id.empty()) o.raw("id", row.id);
      ok[r] = answer_case(*plan.rules, read_case(row.object, row.refused), plan.ask, false, o);
      row.answer = o.done();
    }
  });
  long with_errors = 0;
  for (std::size_t r = 0; r < n; ++r) {
    out += rows_read[r].answer;
    out += '\n';
    with_errors += ok[r] ? 0 : 1;
  }
  rows_ += static_cast<long>(n);
  metrics_.rows(n, static_cast<std::uint64_t>(with_errors));
  rows_read_.clear();
  bytes_read_ = 0;
}

namespace {

// A parameter of a media type ("charset" of "text/csv; charset=windows-1252"), in lower case; ""
// when not given.
std::string media_parameter(std::string_view type, std::string_view name) {
  std::string lower(type);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (std::size_t at = lower.find(';'); at != std::string::npos; at = lower.find(';', at + 1)) {
    std::string_view p = std::string_view(lower).substr(at + 1);
    p = p.substr(0, p.find(';'));
    while (p.starts_with(' ')) p.remove_prefix(1);
    const std::size_t eq = p.find('=');
    std::string_view key = p.substr(0, eq);
    while (key.ends_with(' ')) key.remove_suffix(1);
    if (eq == std::string_view::npos || key != name) continue;
    std::string_view value = p.substr(eq + 1);
    while (value.starts_with(' ')) value.remove_prefix(1);
    while (value.ends_with(' ')) value.remove_suffix(1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return std::string(value);
  }
  return "";
}

// A CSV roster's stream: the query's date, decisions (people.csv's columns; the rulebook's outputs
// unless named), reform and locale ("id": ';' with Indonesian numbers; "en"; not given: seen from
// the header line), and the charset of its media type (UTF-8 unless windows-1252 is named).
std::unique_ptr<BatchStream> start_csv(const Request& request, std::shared_ptr<const Loaded> loaded, Metrics& metrics) {
  CsvPlan plan;
  Value query = query_fields(request.target);
  Record rest;
  for (auto& [key, value] : query.as_record()) {
    if (key != "locale") {
      rest.emplace_back(key, std::move(value));
    } else if (value.as_text() == "id" || value.as_text() == "en") {
      plan.indonesian = value.as_text() == "id";
    } else {
      throw bad("locale", "expected id (';' between columns, numbers as 3.500.000,00, dates as 24/11/2026) or en, got " +
                              json_quote(value.as_text()));
    }
  }
  const Ask ask = read_ask(Value(std::move(rest)), *loaded, 0, false);
  if (const std::string charset = media_parameter(request.content_type, "charset"); !charset.empty()) {
    const auto encoding = detail::encoding_named(charset);
    if (!encoding)
      throw Problem{415, "unsupported_media_type", "charset " + charset + ": a roster is read as utf-8 or windows-1252", {}};
    plan.encoding = *encoding;
  }
  plan.rules = ask.reform.empty() ? &loaded->base : loaded->reform(ask.reform);
  plan.date = ask.date;
  plan.decisions = ask.decisions.empty() ? plan.rules->outputs() : ask.decisions;
  if (plan.decisions.empty()) plan.decisions = Batch(*plan.rules, std::vector<std::string>{}, plan.date).decisions();
  plan.requested = ask.decisions.empty() && !plan.rules->outputs().empty() ? cli::sweep_decisions(*plan.rules) : plan.decisions;
  plan.loaded = std::move(loaded);
  return csv_stream(std::move(plan), metrics);
}

}  // namespace

std::variant<std::unique_ptr<BatchStream>, Response> Service::start_batch(const Request& request, std::size_t max_line_bytes) {
  auto loaded = this->loaded();
  Response refused;
  try {
    admit(request, Route::batch);
    if (media_type(request.content_type) == "text/csv") return start_csv(request, loaded, metrics_);
    auto plan = std::make_unique<NdjsonStream::Plan>();
    plan->loaded = loaded;
    plan->ask = read_ask(query_fields(request.target), *loaded, 0, false);
    plan->rules = plan->ask.reform.empty() ? &loaded->base : loaded->reform(plan->ask.reform);
    std::map<std::string, std::string> types;  // input -> its declared type
    for (const InputInfo& in : plan->rules->inputs()) {
      plan->inputs.push_back(in.name);
      types[in.name] = in.type;
    }
    std::sort(plan->inputs.begin(), plan->inputs.end());
    plan->input_named_id = std::binary_search(plan->inputs.begin(), plan->inputs.end(), "id");
    for (std::size_t i = 0; i < plan->inputs.size(); ++i) plan->column_of.emplace(plan->inputs[i], i);
    for (const std::string& name : plan->inputs) {
      const std::string& type = types[name];
      plan->takes.push_back(type == "decimal" || type == "integer" ? NdjsonStream::Plan::number
                            : type == "bool"                        ? NdjsonStream::Plan::boolean
                                                                    : NdjsonStream::Plan::text);
    }
    BatchOptions options;
    options.typed_results = true;
    plan->batch.emplace(*plan->rules, plan->inputs, plan->ask.date, plan->ask.decisions, options);
    // Both ways of answering a row name the decisions alike, in the batch's order.
    if (plan->ask.decisions.empty()) plan->ask.decisions = plan->batch->decisions();
    for (const std::string& name : plan->batch->decisions()) plan->value_keys.push_back(json_quote(name) + ": ");
    return std::make_unique<NdjsonStream>(std::move(plan), metrics_, max_line_bytes);
  } catch (const Problem& p) {
    refused = problem_response(p);
  } catch (const std::system_error& e) {  // no thread for a CSV stream's reader
    refused = problem_response({503, "busy", std::string("no thread to read the roster on: ") + e.what(), {}, {{"Retry-After", "1"}}});
  } catch (const std::exception& e) {
    refused = problem_response({500, "internal", std::string("kaidah failed to start the batch: ") + e.what(), {}});
  }
  refused.route = Route::batch;
  return refused;
}

Response Service::compare(const Request& request, const Loaded& loaded) {
  const Json body = parse_json(request.body);
  Ask ask = read_ask(body.value, loaded, settings_.max_rows, true);
  const Refusals refused = refusals(ask, body.inexact);
  const Rulebook& reform = *loaded.reform(ask.reform);
  if (ask.decisions.empty()) ask.decisions = default_comparison(loaded.base);
  std::string results = "[";
  std::size_t with_errors = 0;
  for (std::size_t i = 0; i < ask.cases.size(); ++i) {
    Object o;
    const Case c = read_case(*ask.cases[i], refused[i]);
    try {
      std::vector<DecisionError> unanswered;
      const auto changes = kaidah::compare(loaded.base, reform, c, ask.date, ask.decisions, &unanswered);
      o.boolean("ok", unanswered.empty())
          .raw("changes", array(changes, [](const DecisionChange& c) {
                 return Object().text("decision", c.decision).raw("before", c.before.to_json()).raw("after", c.after.to_json())
                     .raw("difference", c.difference ? json_quote(c.difference->to_string()) : "null")
                     .raw("causes", texts(c.causes)).done();
               }))
          .raw("errors", array(unanswered, decision_error_json)).raw("refused", "[]");
      with_errors += unanswered.empty() ? 0 : 1;
    } catch (const CaseError& e) {
      // compare() stops at the first value refused; each is said, as /v1/evaluate says them.
      std::vector<CaseError> all;
      try {
        all = loaded.base.evaluate(c, ask.date, ask.decisions, OnError::keep).refused_inputs();
      } catch (const CaseError& unknown) {  // an input the rulebook does not have
        all = {unknown};
      }
      if (all.empty()) all = {e};
      o.boolean("ok", false).raw("changes", "[]").raw("errors", "[]").raw("refused", array(all, refused_json));
      ++with_errors;
    }
    results += (results.size() > 1 ? ", " : "") + o.done();
  }
  results += "]";
  metrics_.rows(ask.cases.size(), with_errors);
  Object out;
  out.raw("base", identity_json(loaded.base, loaded)).raw("reform", identity_json(reform, loaded))
      .text("date", ask.date.to_string()).raw("decisions", texts(ask.decisions));
  if (ask.one) {
    out.raw("result", results.substr(1, results.size() - 2));
  } else {
    out.raw("results", results);
  }
  Response r = ok(out.done(), Route::compare);
  r.rows = ask.cases.size();
  return r;
}

Response Service::rulebook(std::string_view path, const Loaded& loaded) {
  if (path == "/v1/rulebook") return ok(loaded.rulebook_json, Route::rulebook);
  // /v1/rulebook/inputs, /v1/rulebook/inputs/NAME, and the same for decisions and parameters.
  std::string_view rest = path.substr(std::string_view("/v1/rulebook/").size());
  const std::string_view part = rest.substr(0, rest.find('/'));
  const std::string_view name = rest.size() > part.size() ? rest.substr(part.size() + 1) : std::string_view();
  const Rulebook& r = loaded.base;
  auto one_or_all = [&](const auto& infos, auto write, const char* what) -> Response {
    if (name.empty()) return ok(Object().raw(part, array(infos, write)).done(), Route::rulebook);
    std::vector<std::string> names;
    for (const auto& info : infos) {
      if (info.name == name) return ok(write(info), Route::rulebook);
      names.push_back(info.name);
    }
    const std::string meant = detail::closest(name, names);
    throw Problem{404, "not_found", std::string("no ") + what + " '" + std::string(name) + "' in " + r.name() +
                                        (meant.empty() ? "" : "; did you mean '" + meant + "'?"), {}};
  };
  if (part == "inputs") return one_or_all(r.inputs(), input_json, "input");
  if (part == "decisions") return one_or_all(r.decisions(), decision_json, "decision");
  if (part == "parameters") return one_or_all(r.parameters(), parameter_json, "parameter");
  throw Problem{404, "not_found", "no endpoint " + std::string(path) + " (/v1/rulebook/inputs, /decisions, /parameters)", {}};
}

Response Service::admin_reload(const Request&) {
  const std::string failed = reload();
  if (!failed.empty())
    throw Problem{422, "reload_failed", "the rulebook did not load; the one in service stays:\n" + failed, {}};
  const auto now = loaded();
  return ok(Object().boolean("reloaded", true).raw("rulebook", identity_json(now->base, *now)).text("loaded_at", now->loaded_at).done(),
            Route::reload);
}

}  // namespace kaidah::serve
