"""Scale benchmark of the artifact architecture: build, boot, memory, latency and live reload by corpus size.

``.venv/bin/python bench/scale.py`` (``--sizes 100,1000,10000`` by default;
``--quick``: 100 and 1,000 only; ``--sizes 100,100000`` for the large run)

For each size it writes a content directory of briefs shaped like the seed
(``bench/corpus_gen.py``) to a temporary directory, then measures it in a
fresh Python process (``bench/scale_worker.py``, whose docstring lists each
step), so that no size inherits another's memory or caches:

- **cold build**: ``briefs build`` from scratch (wall clock, CPU seconds of
  all its processes, artifact size); a **no-op** build; an **incremental**
  build after editing one brief (``--edits`` times);
- **boot**: gunicorn (``gunicorn.conf.py``, ``--workers 3``) over the ready
  artifact (``BRIEFS_ARTIFACT``), from start until ``/readyz`` answers;
- **memory**: RSS and PSS (``/proc/PID/smaps_rollup``) of the master and its
  workers together, after ``--http-gets`` (10,000) distinct single resources
  over HTTP. RSS counts every shared page once per process; PSS splits them;
- **latency**: p50 of ``/v1/briefs/<id>`` and of distinct (not cached)
  searches, **in process** through the Flask test client over the artifact
  (as the old benchmark measured), and over HTTP to that gunicorn, one
  request at a time on a new connection each;
- **live reload**: gunicorn serving the content directory with
  ``BRIEFS_RELOAD_INTERVAL`` (0.5 s); after an edit of one brief, the time until
  ``--consecutive`` requests in a row, answered by every worker, all carry the
  new ``X-Content-Version``.

Targets at 10,000 briefs: cold build <= 45 s, incremental build <= 2 s, boot
<= 2 s, RSS of master + 3 workers <= 600 MB, first search p50 <= 10 ms, GET
p50 within 1.2x its value at 100 briefs (needs the smallest size in the same
run), an edit on every worker <= 3 s. Results also go to
``bench/results/scale-<timestamp>.json``. Every server listens on 127.0.0.1
and is stopped on the way out. This is a measurement, not a test: it exits 0
unless it could not measure.
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
import contextlib
import datetime as dt
import json
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
from typing import Any

from bench import corpus_gen, runinfo

RESULTS = ROOT / "bench" / "results"
TARGET_SIZE = 10_000
COLD_BUILD_TARGET_S = 45.0
INCREMENTAL_TARGET_S = 2.0
BOOT_TARGET_S = 2.0
MEMORY_TARGET_MB = 600.0
SEARCH_TARGET_MS = 10.0
GET_TARGET_RATIO = 1.2
VISIBLE_TARGET_S = 3.0
MARKER = "SCALE_JSON "
WORKER_OPTIONS = ("gets", "searches", "http_gets", "clients", "workers", "edits", "reload_interval", "consecutive",
                  "jobs", "seed")  # fmt: skip


def worker_command(content: Path, work: Path, size: int, args: argparse.Namespace) -> list[str]:
    """The command that measures one size."""
    command = [sys.executable, "-m", "bench.scale_worker", str(content), str(work), "--size", str(size)]
    for name in WORKER_OPTIONS:
        value = getattr(args, name)
        if value is not None:
            command += [f"--{name.replace('_', '-')}", str(value)]
    return command


def run_worker(command: list[str], log: Path, timeout: float) -> dict[str, Any]:
    """Run the measuring process, showing its progress lines; its figures.

    It runs in a process group of its own: on the time limit the whole group (the worker, its builds and
    servers) gets SIGTERM, then SIGKILL.
    """
    with log.open("wb") as errors:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True,
                                   start_new_session=True)  # fmt: skip
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        with_group(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            with_group(process.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, stop)
    timer.start()
    figures = None
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(MARKER):
                figures = json.loads(line.removeprefix(MARKER))
            else:
                print(line.rstrip(), flush=True)
        process.wait()
    except BaseException:
        with_group(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
        raise
    finally:
        timer.cancel()
    if timed_out.is_set() or process.returncode != 0 or figures is None:
        why = f"time limit of {timeout:.0f} s" if timed_out.is_set() else f"exit {process.returncode}"
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"measuring failed ({why}); its log {log} ends:\n{tail}")
    return figures


def with_group(pgid: int, signum: int) -> None:
    """Signal the measuring process's group, if it still exists."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signum)


def measure_size(size: int, args: argparse.Namespace) -> dict[str, Any]:
    """Generate ``size`` briefs, then measure them in a fresh process; its figures."""
    loadavg = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="briefs-scale-", dir=args.tmp) as tmp:
        content, work = Path(tmp) / "content", Path(tmp) / "work"
        work.mkdir()
        started = time.perf_counter()
        corpus_gen.write_corpus(content, size, args.seed)
        generated_s = time.perf_counter() - started
        megabytes = sum(path.stat().st_size for path in (content / "briefs").iterdir()) / 1e6
        print(f"  {size:>7,} briefs: {megabytes:,.1f} MB of Markdown generated in {generated_s:.1f} s "
              f"(load average {loadavg:.2f})", flush=True)  # fmt: skip
        timeout = 900 + size * 1.0  # generous, yet bounded: 10,000 briefs get 3 hours at most
        figures = run_worker(worker_command(content, work, size, args), Path(tmp) / "worker.log", timeout)
        if args.keep_logs:
            keep = RESULTS / f"scale-logs-{size}.tmp"  # ignored by git
            keep.mkdir(parents=True, exist_ok=True)
            for log in (*work.glob("*.log"), Path(tmp) / "worker.log"):
                (keep / log.name).write_bytes(log.read_bytes())
    figures.update(size=size, megabytes=round(megabytes, 2), generate_s=round(generated_s, 2))
    figures.update(loadavg_before=loadavg, loadavg_after=os.getloadavg()[0])
    return figures


# -- verdicts and tables ---------------------------------------------------------------------------


def worst(values: list[float | None]) -> float | None:
    """The largest value, or None if any is missing (an edit that never became visible)."""
    return None if not values or any(v is None for v in values) else max(v for v in values if v is not None)


def target_row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The row the targets are judged on: 10,000 briefs if measured, else the largest size."""
    return next((row for row in rows if row["size"] == TARGET_SIZE), rows[-1])


def verdicts(rows: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """Each target: what was asked, what was measured, ok or MISSED (or n/a)."""
    row, first = target_row(rows), rows[0]
    incremental = [run["s"] for run in row["incremental_builds"]]
    visible = worst([edit["visible_s"] for edit in row["live_edits"]])
    memory = row["memory_after"]
    checks: list[tuple[str, str, bool | None]] = [
        (f"cold build <= {COLD_BUILD_TARGET_S:g} s", f"{row['cold_build']['s']:.1f} s",
         row["cold_build"]["s"] <= COLD_BUILD_TARGET_S),
        (f"incremental build <= {INCREMENTAL_TARGET_S:g} s (worst edit)", f"{max(incremental):.2f} s",
         max(incremental) <= INCREMENTAL_TARGET_S),
        (f"boot until /readyz <= {BOOT_TARGET_S:g} s", f"{row['boot_s']:.2f} s", row["boot_s"] <= BOOT_TARGET_S),
        (f"RSS, master + {memory['processes'] - 1} workers <= {MEMORY_TARGET_MB:g} MB", f"{memory['rss_mb']:.0f} MB",
         memory["rss_mb"] <= MEMORY_TARGET_MB),
        (f"PSS, master + {memory['processes'] - 1} workers <= {MEMORY_TARGET_MB:g} MB", f"{memory['pss_mb']:.0f} MB",
         memory["pss_mb"] <= MEMORY_TARGET_MB),
        (f"first search p50 <= {SEARCH_TARGET_MS:g} ms (in process)",
         f"{row['in_process']['search_first_p50_ms']:.2f} ms",
         row["in_process"]["search_first_p50_ms"] <= SEARCH_TARGET_MS),
        (f"first search p50 <= {SEARCH_TARGET_MS:g} ms (HTTP)", f"{row['http_search_p50_ms']:.2f} ms",
         row["http_search_p50_ms"] <= SEARCH_TARGET_MS),
    ]  # fmt: skip
    for label, value, base in (
        ("GET p50, first, in process", row["in_process"]["get_first_p50_ms"], first["in_process"]["get_first_p50_ms"]),
        ("GET p50, first, in process, CPU time", row["in_process"]["get_first_cpu_p50_ms"],
         first["in_process"]["get_first_cpu_p50_ms"]),
        ("GET p50, repeated, in process", row["in_process"]["get_repeat_p50_ms"],
         first["in_process"]["get_repeat_p50_ms"]),
        ("GET p50, HTTP", row["http_get_p50_ms"], first["http_get_p50_ms"]),
    ):  # fmt: skip
        asked = f"{label} <= {GET_TARGET_RATIO:g}x its value at {first['size']:,}"
        if first is row:
            checks.append((asked, "one size only", None))
        else:
            checks.append((asked, f"{value / base:.2f}x", value / base <= GET_TARGET_RATIO))
    shown = f"{visible:.2f} s" if visible is not None else "never (time limit)"
    checks.append((f"edit visible on every worker <= {VISIBLE_TARGET_S:g} s (worst edit)", shown,
                   visible is not None and visible <= VISIBLE_TARGET_S))  # fmt: skip
    return [(asked, measured, "n/a" if ok is None else "ok" if ok else "MISSED") for asked, measured, ok in checks]


def print_tables(rows: list[dict[str, Any]]) -> None:
    """Build, server and latency figures per size, then the targets."""
    settings = rows[0]["in_process"].get("settings", {})
    shown = ", ".join(f"{key}={settings[key]}" for key in ("BRIEFS_RATELIMIT",) if key in settings)
    print(f"\nsettings: {shown}; live reload with BRIEFS_RELOAD_INTERVAL={rows[0]['options']['reload_interval']}")
    print(f"\n{'briefs':>7}{'MD MB':>8}{'artifact MB':>13}{'cold s':>8}{'cpu s':>8}{'build RSS MB':>14}"
          f"{'no-op s':>9}{'incr. s (each)':>24}")  # fmt: skip
    for row in rows:
        each = " ".join(f"{run['s']:.2f}" for run in row["incremental_builds"])
        print(f"{row['size']:>7,}{row['megabytes']:>8.1f}{row['artifact_mb']:>13,.1f}{row['cold_build']['s']:>8.1f}"
              f"{row['cold_build']['cpu_s']:>8.1f}{row['build_peak_rss_mb']:>14.0f}{row['noop_build']['s']:>9.2f}"
              f"{each:>24}")  # fmt: skip
    print(f"\n{'briefs':>7}{'boot s':>8}{'RSS MB':>8}{'PSS MB':>8}{'anon MB':>9}{'ready RSS':>11}{'GETs':>8}"
          f"{'req/s':>8}{'dir boot s':>12}{'edit visible s (each)':>24}")  # fmt: skip
    for row in rows:
        memory, ready = row["memory_after"], row["memory_ready"]
        each = " ".join(f"{e['visible_s']:.2f}" if e["visible_s"] is not None else "never" for e in row["live_edits"])
        print(f"{row['size']:>7,}{row['boot_s']:>8.2f}{memory['rss_mb']:>8.0f}{memory['pss_mb']:>8.0f}"
              f"{memory['anon_mb']:>9.0f}{ready['rss_mb']:>11.0f}{row['http_gets']:>8,}{row['http_gets_per_s']:>8.0f}"
              f"{row['content_boot_s']:>12.2f}{each:>24}")  # fmt: skip
    print(f"\np50 ms  {'GET first':>11}{'(cpu)':>8}{'repeat':>8}{'search first':>14}{'(cpu)':>8}{'repeat':>8}"
          f"{'index':>8}{'HTTP GET':>10}{'HTTP search':>13}{'RSS MB':>8}")  # fmt: skip
    for row in rows:
        p = row["in_process"]
        print(f"{row['size']:>7,}{p['get_first_p50_ms']:>12.2f}{p['get_first_cpu_p50_ms']:>8.2f}"
              f"{p['get_repeat_p50_ms']:>8.2f}{p['search_first_p50_ms']:>14.2f}{p['search_first_cpu_p50_ms']:>8.2f}"
              f"{p['search_repeat_p50_ms']:>8.2f}{p['index_p50_ms']:>8.2f}{row['http_get_p50_ms']:>10.2f}"
              f"{row['http_search_p50_ms']:>13.2f}{p['rss_mb']:>8.0f}")  # fmt: skip
    print("""
cold/cpu s: wall clock and CPU seconds (all processes) of `briefs build` from scratch; build RSS: its largest
process; no-op: nothing changed; incr.: after editing one brief's title. boot: gunicorn over BRIEFS_ARTIFACT until
/readyz answers; RSS/PSS/anon: master + workers after the distinct GETs (ready RSS: before them); dir boot: gunicorn
over the content directory, artifact already built. Latency: in process through the Flask test client over the
artifact (first: read from the artifact; repeat: from the response cache; index: SearchIndex.search alone), CPU
time in (cpu); HTTP: to gunicorn, one request at a time, a new connection each; RSS MB: that process's peak.
""")
    row = target_row(rows)
    scope = "" if row["size"] == TARGET_SIZE else f" (judged at {row['size']:,} briefs; the targets are for 10,000)"
    print(f"Targets{scope}:")
    for asked, measured, verdict in verdicts(rows):
        print(f"  {asked:<58}{measured:>14}  {verdict}")


def parse_sizes(text: str) -> list[int]:
    """``100,1000,10000`` (or ``10_000``, ``10k``) as sorted integers."""
    sizes = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*([\d_]+)\s*(k?)\s*", part.lower())
        if not match:
            raise argparse.ArgumentTypeError(f"not a size: {part!r}")
        sizes.append(int(match.group(1)) * (1000 if match.group(2) else 1))
    return sorted(sizes)


def options() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--sizes", type=parse_sizes, default=[100, 1000, 10000], help="default 100,1000,10000")
    add("--quick", action="store_true", help="sizes 100,1000 only")
    add("--gets", type=int, default=300, help="brief GETs timed per size, in process and over HTTP (default 300)")
    add("--searches", type=int, default=100, help="distinct searches timed per size (default 100)")
    add("--http-gets", type=int, default=10_000, help="distinct single resources fetched before memory is read")
    add("--clients", type=int, default=3, help="client threads making those GETs (default 3)")
    add("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    add("--edits", type=int, default=3, help="incremental builds, and live edits, per size (default 3)")
    add("--reload-interval", type=float, default=0.5, help="BRIEFS_RELOAD_INTERVAL of the live-reload server")
    add("--consecutive", type=int, default=12, help="answers in a row with the new version that make an edit visible")
    add("--jobs", type=int, default=None, help="briefs build --jobs (default: one per core)")
    add("--seed", type=int, default=0, help="random seed of corpora and requests")
    add("--tmp", default=None, help="where the corpora and artifacts go (default: the system's temporary directory)")
    add(
        "--keep-logs",
        action="store_true",
        help="copy the server and worker logs to bench/results/scale-logs-SIZE.tmp/",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Measure each size in turn, print the tables, save the figures."""
    args = options().parse_args(argv)
    if args.quick:
        args.sizes = [size for size in args.sizes if size <= 1000] or [100, 1000]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    sizes = ", ".join(f"{size:,}" for size in args.sizes)
    at = runinfo.commit() or "an unknown commit"
    print(f"Briefs API scale benchmark at {at}: sizes {sizes}; one fresh process each; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}", flush=True)  # fmt: skip
    rows = []
    for size in args.sizes:
        row = measure_size(size, args)
        row["options"] = {"reload_interval": args.reload_interval}
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
    print(f"\nresults: {path.relative_to(ROOT)} (load average now {os.getloadavg()[0]:.2f})")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds: the measuring process group is stopped
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted: the measuring process was stopped", file=sys.stderr)
        sys.exit(130)
