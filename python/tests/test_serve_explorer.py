"""The rulebook explorer: served by `kaidah serve` at /, and written by `kaidah reference --html`.
Loaded in headless Chromium (Debian's chromium): its DOM after the scripts ran must show the
rulebook and a case computed with the service, and a screenshot is taken to look at."""

import json
import re
import shutil
import subprocess
import urllib.parse

import pytest

from serve_client import KAIDAH, ROOT, Service

CHROMIUM = shutil.which("chromium") or "chromium"  # make deps installs it; missing, these tests fail

WORKER = {"citizenship": "indonesian", "work_status": "employee", "employer_type": "cooperative",
          "enrolled_segment": "ppu_badan_usaha", "wage": "3500000", "minimum_wage": "2500000"}


def main_of(dom):
    """What the page shows (its <main>), not its script's source."""
    return re.search(r'<main id="main">(.*?)</main>', dom, re.S).group(1)


def chromium(url, *options):
    run = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                          "--virtual-time-budget=8000", *options, url], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.fixture(scope="module")
def service():
    s = Service("--access-log", "off")
    yield s
    assert s.stop() == 0


def test_the_page_has_no_external_assets(service):
    status, headers, page = service.get("/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    # Everything is in the page: it works offline.
    assert not re.search(r"""(src|href)=["']?(https?:)?//|<link|@import|url\(""", page)
    assert '"name": "iuran_total"' in page  # the rulebook is in it


def test_the_explorer_computes_and_explains_a_case(service, tmp_path):
    # Perpres 75/2019 Pasal 30: 5% of Rp 3,500,000; 4% the employer's, 1% the worker's.
    url = (f"http://127.0.0.1:{service.port}/#try?date=2026-11-24&decisions=iuran_total,iuran_worker,iuran_employer"
           f"&run=1&case={urllib.parse.quote(json.dumps(WORKER))}")
    dom = chromium(url, "--dump-dom")
    answers = dict(re.findall(r'data-decision="([a-z_]+)">([^<]*)<', dom))
    assert answers == {"iuran_total": "175000 rupiah", "iuran_worker": "35000 rupiah", "iuran_employer": "140000 rupiah"}
    assert "Perpres 75/2019 Pasal 30" in dom  # the explanation cites the regulation
    # Every decision is in the list to browse.
    _, _, rulebook = service.get("/v1/rulebook")
    listed = set(re.findall(r'<a href="#decision/([a-z_0-9]+)"', dom))
    assert {d["name"] for d in rulebook["decisions"]} <= listed
    assert f"DECISIONS ({len(rulebook['decisions'])})" in dom.upper()
    shot = ROOT / "build" / "explorer-case.png"
    chromium(url, "--window-size=1280,1600", f"--screenshot={shot}")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 30_000


def test_a_parameter_with_its_history_chart_and_citations(service):
    dom = main_of(chromium(f"http://127.0.0.1:{service.port}/#parameter/iuran_kelas_2", "--dump-dom"))
    # REFERENCE.md, iuran_kelas_2: 51,000 from 2016-04-01 (Perpres 28/2016), 110,000 from 2020-01-01
    # (Perpres 75/2019), 100,000 from 2020-07-01 (Perpres 64/2020 Pasal 34 ayat (1)).
    assert '<svg class="chart"' in dom and dom.count("<circle") == 5
    rows = re.findall(r'<td class="num">(\d{4}-\d{2}-\d{2})</td><td class="num">(\d+)</td><td>([^<]*)', dom)
    assert ("2020-07-01", "100000", "Perpres 64/2020 Pasal 34 ayat (1)") in rows and len(rows) == 5
    dom = chromium(f"http://127.0.0.1:{service.port}/#decision/iuran_worker", "--dump-dom")
    assert "Legal basis:" in dom and 'href="#parameter/ppu_badan_usaha_worker_rate"' in dom
    shot = ROOT / "build" / "explorer-parameter.png"
    chromium(f"http://127.0.0.1:{service.port}/#parameter/iuran_kelas_2", "--window-size=1280,1000", f"--screenshot={shot}")
    assert shot.stat().st_size > 20_000


def test_reference_html_writes_the_explorer_as_a_static_site(tmp_path):
    run = subprocess.run([KAIDAH, "reference", "--html", str(tmp_path / "site")], capture_output=True, text=True)
    assert run.returncode == 0 and "wrote" in run.stdout, run.stderr
    page = (tmp_path / "site" / "index.html").read_text()
    assert "const LIVE = false;" in page and '"name": "ppu_wage_ceiling"' in page
    dom = chromium((tmp_path / "site" / "index.html").as_uri(), "--dump-dom")
    assert "a static copy" in dom and 'href="#decision/iuran_total"' in dom
    dom = main_of(chromium((tmp_path / "site" / "index.html").as_uri() + "#try", "--dump-dom"))
    assert "static page" in dom and "<form" not in dom


def test_with_a_token_the_explorer_asks_for_it_and_uses_it(tmp_path):
    # A browser cannot send a bearer token when it opens a page: GET / without one answers (401)
    # a page that asks for it, and holds nothing of the rulebook.
    token = "s3cret-token-0123456789"
    (tmp_path / "token").write_text(token + "\n")
    s = Service("--token-file", str(tmp_path / "token"), "--access-log", "off")
    try:
        status, headers, page = s.get("/")
        assert status == 401 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert 'type="password"' in page and "iuran_total" not in page
        assert s.get("/v1/rulebook")[0] == 401  # the API still answers only the token, as JSON
        # Given in the link (#token=..., never sent to the server), the page opens the explorer with it,
        # and the explorer sends it with its own requests: the case is computed, as without a token.
        case = urllib.parse.quote(json.dumps(WORKER))
        then = urllib.parse.quote(f"try?date=2026-11-24&decisions=iuran_total,iuran_worker&run=1&case={case}")
        dom = chromium(f"http://127.0.0.1:{s.port}/#token={token}&then={then}", "--dump-dom")
        answers = dict(re.findall(r'data-decision="([a-z_]+)">([^<]*)<', dom))
        assert answers == {"iuran_total": "175000 rupiah", "iuran_worker": "35000 rupiah"}
        # A wrong token is said, and nothing opens.
        dom = chromium(f"http://127.0.0.1:{s.port}/#token=wrong-token-0123456789", "--dump-dom")
        assert "The service refused that token (401)." in dom and "iuran_total" not in dom
    finally:
        assert s.stop() == 0
