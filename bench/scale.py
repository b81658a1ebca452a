"""Scale benchmark: load time, memory and request latency at 100, 1,000 and 10,000 briefs.

``.venv/bin/python bench/scale.py`` (``--quick``: 100 and 1,000 only)

For each size it writes a content directory of briefs shaped like the seed
(``bench/corpus_gen.py``) to a temporary directory, then measures in a fresh
Python process, so that each peak RSS is that size's own:

- **load**: ``api.store.load_snapshot`` (parse, lookups, search index), timed
  as ``create_app`` calls it;
- **RSS**: the process's peak resident memory
  (``resource.getrusage(RUSAGE_SELF).ru_maxrss``) after loading and after the
  requests;
- **GET**: ``/v1/briefs/<id>`` through the Flask test client, the first time
  for each of up to ``--gets`` random ids (the response is built), then
  ``--gets`` times more over the same ids (answered from the response cache);
- **search**: ``/v1/search?q=...``, ``--searches`` distinct two-word queries
  each asked once (the index is searched), then ``--searches`` times a few
  fixed queries (after the first time, from the response cache).

Targets at 10,000 briefs: load <= 60 s, RSS <= 1.5 GB, GET p50 within 1.2x
of its value at 100 briefs, search p50 <= 10 ms. Results also go to
``bench/results/scale-<timestamp>.json``. This is a measurement, not a test:
it exits 0 unless it could not measure.
"""

# Most imports follow the sys.path fix below: bench/http.py would shadow the standard library's http.
# ruff: noqa: E402

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)  # bench/http.py would shadow the standard library's http package

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import tempfile
import time
from typing import Any

from bench import corpus_gen, runinfo

RESULTS = ROOT / "bench" / "results"
TARGET_SIZE = 10_000
LOAD_TARGET_S = 60.0
RSS_TARGET_MB = 1536.0
GET_TARGET_RATIO = 1.2
SEARCH_TARGET_MS = 10.0
MARKER = "SCALE_JSON "
SHOWN_SETTINGS = ("BRIEFS_RELOAD_INTERVAL", "BRIEFS_SEARCH_PATH", "BRIEFS_RATELIMIT")


def measure_size(size: int, args: argparse.Namespace) -> dict[str, Any]:
    """Generate ``size`` briefs, then measure them in a fresh process; its figures."""
    loadavg = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="briefs-scale-") as tmp:
        content = Path(tmp) / "content"
        started = time.perf_counter()
        corpus_gen.write_corpus(content, size, args.seed)
        generated_s = time.perf_counter() - started
        megabytes = sum(path.stat().st_size for path in (content / "briefs").iterdir()) / 1e6
        command = [sys.executable, "-m", "bench.scale_worker", str(content),
                   "--gets", str(args.gets), "--searches", str(args.searches), "--seed", str(args.seed)]  # fmt: skip
        timeout = 300 + size * 0.2  # generous, yet bounded: 10,000 briefs get 35 minutes at most
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    line = next((line for line in done.stdout.splitlines() if line.startswith(MARKER)), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"measuring {size} briefs failed:\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(line.removeprefix(MARKER))
    figures.update(size=size, megabytes=round(megabytes, 2), generate_s=round(generated_s, 2), loadavg=loadavg)
    return figures


def verdicts(rows: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """Each target at the largest size measured: what was asked, what was measured, ok or MISSED."""
    first, last = rows[0], rows[-1]
    checks = [
        (f"load <= {LOAD_TARGET_S:g} s", f"{last['load_s']:.1f} s", last["load_s"] <= LOAD_TARGET_S),
        (f"RSS <= {RSS_TARGET_MB:g} MB", f"{last['rss_mb']:.0f} MB", last["rss_mb"] <= RSS_TARGET_MB),
    ]
    for key, label in (("get_first", "GET p50, first"), ("get_repeat", "GET p50, repeated")):
        ratio = last[f"{key}_p50_ms"] / first[f"{key}_p50_ms"]
        asked = f"{label} <= {GET_TARGET_RATIO:g}x its value at {first['size']:,}"
        checks.append((asked, f"{ratio:.2f}x", ratio <= GET_TARGET_RATIO))
    for key, label in (("search_first", "search p50, first"), ("search_repeat", "search p50, repeated")):
        value = last[f"{key}_p50_ms"]
        checks.append((f"{label} <= {SEARCH_TARGET_MS:g} ms", f"{value:.2f} ms", value <= SEARCH_TARGET_MS))
    return [(asked, measured, "ok" if passed else "MISSED") for asked, measured, passed in checks]


def print_tables(rows: list[dict[str, Any]]) -> None:
    """Load and memory per size, request latencies per size, then the targets."""
    settings = rows[0].get("settings", {})
    shown = ", ".join(f"{key}={settings[key]}" for key in SHOWN_SETTINGS if key in settings)
    print(f"\napp settings (BRIEFS_* environment variables override them): {shown}")
    print(f"\n{'briefs':>7}{'MB':>7}{'load s':>9}{'load cpu s':>12}{'ms/brief':>10}{'RSS MB':>9}")
    for row in rows:
        print(f"{row['size']:>7,}{row['megabytes']:>7.1f}{row['load_s']:>9.2f}{row['load_cpu_s']:>12.2f}"
              f"{row['load_ms_per_brief']:>10.2f}{row['rss_mb']:>9.0f}")  # fmt: skip
    print(f"\np50 ms  {'GET first':>11}{'(cpu)':>8}{'repeat':>8}{'search first':>14}{'(cpu)':>8}{'repeat':>8}"
          f"{'index':>8}{'(cpu)':>8}")  # fmt: skip
    for row in rows:
        print(f"{row['size']:>7,}{row['get_first_p50_ms']:>12.2f}{row['get_first_cpu_p50_ms']:>8.2f}"
              f"{row['get_repeat_p50_ms']:>8.2f}{row['search_first_p50_ms']:>14.2f}"
              f"{row['search_first_cpu_p50_ms']:>8.2f}{row['search_repeat_p50_ms']:>8.2f}"
              f"{row['index_p50_ms']:>8.2f}{row['index_cpu_p50_ms']:>8.2f}")  # fmt: skip
    print("\nfirst: built for this request; repeat: from the response cache; index: SearchIndex.search alone,")
    print("same distinct queries, 20 hits, no HTTP. Wall clock, and CPU time in (cpu): they part when the")
    print("machine is busy. load s: wall clock of load_snapshot; load cpu s: its CPU time.\n")
    size = rows[-1]["size"]
    scope = "" if size == TARGET_SIZE else f" (measured at {size:,} briefs; the targets are for {TARGET_SIZE:,})"
    print(f"Targets{scope}:")
    for asked, measured, verdict in verdicts(rows):
        print(f"  {asked:<44}{measured:>11}  {verdict}")


def parse_sizes(text: str) -> list[int]:
    """``100,1000,10000`` (or ``10_000``, ``10k``) as sorted integers."""
    sizes = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*([\d_]+)\s*(k?)\s*", part.lower())
        if not match:
            raise argparse.ArgumentTypeError(f"not a size: {part!r}")
        sizes.append(int(match.group(1)) * (1000 if match.group(2) else 1))
    return sorted(sizes)


def main(argv: list[str] | None = None) -> int:
    """Measure each size in turn, print the table, save the figures."""
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--sizes", type=parse_sizes, default=[100, 1000, 10000], help="default 100,1000,10000")
    options.add_argument("--quick", action="store_true", help="sizes 100,1000 only")
    options.add_argument("--gets", type=int, default=300, help="brief GETs timed per size (default 300)")
    options.add_argument("--searches", type=int, default=100, help="searches timed per size (default 100)")
    options.add_argument("--seed", type=int, default=0, help="random seed of corpora and requests")
    args = options.parse_args(argv)
    if args.quick:
        args.sizes = [size for size in args.sizes if size <= 1000] or [100, 1000]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    sizes = ", ".join(f"{size:,}" for size in args.sizes)
    at = runinfo.commit() or "an unknown commit"
    print(f"Briefs API scale benchmark at {at}: sizes {sizes}; one fresh process each")
    rows = []
    for size in args.sizes:
        row = measure_size(size, args)
        print(f"  {size:>6,} briefs: load {row['load_s']:.2f} s, RSS {row['rss_mb']:.0f} MB (generated in "
              f"{row['generate_s']:.1f} s; load average {row['loadavg']:.2f} before)", flush=True)  # fmt: skip
        rows.append(row)
    print_tables(rows)
    record = {
        "started": stamp, "options": vars(args), "rows": rows,
        "targets": [dict(zip(("target", "measured", "verdict"), v, strict=True)) for v in verdicts(rows)],
        "machine": runinfo.machine(),
    }  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"scale-{stamp}.json"
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted: the measuring process was stopped", file=sys.stderr)
        sys.exit(130)
