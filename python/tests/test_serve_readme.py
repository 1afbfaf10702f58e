"""README.md's `kaidah serve` section: every curl example, run against a fresh service, must answer
what the README shows."""

import json
import re
import subprocess

import pytest

from serve_client import ROOT, Service


def examples():
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## kaidah serve"):]
    section = section[: section.index("\n## ", 1)]
    blocks = re.findall(r"```(\w+)\n(.*?)```", section, re.S)
    pairs = [(code, blocks[i + 1][1]) for i, (kind, code) in enumerate(blocks)
             if kind == "sh" and "curl " in code and i + 1 < len(blocks) and blocks[i + 1][0] in ("json", "ndjson", "csv")]
    assert len(pairs) == 7, "the README's curl examples with their answers"
    return pairs


@pytest.fixture(scope="module")
def service():
    s = Service("--reform", "kris-single-rate", "--access-log", "off")
    yield s
    assert s.stop() == 0


@pytest.mark.parametrize("command, answer", examples())
def test_the_readme_curl_examples_answer_what_they_show(service, command, answer):
    run = subprocess.run(["bash", "-c", command.replace("localhost:8080", f"127.0.0.1:{service.port}")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    # An answer of CSV is compared as text; of NDJSON line by line; of JSON as a whole.
    if answer.startswith("line,"):
        assert run.stdout == answer
    elif answer.count("\n") > 1 and all(line.startswith("{") for line in answer.splitlines()):
        assert [json.loads(line) for line in run.stdout.splitlines()] == [json.loads(line) for line in answer.splitlines()]
    else:
        assert json.loads(run.stdout) == json.loads(answer)
