"""kaidah sweep of a 1,000,000-row roster, the whole command as an officer runs it: the roster
read, every person evaluated with the full JKN rulebook, people.csv, the summary and the report
written. Measures wall time (the median of three runs) and peak resident memory (the largest of
them; the child's, from wait4, Linux) with --threads 1 and 2 (the batch's threads; the reader and
the writer have their own), and writes them as JSON for bench/summarize.py.

The roster is examples/python/make_population.py's (fixed seed), made once into the build folder.

Usage: python3 bench/sweep.py KAIDAH OUT.json [ROWS]
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(kaidah: str, roster: Path, out: Path, threads: int) -> tuple[float, int]:
    """Wall seconds and peak RSS in bytes of one sweep."""
    with tempfile.TemporaryFile() as stderr:  # a file, not a pipe: nothing waits on a full pipe
        start = time.perf_counter()
        child = subprocess.Popen([kaidah, "sweep", str(roster), "--date", "2026-11-24", "--out", str(out), "--no-progress",
                                  "--threads", str(threads)], stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        errors = stderr.read().decode()
    # The roster has people with facts missing on purpose (exit status 1); anything else is a failure.
    if child.returncode not in (0, 1) or errors:
        sys.exit(f"kaidah sweep failed ({child.returncode}): {errors}")
    return seconds, usage.ru_maxrss * 1024


def roster_of(rows: int, folder: Path) -> Path:
    """The benchmark roster of `rows` people in `folder`, made once."""
    roster = folder / f"bench-roster-{rows}.csv"
    if not roster.exists():
        partial = roster.with_suffix(".partial")
        subprocess.run([sys.executable, str(ROOT / "examples/python/make_population.py"), str(rows), str(partial)], check=True)
        partial.rename(roster)
    return roster


def main() -> None:
    kaidah, out_json = sys.argv[1], Path(sys.argv[2])
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
    roster = roster_of(rows, out_json.parent)
    figures = {"rows": rows}
    for threads in (1, 2):
        runs = [run(kaidah, roster, out_json.parent / "bench-sweep", threads) for _ in range(3)]
        figures[str(threads)] = {"seconds": statistics.median(s for s, _ in runs),
                                 "peak_rss_bytes": max(m for _, m in runs)}
        print(f"sweep of {rows:,} rows, --threads {threads}: {figures[str(threads)]['seconds']:.2f} s, "
              f"peak RSS {figures[str(threads)]['peak_rss_bytes'] / 2**20:.0f} MB", flush=True)
    out_json.write_text(json.dumps({"sweep": figures}, indent=1))


if __name__ == "__main__":
    main()
