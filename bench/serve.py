"""kaidah serve under load, over loopback (issue #22): wrk at 64 connections sending one PPU case
a request to POST /v1/evaluate for 10 seconds (throughput, p50 and p99 latency), then the
1,000,000-row roster of bench/sweep.py streamed to POST /v1/batch by curl, as NDJSON and as the
CSV itself (persons/s), to hold against the sweep of the same rows. Writes the figures as JSON for bench/summarize.py.

Usage: python3 bench/serve.py KAIDAH OUT.json [ROWS]
"""

import csv
import json
import re
import subprocess
import sys
import time
from pathlib import Path

from sweep import roster_of  # bench/sweep.py: the same roster, made once

ROOT = Path(__file__).resolve().parents[1]


def seconds_of(text: str) -> float:
    """wrk's "2.49ms", "812.00us", "1.02s" in seconds."""
    value, unit = re.fullmatch(r"([0-9.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1}[unit]


def load(address: str) -> dict:
    run = subprocess.run(["wrk", "-t1", "-c64", "-d10s", "--latency", "-s", str(ROOT / "bench/serve/evaluate.lua"),
                          f"http://{address}/"], capture_output=True, text=True, check=True)
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", run.stdout, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", run.stdout)
    # "Socket errors: connect 0, read 0, write 0, timeout 0": a failed request is no answer either.
    sockets = re.search(r"Socket errors: (.*)", run.stdout)
    failed = sum(int(n) for n in re.findall(r"\d+", sockets.group(1))) if sockets else 0
    return {"requests_per_second": float(re.search(r"Requests/sec:\s+([0-9.]+)", run.stdout).group(1)),
            "p50_seconds": seconds_of(latency["50"]), "p99_seconds": seconds_of(latency["99"]),
            "connections": 64, "non_2xx": (int(errors.group(1)) if errors else 0) + failed}


def ndjson_of(roster: Path) -> Path:
    """The roster as NDJSON: a case a line, its empty cells left out, "name" (no input) dropped."""
    out = roster.with_suffix(".ndjson")
    if not out.exists():
        partial = out.with_suffix(".partial")
        with roster.open(newline="") as f, partial.open("w") as w:
            for row in csv.DictReader(f):
                w.write(json.dumps({k: v for k, v in row.items() if v and k != "name"}) + "\n")
        partial.rename(out)
    return out


def main() -> None:
    kaidah, out_json = sys.argv[1], Path(sys.argv[2])
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
    roster = roster_of(rows, out_json.parent)
    cases = ndjson_of(roster)
    service = subprocess.Popen([kaidah, "serve", "--listen", "127.0.0.1:0", "--access-log", "off"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        address = service.stdout.readline().split("on http://")[1].split("/")[0]
        figures = {"evaluate": load(address)}
        e = figures["evaluate"]
        print(f"kaidah serve, POST /v1/evaluate, one PPU case a request, 64 connections: {e['requests_per_second']:,.0f} "
              f"requests/s, p50 {e['p50_seconds'] * 1e3:.2f} ms, p99 {e['p99_seconds'] * 1e3:.2f} ms", flush=True)
        outputs = json.loads(subprocess.run(["curl", "-s", f"http://{address}/v1/rulebook"], capture_output=True,
                                            check=True).stdout)["outputs"]
        for name, media, body in (("batch", "application/x-ndjson", cases), ("batch_csv", "text/csv", roster)):
            times = []
            for _ in range(3):
                start = time.perf_counter()
                # -T streams the file (--data-binary would read it whole first, inside the timing).
                run = subprocess.run(["curl", "-s", "--fail", "-X", "POST", "-H", f"Content-Type: {media}", "-T", str(body),
                                      f"http://{address}/v1/batch?date=2026-11-24&decisions={','.join(outputs)}"],
                                     capture_output=True, check=True)
                times.append(time.perf_counter() - start)
                answered = run.stdout.count(b"\n") - (1 if media == "text/csv" else 0)  # people.csv's header line
                if answered != rows:
                    sys.exit(f"/v1/batch answered {answered} rows of {rows} ({media})")
            figures[name] = {"rows": rows, "seconds": sorted(times)[1], "decisions": len(outputs)}
            print(f"kaidah serve, POST /v1/batch, {rows:,} rows as {'CSV' if name == 'batch_csv' else 'NDJSON'}: "
                  f"{figures[name]['seconds']:.2f} s ({rows / figures[name]['seconds'] / 1e6:.2f} M persons/s)", flush=True)
    finally:
        service.terminate()
        service.wait(timeout=60)
    out_json.write_text(json.dumps({"serve": figures}, indent=1))


if __name__ == "__main__":
    main()
