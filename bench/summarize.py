"""Prints the performance table (issue #20's targets) from Google Benchmark's JSON and the other
measurements' (python_batch.py's, sweep.py's): each figure (the median of its repetitions where it
has them), its target, the ratio to the hand-written C++ reference compiled in the same run, and
2 threads against 1.

Usage: python3 bench/summarize.py BENCH.json [PYTHON.json] [SWEEP.json] [SERVE.json]
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
    # The other measurements, each a JSON file: python_batch.py's and sweep.py's.
    others = [json.load(open(path)) for path in sys.argv[2:]]
    python = next((o for o in others if "typed" in o), None)
    sweep = next((o["sweep"] for o in others if "sweep" in o), None)
    serve = next((o["serve"] for o in others if "serve" in o), None)

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

    def rate(label: str, name: str, target: float | None, reference_times: float | None = None, extra: str = "") -> None:
        """reference_times: the target is "within that many times the reference's time", which does
        not depend on how fast this machine is on the day."""
        r = per_second(name)
        if r is None:
            return
        ratio = (f", {reference / r:.1f}x the reference's time" if reference else "") + extra
        wanted, met = "", ""
        if target:
            wanted, met = f">= {target / 1e6:g} M/s", "yes" if r >= target else "no"
        if reference_times and reference:
            wanted = f"<= {reference_times:g}x the reference's time"
            met = "yes" if reference / r <= reference_times else "no"
        rows.append((label, f"{r / 1e6:.3f} M persons/s{ratio}", wanted, met))

    def latency(label: str, name: str, target_ns: float | None) -> None:
        t = ns(name)
        if t is None:
            return
        rows.append((label, f"{t / 1e3:.2f} us", f"<= {target_ns / 1e3:g} us" if target_ns else "",
                     ("yes" if t <= target_ns else "no") if target_ns else ""))

    def threads_ratio(two: str, one: str) -> str:
        r1, r2 = per_second(one), per_second(two)
        return f", {r2 / r1:.2f}x one thread" if r1 and r2 else ""

    if reference:
        rows.append(("hand-written C++ reference, contribution set, 1 thread", f"{reference / 1e6:.1f} M persons/s", "", ""))
    contribution = "BM_ContributionBatch/{}/real_time"
    rate("batch, contribution set, 1 thread", contribution.format(1), None)
    rate("batch, contribution set, 2 threads", contribution.format(2), None, reference_times=2,
         extra=threads_ratio(contribution.format(2), contribution.format(1)))
    typed = "BM_ContributionBatchTyped/{}/real_time"
    rate("batch, contribution set, typed columns in and out, 1 thread", typed.format(1), None)
    rate("batch, contribution set, typed columns in and out, 2 threads", typed.format(2), None, reference_times=2,
         extra=threads_ratio(typed.format(2), typed.format(1)))
    # Full JKN: Value columns in and out, or typed columns in and out (the family stays Values).
    jkn = "BM_JknBatch/{}/{}/{}/iterations:1/real_time"
    for typed_results, out in ((0, "Values in and out"), (1, "typed columns in and out")):
        for months in (24, 120):
            one, two = jkn.format(1, months, typed_results), jkn.format(2, months, typed_results)
            rate(f"batch, full JKN, {months} months in arrears, {out}, 1 thread", one, None)
            rate(f"batch, full JKN, {months} months in arrears, {out}, 2 threads", two, 2e6 if months == 24 else None,
                 extra=threads_ratio(two, one))
        r24, r120 = per_second(jkn.format(2, 24, typed_results)), per_second(jkn.format(2, 120, typed_results))
        if r24 and r120:
            rows.append((f"full JKN, {out}, 120 months' time / 24 months' time, 2 threads", f"{r24 / r120:.2f}x", "<= 1.5x",
                         "yes" if r24 / r120 <= 1.5 else "no"))
    latency("single case, PPU contribution", "BM_PpuContribution", None)
    latency("single case, PPU contribution, prepared kaidah::Query", "BM_PpuContributionQuery", 500)
    latency("single case, PPU contribution, explained", "BM_PpuContributionExplained", 5000)
    latency("single case, full JKN person, 24 months in arrears", "BM_JknFullPerson", None)
    latency("single case, full JKN person, prepared kaidah::Query", "BM_JknFullPersonQuery", None)
    if sweep:
        for threads in ("1", "2"):
            f = sweep[threads]
            mb = f["peak_rss_bytes"] / 2**20
            met = "yes" if f["seconds"] <= 3 and mb <= 256 else "no"
            extra = f", {sweep['1']['seconds'] / f['seconds']:.2f}x --threads 1" if threads == "2" else ""
            rows.append((f"kaidah sweep, {sweep['rows']:,} rows, --threads {threads}",
                         f"{f['seconds']:.2f} s, peak RSS {mb:.0f} MB{extra}",
                         "<= 3 s, <= 256 MB" if threads == "2" else "", met if threads == "2" else ""))
    if serve:  # kaidah serve over loopback (bench/serve.py)
        e = serve["evaluate"]
        met = e["requests_per_second"] >= 20_000 and e["p99_seconds"] <= 0.005 and e["non_2xx"] == 0
        rows.append((f"kaidah serve, POST /v1/evaluate, one PPU case a request, {e['connections']} connections",
                     f"{e['requests_per_second']:,.0f} requests/s, p50 {e['p50_seconds'] * 1e3:.2f} ms, "
                     f"p99 {e['p99_seconds'] * 1e3:.2f} ms", ">= 20,000/s, p99 <= 5 ms", "yes" if met else "no"))
        for name, media in (("batch", "NDJSON"), ("batch_csv", "CSV")):
            if name not in serve:
                continue
            b = serve[name]
            within = f", {b['seconds'] / sweep['2']['seconds']:.1f}x the sweep's time" if sweep else ""
            rows.append((f"kaidah serve, POST /v1/batch, {b['rows']:,} rows as {media}, the {b['decisions']} outputs",
                         f"{b['seconds']:.2f} s, {b['rows'] / b['seconds'] / 1e6:.2f} M persons/s{within}",
                         "<= 2x the sweep's time", ("yes" if b["seconds"] <= 2 * sweep["2"]["seconds"] else "no") if sweep else ""))
    if python:  # against the C++ batch on the same path: typed columns in and out, 2 threads
        cxx = per_second(typed.format(2))
        for name, label, target in (("typed", "typed columns (DecimalArray, categoricals)", True),
                                    ("objects", "Decimal and str objects, cell by cell", False)):
            speed = python[name]["persons_per_second"]
            within = f", {cxx / speed:.1f}x the typed C++ batch's time" if cxx else ""
            rows.append((f"python evaluate_frame, contribution set, {label}", f"{speed / 1e6:.3f} M persons/s{within}",
                         "within 1.2x of C++" if target else "",
                         ("yes" if cxx / speed <= 1.2 else "no") if cxx and target else ""))

    widths = [max(len(r[i]) for r in rows + [("figure", "measured", "target", "met")]) for i in range(4)]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
    print(line(("figure", "measured", "target", "met")))
    print(line(tuple("-" * w for w in widths)))
    for r in rows:
        print(line(r))


if __name__ == "__main__":
    main()
