"""`kaidah serve`: every endpoint and every error, through a real HTTP client on a loopback port.

The values are worked by hand from the regulations the rulebook cites (rules/jkn/REFERENCE.md)."""

import json
import re
import shutil
import signal
import socket
import time

import pytest

from serve_client import ROOT, Service

JKN = str(ROOT / "rules" / "jkn")
DATE = "2026-11-24"

# A Kopdes Merah Putih employee earning Rp 3,500,000 where the UMK is Rp 2,500,000. Perpres 75/2019
# Pasal 30 ayat (1)-(2): 5% of the wage, 4% paid by the employer and 1% by the worker: 175,000 =
# 140,000 + 35,000 (the wage is under the Rp 12,000,000 ceiling of Pasal 32 ayat (1)).
KOPDES_WORKER = {"citizenship": "indonesian", "work_status": "employee", "employer_type": "cooperative",
                 "kopdes_merah_putih": True, "enrolled_segment": "ppu_badan_usaha",
                 "wage": "3500000", "minimum_wage": "2500000", "last_month_paid": "2026-11"}
IURAN = ["iuran_total", "iuran_employer", "iuran_worker"]


@pytest.fixture(scope="module")
def service():
    s = Service("--reform", "kris-single-rate", "--max-rows", "50")
    yield s
    assert s.stop() == 0


def test_evaluate_one_case(service):
    status, headers, body = service.post("/v1/evaluate", {"date": DATE, "decisions": IURAN, "case": KOPDES_WORKER})
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert body["rulebook"]["name"] == "jkn" and body["rulebook"]["reform"] == "" and body["date"] == DATE
    # Money comes back as exact decimal strings.
    assert body["result"] == {"ok": True, "values": {"iuran_total": "175000", "iuran_employer": "140000",
                                                     "iuran_worker": "35000"}, "errors": [], "refused": []}


def test_json_numbers_are_taken_only_when_exact(service):
    # 3500000.5 and 3.5e6 are exact: 1% of 3,500,000.50 is 35,000.005, rounded half up to whole
    # rupiah (iuran_rounding) 35,000; 4% is 140,000.02 -> 140,000.
    raw_numbers = ["3500000.5", "3500000.50", "3.5e6", "3500000", "3500000.5000000000000", "35000005e-1", "0.35e7"]
    for wage in raw_numbers:
        body = '{"date": "2026-11-24", "decisions": ["iuran_worker"], "case": %s}' % json.dumps(dict(KOPDES_WORKER, wage=0)).replace(
            '"wage": 0', '"wage": ' + wage)
        status, _, answer = service.post("/v1/evaluate", body, headers={"Content-Type": "application/json"})
        assert status == 200 and answer["result"]["values"] == {"iuran_worker": "35000"}, wage
    for wage in [3500000.5, "3500000.50", 3.5e6, 3500000]:
        case = dict(KOPDES_WORKER, wage=wage)
        status, _, body = service.post("/v1/evaluate", {"date": DATE, "decisions": ["iuran_worker"], "case": case})
        assert status == 200 and body["result"]["values"] == {"iuran_worker": "35000"}, wage
    # A number no decimal holds exactly refuses that input of that case, never a rounded value; the
    # other cases are answered.
    raw = ('{"date": "2026-11-24", "decisions": ["iuran_worker"], "cases": [%s, %s]}'
           % (json.dumps(dict(KOPDES_WORKER, wage=None)).replace("null", "0.1234567890123"), json.dumps(KOPDES_WORKER)))
    status, _, body = service.post("/v1/evaluate", raw, headers={"Content-Type": "application/json"})
    assert status == 200
    bad, good = body["results"]
    assert bad["ok"] is False and bad["values"] == {}
    assert bad["refused"] == [{"field": "wage", "reason": "the number 0.1234567890123 is not exact in kaidah's decimals "
                               "(at most 12 decimal places, and 26 digits before the point): write it as a string"}]
    assert bad["errors"][0]["decision"] == "iuran_worker" and bad["errors"][0]["error"]["input"] == "wage"
    assert good["values"] == {"iuran_worker": "35000"}


def test_many_cases_each_with_its_own_errors(service):
    cases = [
        KOPDES_WORKER,
        # A PBPU villager who has not chosen a class: no contribution, and it says why.
        {"citizenship": "indonesian", "work_status": "self_employed", "enrolled_segment": "pbpu"},
        dict(KOPDES_WORKER, kelass="kelas_3"),  # an input the rulebook does not have
        dict(KOPDES_WORKER, wage="3,5 juta"),   # a value that is not a decimal
        dict(KOPDES_WORKER, minimum_wage=None),  # null: not given
    ]
    status, _, body = service.post("/v1/evaluate", {"date": DATE, "decisions": ["iuran_total"], "cases": cases})
    assert status == 200 and len(body["results"]) == 5
    ok, pbpu, unknown, bad, missing = body["results"]
    assert ok == {"ok": True, "values": {"iuran_total": "175000"}, "errors": [], "refused": []}
    assert pbpu["ok"] is False and pbpu["values"] == {}
    assert pbpu["errors"][0]["decision"] == "iuran_total"
    assert pbpu["errors"][0]["error"]["input"] == "kelas" and "has no value" in pbpu["errors"][0]["error"]["message"]
    assert unknown["refused"] == [{"field": "kelass", "reason": "unknown input; did you mean 'kelas'?"}]
    assert bad["refused"][0]["field"] == "wage" and "3,5 juta" in bad["refused"][0]["reason"]
    # The minimum wage is the floor of the wage base (Perpres 82/2018 Pasal 32); without it the
    # contribution cannot be computed, and the error names it.
    assert missing["ok"] is False and missing["errors"][0]["error"]["input"] == "minimum_wage"


def test_explain_gives_the_legal_argument(service):
    status, _, body = service.post("/v1/explain", {"date": DATE, "decisions": ["iuran_worker"], "case": KOPDES_WORKER})
    assert status == 200 and body["result"]["values"] == {"iuran_worker": "35000"}
    explanation = body["result"]["explanation"]
    assert explanation["roots"] == ["iuran_worker"] and explanation["date"] == DATE
    rate = [p for d in explanation["decisions"].values() for p in d["parameters"] if p["name"] == "ppu_badan_usaha_worker_rate"]
    assert rate and rate[0]["value"] == "0.01" and rate[0]["effective_from"] == "2020-01-01"
    assert "Perpres 75/2019 Pasal 30" in rate[0]["legal_basis"]


def test_compare_under_a_reform(service):
    # rules/jkn/reforms/kris-single-rate.yaml (HYPOTHETICAL): a class II PBPU participant pays
    # 75,000 a month from 2027 instead of 100,000 (Perpres 64/2020 Pasal 34 ayat (1) huruf b).
    villager = {"citizenship": "indonesian", "work_status": "self_employed", "enrolled_segment": "pbpu", "kelas": "kelas_2"}
    status, _, body = service.post("/v1/compare", {"date": "2027-03-15", "reform": "kris-single-rate",
                                                   "decisions": ["iuran_participant"], "case": villager})
    assert status == 200 and body["reform"]["reform"] == "kris-single-rate" and body["base"]["reform"] == ""
    [change] = body["result"]["changes"]
    assert change["decision"] == "iuran_participant" and change["before"] == "100000" and change["after"] == "75000"
    assert change["difference"] == "-25000" and any("HYPOTHETICAL" in c for c in change["causes"])
    # The same case evaluated under the reform by name.
    status, _, body = service.post("/v1/evaluate", {"date": "2027-03-15", "reform": "kris-single-rate",
                                                    "decisions": ["iuran_participant"], "case": villager})
    assert status == 200 and body["result"]["values"] == {"iuran_participant": "75000"}
    assert body["rulebook"]["reform"] == "kris-single-rate"
    # A reform the service was not started with is never looked for on disk.
    for name, kind in [("kris-singel-rate", "unknown_reform"), ("../../etc/passwd", "unknown_reform")]:
        status, _, body = service.post("/v1/compare", {"date": "2027-03-15", "reform": name, "case": villager})
        assert status == 404 and body["error"]["kind"] == kind
    assert "did you mean 'kris-single-rate'?" in service.post(
        "/v1/compare", {"date": "2027-03-15", "reform": "kris-singel-rate", "case": villager})[2]["error"]["message"]
    status, _, body = service.post("/v1/compare", {"date": "2027-03-15", "case": villager})
    assert status == 400 and body["error"]["field"] == "reform"
    # Two values that do not fit: each is said, as /v1/evaluate says them.
    status, _, body = service.post("/v1/compare", {"date": "2027-03-15", "reform": "kris-single-rate",
                                                   "case": dict(KOPDES_WORKER, wage="abc", minimum_wage="x")})
    assert status == 200 and body["result"]["ok"] is False
    assert [r["field"] for r in body["result"]["refused"]] == ["minimum_wage", "wage"]


def test_the_rulebook_with_histories_and_citations(service):
    status, _, body = service.get("/v1/rulebook")
    assert status == 200 and body["rulebook"]["name"] == "jkn" and body["reforms"] == ["kris-single-rate"]
    assert "iuran_total" in body["outputs"]
    wage = next(i for i in body["inputs"] if i["name"] == "wage")
    assert wage["type"] == "decimal" and wage["unit"] == "rupiah"
    status, _, ceiling = service.get("/v1/rulebook/parameters/ppu_wage_ceiling")
    # REFERENCE.md: 4,725,000 (2014, UNCONFIRMED), 8,000,000 from 2016-04-01 (Perpres 28/2016),
    # 12,000,000 from 2020-01-01 (Perpres 75/2019 Pasal 32 ayat (1)).
    assert status == 200 and [(h["effective_from"], h["value"]) for h in ceiling["history"]] == [
        ("2014-01-01", "4725000"), ("2016-04-01", "8000000"), ("2020-01-01", "12000000")]
    assert "UNCONFIRMED" in ceiling["history"][0]["legal_basis"] and "Perpres 28/2016" in ceiling["history"][1]["legal_basis"]
    status, _, decision = service.get("/v1/rulebook/decisions/iuran_worker")
    assert status == 200 and decision["type"] == "decimal" and decision["legal_basis"] and "wage" in decision["inputs"]
    status, _, inputs = service.get("/v1/rulebook/inputs")
    assert status == 200 and [i["name"] for i in inputs["inputs"]] == [i["name"] for i in body["inputs"]]
    status, _, body = service.get("/v1/rulebook/parameters/ppu_wage_celing")
    assert status == 404 and "did you mean 'ppu_wage_ceiling'?" in body["error"]["message"]
    status, head_headers, nothing = service.request("HEAD", "/v1/rulebook")
    status_get, get_headers, _ = service.request("GET", "/v1/rulebook")
    assert status == 200 and nothing == "" and head_headers["Content-Length"] == get_headers["Content-Length"]


@pytest.mark.parametrize("body, status, kind, field, says", [
    ('{"date": "2026-11-24", "case": {', 400, "malformed_json", None, "parse error at line 1, column 33: syntax error"),
    ('[1, 2]', 400, "bad_request", None, "the body must be a JSON object"),
    ('{"date": "2026-11-24", "case": {}, "case": {}}', 400, "malformed_json", None, "the key 'case' is given twice"),
    ('{"dat": "2026-11-24", "case": {}}', 400, "bad_request", "dat", "did you mean 'date'?"),
    ('{"case": {}}', 400, "bad_request", "date", "required"),
    ('{"date": "2025-02-30", "case": {}}', 400, "bad_request", "date", "2025-02-30"),
    ('{"date": "24/11/2026", "case": {}}', 400, "bad_request", "date", "expected a date like"),
    ('{"date": "2026-11-24"}', 400, "bad_request", "cases", "give either"),
    ('{"date": "2026-11-24", "case": {}, "cases": []}', 400, "bad_request", "cases", "give either"),
    ('{"date": "2026-11-24", "cases": [1]}', 400, "bad_request", "cases[0]", "expected an object"),
    ('{"date": "2026-11-24", "decisions": [], "case": {}}', 400, "bad_request", "decisions", "names no decision"),
    ('{"date": "2026-11-24", "decisions": ["iuran_totl"], "case": {}}', 400, "unknown_decision", "decisions",
     "did you mean 'iuran_total'?"),
    ('{"date": 20261124, "case": {}}', 400, "bad_request", "date", "got 20261124"),
    ('{"date": "2026-11-24", "reform": 1.5e-30, "case": {}}', 400, "bad_request", "reform", "not exact"),
    ("[" * 70 + "]" * 70, 400, "malformed_json", None, "nested deeper than 64 levels"),
])
def test_bad_requests_say_what_and_where(service, body, status, kind, field, says):
    got, _, answer = service.post("/v1/evaluate", body, headers={"Content-Type": "application/json"})
    assert got == status, answer
    error = answer["error"]
    assert error["status"] == status and error["kind"] == kind and says in error["message"], error
    assert error.get("field") == field


def test_too_many_cases_for_one_request(service):
    status, _, body = service.post("/v1/evaluate", {"date": DATE, "cases": [KOPDES_WORKER] * 51})
    assert status == 413 and body["error"]["kind"] == "too_many_rows" and "at most 50" in body["error"]["message"]


def test_routes_methods_and_media_types(service):
    status, _, body = service.get("/v1/evaluat")
    assert status == 404 and body["error"]["kind"] == "not_found"
    status, headers, body = service.get("/v1/evaluate")
    assert status == 405 and headers["Allow"] == "POST" and body["error"]["kind"] == "method_not_allowed"
    status, headers, _ = service.post("/v1/rulebook", {})
    assert status == 405 and headers["Allow"] == "GET, HEAD"
    status, _, body = service.post("/v1/evaluate", "date=2026-11-24", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 415 and "Content-Type: application/json" in body["error"]["message"]
    status, _, body = service.post("/v1/admin/reload", {})
    assert status == 403 and "--token-file" in body["error"]["message"]
    assert service.get("/healthz")[2] == {"status": "ok"}
    status, _, body = service.get("/readyz")
    assert status == 200 and body["status"] == "ready" and body["rulebook"]["generation"] == 1


def test_keep_alive_answers_many_requests_on_one_connection(service):
    conn = service.connection()
    for i in range(20):
        wage = str(1_000_000 * (i + 3))  # 1% of the wage, up to the Rp 12,000,000 ceiling
        status, _, body = service.post("/v1/evaluate", {"date": DATE, "decisions": ["iuran_worker"],
                                                        "case": dict(KOPDES_WORKER, wage=wage)}, connection=conn)
        assert status == 200 and body["result"]["values"]["iuran_worker"] == str(min(int(wage), 12_000_000) // 100)
    conn.close()


def test_metrics_count_requests_rows_and_the_rulebook():
    s = Service()
    try:
        for _ in range(3):
            s.post("/v1/evaluate", {"date": DATE, "decisions": IURAN, "cases": [KOPDES_WORKER, {"wage": "1"}]})
        s.post("/v1/evaluate", "{", headers={"Content-Type": "application/json"})
        status, headers, text = s.get("/metrics")
        assert status == 200 and headers["Content-Type"].startswith("text/plain; version=0.0.4")
        lines = text.splitlines()
        assert 'kaidah_requests_total{route="/v1/evaluate",status="200"} 3' in lines
        assert 'kaidah_requests_total{route="/v1/evaluate",status="400"} 1' in lines
        assert "kaidah_rows_evaluated_total 6" in lines and "kaidah_rows_with_errors_total 3" in lines
        assert 'kaidah_request_duration_seconds_count{route="/v1/evaluate"} 4' in lines
        assert 'kaidah_request_duration_seconds_bucket{route="/v1/evaluate",le="+Inf"} 4' in lines
        assert any(l.startswith('kaidah_rulebook_info{name="jkn",version="') and 'generation="1"' in l for l in lines)
        # This one at least (the service may not have seen the earlier ones leave yet).
        assert any(re.fullmatch(r"kaidah_connections_open [1-9][0-9]*", l) for l in lines)
    finally:
        assert s.stop() == 0
    # One access log line per request: when, who, what, status, bytes, time, rows.
    log = [l for l in s.stderr.splitlines() if '"POST /v1/evaluate"' in l]
    assert len(log) == 4 and " 127.0.0.1 " in log[0] and log[0].split()[4] == "200" and log[0].endswith("rows=2")


def test_a_token_guards_every_endpoint_and_the_admin_reload(tmp_path):
    token = "s3cret-token-0123456789"
    (tmp_path / "token").write_text(token + "\n")
    s = Service("--token-file", str(tmp_path / "token"))
    try:
        for headers in [{}, {"Authorization": "Bearer wrong-token-0123456789"}, {"Authorization": token},
                        {"Authorization": "Bearer " + token[:-1]}, {"Authorization": "Bearer " + token + "x"}]:
            status, got, body = s.get("/v1/rulebook/inputs", headers=headers)
            assert status == 401 and got["WWW-Authenticate"] == "Bearer" and body["error"]["kind"] == "unauthorized"
        auth = {"Authorization": "Bearer " + token}
        assert s.get("/v1/rulebook/inputs", headers=auth)[0] == 200
        assert s.get("/nowhere", headers={})[0] == 401  # nothing is said without the token, not even a 404
        status, _, body = s.post("/v1/admin/reload", {}, headers=auth)
        assert status == 200 and body["reloaded"] is True and body["rulebook"]["generation"] == 2
        assert s.get("/readyz", headers=auth)[2]["rulebook"]["generation"] == 2
    finally:
        assert s.stop() == 0
    short = tmp_path / "short"
    short.write_text("abc\n")
    run = __import__("subprocess").run([__import__("serve_client").KAIDAH, "serve", "--token-file", str(short)],
                                       capture_output=True, text=True)
    assert run.returncode == 2 and "shorter than 16 is guessable" in run.stderr


def test_a_reload_that_fails_keeps_the_rulebook_in_service(tmp_path):
    rules = tmp_path / "jkn"
    shutil.copytree(JKN, rules)
    (tmp_path / "token").write_text("reload-token-0123456789\n")
    auth = {"Authorization": "Bearer reload-token-0123456789"}
    s = Service(str(rules), "--token-file", str(tmp_path / "token"))
    ask = {"date": DATE, "decisions": ["iuran_worker"], "case": KOPDES_WORKER}
    try:
        inputs = rules / "inputs.yaml"
        good = inputs.read_text()
        inputs.write_text(good + "\n  broken: [\n")
        s.signal(signal.SIGHUP)
        assert s.wait_for_stderr("reload failed; generation 1 stays in service"), s.stderr
        assert "inputs.yaml:" in s.stderr
        status, _, body = s.post("/v1/evaluate", ask, headers=auth)
        assert status == 200 and body["result"]["values"] == {"iuran_worker": "35000"} and body["rulebook"]["generation"] == 1
        status, _, body = s.post("/v1/admin/reload", {}, headers=auth)
        assert status == 422 and body["error"]["kind"] == "reload_failed" and "inputs.yaml:" in body["error"]["message"]
        # Fixed, and the worker's share changed as a new regulation would (2% from 2026-01-01, made
        # up for the test): the new law is served, 2% of 3,500,000 = 70,000.
        inputs.write_text(good)
        contributions = rules / "parameters" / "contributions.yaml"
        anchor = "for private employers from 1 January 2020)\"\n  ppu_penyelenggara_negara_employer_rate:"
        text = contributions.read_text()
        assert text.count(anchor) == 1
        contributions.write_text(text.replace(anchor, anchor.split("\n")[0] + "\n      - {effective_from: 2026-01-01, "
                                              "value: 0.02, legal_basis: TEST}\n" + anchor.split("\n")[1]))
        s.signal(signal.SIGHUP)
        assert s.wait_for_stderr("reloaded jkn"), s.stderr
        assert s.get("/readyz", headers=auth)[2]["rulebook"]["generation"] == 2
        status, _, body = s.post("/v1/evaluate", ask, headers=auth)
        assert status == 200 and body["result"]["values"] == {"iuran_worker": "70000"} and body["rulebook"]["generation"] == 2
        status, _, text = s.get("/metrics", headers=auth)
        assert "kaidah_reloads_total 1" in text and "kaidah_reloads_failed_total 2" in text
    finally:
        assert s.stop() == 0


def test_shutdown_finishes_the_requests_in_flight():
    s = Service()
    conn = s.connection(timeout=120)
    body = json.dumps({"date": DATE, "decisions": IURAN, "cases": [KOPDES_WORKER] * 10000})
    conn.request("POST", "/v1/explain", body=body, headers={"Content-Type": "application/json"})
    deadline = time.monotonic() + 30
    while "kaidah_requests_in_flight 1" not in s.get("/metrics")[2] and time.monotonic() < deadline:
        time.sleep(0.01)  # until the request is being answered
    s.signal(signal.SIGTERM)
    response = conn.getresponse()
    answer = json.loads(response.read())
    assert response.status == 200 and len(answer["results"]) == 10000
    assert all(r["values"]["iuran_total"] == "175000" for r in answer["results"])
    assert s.stop() == 0 and "shutting down" in s.stderr
    with pytest.raises(OSError):
        socket.create_connection((s.host, s.port), timeout=2).recv(1)


def test_the_service_listens_on_loopback_unless_told(tmp_path):
    s = Service()
    try:
        assert s.host == "127.0.0.1"
    finally:
        s.stop()
    import subprocess
    from serve_client import KAIDAH
    for listen, says in [("8080", "expected HOST:PORT"), ("127.0.0.1:99999", "port from 0 to 65535"),
                         ("example.com:80", "cannot listen on example.com:80")]:
        run = subprocess.run([KAIDAH, "serve", "--listen", listen], capture_output=True, text=True, timeout=30)
        assert run.returncode == 2 and says in run.stderr, run.stderr
    run = subprocess.run([KAIDAH, "serve", "--max-rows", "0"], capture_output=True, text=True)
    assert run.returncode == 2 and "--max-rows: expected a whole number of at least 1" in run.stderr
    run = subprocess.run([KAIDAH, "eval", "--listen", "127.0.0.1:1"], capture_output=True, text=True)
    assert run.returncode == 2 and "eval takes no --listen option" in run.stderr


def ndjson_batch(service, lines, query="date=2026-11-24&decisions=iuran_total,iuran_worker", chunked=True):
    """Streams `lines` to /v1/batch (chunked, as a host streams) and reads every answer line."""
    conn = service.connection(timeout=120)
    body = ("\n".join(lines) + "\n").encode()
    if chunked:
        conn.putrequest("POST", "/v1/batch?" + query)
        conn.putheader("Content-Type", "application/x-ndjson")
        conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        for start in range(0, len(body), 7000):  # parts that end in the middle of lines
            part = body[start:start + 7000]
            conn.send(b"%x\r\n%s\r\n" % (len(part), part))
        conn.send(b"0\r\n\r\n")
    else:
        conn.request("POST", "/v1/batch?" + query, body=body, headers={"Content-Type": "application/x-ndjson"})
    response = conn.getresponse()
    text = response.read().decode()
    conn.close()
    return response.status, response.getheader("Content-Type"), text


def people(n):
    """n cases that differ: wages, segments, classes, and some with a fact missing."""
    out = []
    for i in range(n):
        if i % 3 == 0:
            out.append(dict(KOPDES_WORKER, wage=str(1_000_000 + 3_517 * i)))
        elif i % 3 == 1:
            villager = {"citizenship": "indonesian", "work_status": "self_employed", "enrolled_segment": "pbpu",
                        "kelas": ["kelas_1", "kelas_2", "kelas_3"][i % 4 % 3], "last_month_paid": f"2026-{1 + i % 11:02d}"}
            if i % 7 == 0:
                del villager["kelas"]
            out.append(villager)
        else:
            out.append({"citizenship": "indonesian", "work_status": "employee", "employer_type": "cooperative",
                        "enrolled_segment": "ppu_badan_usaha", "wage": f"{2_000_000 + i}.{i % 100:02d}"})
    return out


def test_a_streamed_batch_answers_each_line_as_evaluate_does():
    s = Service("--access-log", "off")
    try:
        cases = people(5000)  # two chunks of the batch's 4,096 rows
        lines = [json.dumps(dict(c, id=f"p{i}")) for i, c in enumerate(cases)]
        lines[10:10] = ["", "not json", "[1]", '{"kelass": "kelas_3"}']
        decisions = ["iuran_total", "iuran_worker", "arrears_amount", "next_action"]
        status, content_type, text = ndjson_batch(s, lines, "date=2026-11-24&decisions=" + "%2C".join(decisions))
        assert status == 200 and content_type == "application/x-ndjson"
        answers = [json.loads(l) for l in text.splitlines()]
        assert len(answers) == 5003  # the blank line is no case
        assert [a["line"] for a in answers[:14]] == list(range(1, 11)) + [12, 13, 14, 15]
        assert answers[10]["error"]["kind"] == "malformed_json" and answers[11]["error"]["kind"] == "bad_request"
        assert answers[12]["refused"] == [{"field": "kelass", "reason": "unknown input; did you mean 'kelas'?"}]
        # Worked by hand: person 0 earns Rp 1,000,000, under the Rp 2,500,000 minimum wage, so 1% of
        # the minimum wage (Perpres 82/2018 Pasal 32 ayat (2)): 25,000.
        assert answers[0]["id"] == "p0" and answers[0]["values"]["iuran_worker"] == "25000"
        # Every case's answer is /v1/evaluate's for that case (checked for 1 in 7, in requests of 50).
        by_id = {a["id"]: a for a in answers if "id" in a}
        sample = list(range(0, 5000, 7))
        for start in range(0, len(sample), 50):
            part = sample[start:start + 50]
            _, _, body = s.post("/v1/evaluate", {"date": DATE, "decisions": decisions, "cases": [cases[i] for i in part]})
            for i, result in zip(part, body["results"]):
                got = dict(by_id[f"p{i}"])
                assert got.pop("id") == f"p{i}" and got.pop("line") > 0
                assert got == result, i
        assert sum(1 for a in answers if "id" in a and not a["ok"]) > 0  # some lack kelas
        # Sent whole, with a length, the answers are the same.
        assert ndjson_batch(s, lines, "date=2026-11-24&decisions=" + "%2C".join(decisions), chunked=False)[2] == text
        # Counted as answered: 5,003 rows twice, and the 715 cases of the comparison.
        assert "kaidah_rows_evaluated_total 10721" in s.get("/metrics")[2]
    finally:
        assert s.stop() == 0


def test_every_decision_of_the_bundled_roster_streamed_is_evaluates_answer(service):
    # The bundled roster as NDJSON, as a host converts a CSV (every value a string, lists written
    # as text), and written the other ways JSON allows: numbers, true and false, null, an escape.
    # With no decisions named, every decision of every type is answered
    # (the quick way, from the batch's typed columns, or the evaluator's), and each answer must be
    # /v1/evaluate's for the same case.
    import csv as csv_module
    with open(ROOT / "examples" / "data" / "population.csv", newline="") as f:
        cases = [{k: v for k, v in row.items() if v and k not in ("id", "name")} for row in csv_module.DictReader(f)]
    for i, c in enumerate(cases):
        if i % 5 == 1 and "wage" in c:
            c["wage"] = int(c["wage"])  # a JSON number
        if i % 5 == 2:
            c.update({k: v == "true" for k, v in c.items() if v in ("true", "false")})  # true and false
        if i % 5 == 3:
            c["kelas"] = None  # null: not given
        if i % 7 == 4 and "last_month_paid" in c:
            c["last_month_paid"] = c["last_month_paid"].replace("-", "~")  # written with an escape below
    # "~" becomes the escape \u002d, a "-" to JSON: such a line is read the full way.
    lines = [json.dumps(dict(c, id=f"r{i}")).replace("~", "\\u002d") for i, c in enumerate(cases)]
    assert any("\\u002d" in l for l in lines) and any(": true" in l for l in lines) and any(": null" in l for l in lines)
    status, _, text = ndjson_batch(service, lines, "date=2026-11-24")
    answers = [json.loads(l) for l in text.splitlines()]
    assert status == 200 and len(answers) == len(cases) == 320
    cases = [json.loads(l) for l in lines]
    for c in cases:
        c.pop("id")
    evaluated = []
    for start in range(0, len(cases), 50):  # the fixture's --max-rows
        evaluated += service.post("/v1/evaluate", {"date": DATE, "cases": cases[start:start + 50]})[2]["results"]
    for i, (got, want) in enumerate(zip(answers, evaluated)):
        assert got.pop("id") == f"r{i}" and got.pop("line") == i + 1
        assert got == want, i
    assert len(answers[0]["values"]) > 100  # every decision
    # Most are answered the quick way, with every decision (the typed columns written as JSON).
    assert sum(a["ok"] for a in answers) > 200
    # The first worker, worked by hand in test_cli.py: iuran_total 190,000 (5% of Rp 3,800,000).
    assert answers[0]["values"]["iuran_total"] == "190000"


def test_a_streamed_batch_is_refused_before_it_starts(service):
    for query, status, kind, says in [
        ("decisions=iuran_total", 400, "bad_request", "date: required"),
        ("date=2026-11-24&decisions=iuran_totl", 400, "unknown_decision", "did you mean 'iuran_total'?"),
        ("date=2026-11-24&reform=nope", 404, "unknown_reform", "its reforms: kris-single-rate"),
        ("date=2026-11-24&dat=1", 400, "bad_request", "did you mean 'date'?"),
    ]:
        got, content_type, text = ndjson_batch(service, ["{}"], query)
        body = json.loads(text)
        assert got == status and body["error"]["kind"] == kind and says in body["error"]["message"], body
    status, _, body = service.post("/v1/batch?date=2026-11-24", {"x": 1})
    assert status == 415 and "application/x-ndjson" in body["error"]["message"]
    assert service.get("/v1/batch")[0] == 405
    # Under a reform, by name: the KRIS single rate (HYPOTHETICAL) for a class II villager in 2027.
    villager = {"citizenship": "indonesian", "work_status": "self_employed", "enrolled_segment": "pbpu", "kelas": "kelas_2"}
    _, _, text = ndjson_batch(service, [json.dumps(villager)], "date=2027-03-15&decisions=iuran_participant&reform=kris-single-rate")
    assert json.loads(text)["values"] == {"iuran_participant": "75000"}


def openapi_validator(doc, name):
    """A JSON Schema validator for components.schemas[name] of an OpenAPI 3.0 document (its
    `nullable` made a union with null, its $refs resolved within the document)."""
    import copy

    import jsonschema

    def plain(node):
        if isinstance(node, dict):
            node = {k: plain(v) for k, v in node.items()}
            if node.pop("nullable", False):
                node = {"anyOf": [node, {"type": "null"}]}
            return node
        if isinstance(node, list):
            return [plain(v) for v in node]
        return node

    whole = plain(copy.deepcopy(doc))
    schema = dict(whole["components"]["schemas"][name])
    schema["components"] = whole["components"]
    return jsonschema.Draft7Validator(schema)


def test_the_openapi_document_is_made_from_the_rulebook(service):
    status, _, doc = service.get("/v1/openapi.json")
    assert status == 200 and doc["openapi"] == "3.0.3" and doc["info"]["title"] == "kaidah: jkn"
    assert set(doc["paths"]) >= {"/v1/evaluate", "/v1/explain", "/v1/compare", "/v1/batch", "/v1/rulebook", "/healthz",
                                 "/readyz", "/metrics", "/v1/admin/reload", "/v1/rulebook/parameters/{name}"}
    refs = set()

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                refs.add(node["$ref"].split("/")[-1])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(doc)
    assert refs <= set(doc["components"]["schemas"]), refs - set(doc["components"]["schemas"])
    # OpenAPI 3.0 reads "nullable" only beside a "type", and an enum that may be null lists null.
    def nullables(node):
        if isinstance(node, dict):
            if node.get("nullable"):
                yield node
            for v in node.values():
                yield from nullables(v)
        elif isinstance(node, list):
            for v in node:
                yield from nullables(v)
    found = list(nullables(doc))
    assert found and all("type" in n for n in found)
    assert all(None in n["enum"] for n in found if "enum" in n)
    _, _, rulebook = service.get("/v1/rulebook")
    case = doc["components"]["schemas"]["Case"]
    assert set(case["properties"]) == {i["name"] for i in rulebook["inputs"]} and case["additionalProperties"] is False
    kelas = next(i for i in rulebook["inputs"] if i["name"] == "kelas")
    assert case["properties"]["kelas"]["enum"] == kelas["values"] + [None]
    # Money: a string of an exact decimal, or a JSON number; out of the service, a string only.
    assert case["properties"]["wage"]["oneOf"][0]["pattern"] == "^-?[0-9]+(\\.[0-9]+)?$"
    assert doc["components"]["schemas"]["Values"]["properties"]["iuran_total"]["type"] == "string"
    assert doc["components"]["schemas"]["Request"]["properties"]["reform"]["enum"] == ["kris-single-rate"]
    assert doc["components"]["schemas"]["Request"]["properties"]["cases"]["maxItems"] == 50
    # Real requests and answers hold to the schemas; a case with a misspelt input does not.
    ask = {"date": DATE, "decisions": IURAN, "cases": [KOPDES_WORKER, {"wage": 3500000.5, "kelas": None}]}
    openapi_validator(doc, "Request").validate(ask)
    # Either "case" or "cases", never both nor neither; no other field (the service refuses each).
    assert openapi_validator(doc, "Request").is_valid({"date": DATE, "case": KOPDES_WORKER})
    for wrong in ({"date": DATE}, {"date": DATE, "case": KOPDES_WORKER, "cases": []}, dict(ask, dat=DATE)):
        assert not openapi_validator(doc, "Request").is_valid(wrong), wrong
        assert service.post("/v1/evaluate", wrong)[0] == 400
    # The batch takes NDJSON or a roster as CSV, and answers in kind.
    batch = doc["paths"]["/v1/batch"]["post"]
    assert set(batch["requestBody"]["content"]) == set(batch["responses"]["200"]["content"]) == {"application/x-ndjson", "text/csv"}
    assert "422" in batch["responses"] and "locale" in [p["name"] for p in batch["parameters"]]
    assert not openapi_validator(doc, "Case").is_valid(dict(KOPDES_WORKER, kelass="kelas_3"))
    assert not openapi_validator(doc, "Case").is_valid(dict(KOPDES_WORKER, kelas="kelas_9"))
    for path, schema in [("/v1/evaluate", "Response"), ("/v1/explain", "Response")]:
        openapi_validator(doc, schema).validate(service.post(path, ask)[2])
    villager = {"citizenship": "indonesian", "work_status": "self_employed", "enrolled_segment": "pbpu", "kelas": "kelas_2"}
    comparison = service.post("/v1/compare", {"date": "2027-03-15", "reform": "kris-single-rate", "cases": [villager]})[2]
    openapi_validator(doc, "Comparison").validate(comparison)
    _, _, text = ndjson_batch(service, [json.dumps(KOPDES_WORKER), "{"])
    for line in text.splitlines():
        openapi_validator(doc, "CaseResult").validate(json.loads(line))
    openapi_validator(doc, "BatchLine").validate(dict(KOPDES_WORKER, id="KDMP-1"))
    # Answers with optional decisions that have no value (null) hold to the schema too.
    every = service.post("/v1/evaluate", {"date": DATE, "cases": [KOPDES_WORKER]})[2]
    assert any(v is None for v in every["results"][0]["values"].values())
    openapi_validator(doc, "Response").validate(every)
