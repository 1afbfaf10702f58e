"""Prints issue #7's table from Google Benchmark's JSON (and python_batch.py's): each figure (the
median of its repetitions where it has them), its target, and the ratio to the hand-written C++
reference compiled in the same run.

Usage: python3 bench/summarize.py BENCH.json [PYTHON.json]
"""

import json
import re
import sys


def main() -> None:
    # A benchmark repeated (the figures with targets) counts by its median, the others by their run.
    benchmarks = json.load(open(sys.argv[1]))["benchmarks"]
    plain = lambda name: re.sub(r"/repeats:\d+", "", name)  # noqa: E731
    runs = {plain(b["name"]): b for b in benchmarks if b.get("run_type") != "aggregate"}
    runs.update({plain(b["run_name"]): b for b in benchmarks if b.get("aggregate_name") == "median"})
    python = json.load(open(sys.argv[2])) if len(sys.argv) > 2 else None

    def per_second(name: str) -> float | None:
        b = runs.get(name)
        return b["items_per_second"] if b and "items_per_second" in b else None

    def ns(name: str) -> float | None:
        b = runs.get(name)
        if not b:
            return None
        scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b["time_unit"]]
        return b["real_time"] * scale

    reference = per_second("BM_ContributionReference/real_time")
    rows = []  # (figure, measured, target, met)

    def rate(label: str, name: str, target: float | None, reference_times: float | None = None) -> None:
        """reference_times: the target also reads as "within that many times the reference's time",
        which does not depend on how fast this machine is on the day."""
        r = per_second(name)
        if r is None:
            return
        ratio = f", {reference / r:.0f}x the reference's time" if reference else ""
        wanted, met = "", ""
        if target:
            wanted, met = f">= {target / 1e6:g} M/s", "yes" if r >= target else "no"
        if target and reference_times:
            wanted += f" or <= {reference_times:g}x the reference"
            if r < target and reference:
                met = "yes, by the ratio" if reference / r <= reference_times else "no"
        rows.append((label, f"{r / 1e6:.3f} M persons/s{ratio}", wanted, met))

    def latency(label: str, name: str, target_ns: float | None) -> None:
        t = ns(name)
        if t is None:
            return
        rows.append((label, f"{t / 1e3:.2f} us", f"<= {target_ns / 1e3:g} us" if target_ns else "",
                     ("yes" if t <= target_ns else "no") if target_ns else ""))

    if reference:
        rows.append(("hand-written C++ reference, contribution set, 1 thread", f"{reference / 1e6:.1f} M persons/s", "", ""))
    rate("batch, contribution set, 1 thread", "BM_ContributionBatch/1/real_time", None)
    rate("batch, contribution set, 2 threads", "BM_ContributionBatch/2/real_time", 10e6, reference_times=10)
    rate("batch, full JKN, 24 months history, 1 thread", "BM_JknBatch/1/iterations:1/real_time", None)
    rate("batch, full JKN, 24 months history, 2 threads", "BM_JknBatch/2/iterations:1/real_time", 1e6)
    latency("single case, PPU contribution", "BM_PpuContribution", 1000)
    latency("single case, PPU contribution, prepared kaidah::Query", "BM_PpuContributionQuery", 1000)
    latency("single case, PPU contribution, explained", "BM_PpuContributionExplained", 20000)
    latency("single case, full JKN person, 24 months in arrears", "BM_JknFullPerson", None)
    if python:
        cxx = per_second("BM_ContributionBatch/2/real_time")
        for name, label, target in (("typed", "typed columns (DecimalArray, categoricals)", True),
                                    ("objects", "Decimal and str objects, cell by cell", False)):
            speed = python[name]["persons_per_second"]
            within = f", {cxx / speed:.1f}x the C++ batch time" if cxx else ""
            rows.append((f"python evaluate_frame, contribution set, {label}", f"{speed / 1e6:.3f} M persons/s{within}",
                         "within 2x of C++" if target else "",
                         ("yes" if cxx / speed <= 2 else "no") if cxx and target else ""))

    widths = [max(len(r[i]) for r in rows + [("figure", "measured", "target", "met")]) for i in range(4)]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
    print(line(("figure", "measured", "target", "met")))
    print(line(tuple("-" * w for w in widths)))
    for r in rows:
        print(line(r))


if __name__ == "__main__":
    main()
