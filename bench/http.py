"""HTTP benchmark: the project's server against a bare-Flask baseline, A B A B.

``bash bench/install.sh && .venv/bin/python bench/http.py``

1. Writes a content directory of ``--briefs`` briefs shaped like the seed
   (``bench/corpus_gen.py``; the seed brief itself is one of them), unless
   ``--content DIR`` names one.
2. Starts the project (``api:create_app()``) with the project's gunicorn
   settings (``gunicorn.conf.py``, ``--no-control-socket``) on a free
   127.0.0.1 port, and captures its response to each benchmarked path: body
   bytes, Content-Type and ETag.
3. Starts the baseline (``bench/baseline.py``), a bare Flask app serving
   exactly those bytes, with the same settings; and nginx serving the same
   files, if nginx is installed.
4. For each endpoint, after a warm-up: project, baseline (and nginx), again
   and again, ``--pairs`` times, each wrk run lasting ``--duration``. Each
   pair gives the ratio project / baseline; the median of the pairs is the
   figure to quote.
5. The seed brief's reader page against its JSON, on the project alone, A B A B
   (``--only-page-vs-json`` runs this step alone): both should be stored
   bytes, so the page's req/s over the JSON's should be at least 0.9. Each run
   also records the CPU seconds the project's processes used, per request.
6. The static export (``--only-export`` runs this step alone, ``--no-export``
   leaves it out): ``briefs export DIR --listen 127.0.0.1:PORT --upstream
   <project>`` run by nginx as its docs say (``nginx -p DIR -c nginx.conf``),
   the baseline, and nginx serving the brief's bytes as one plain file, A B C
   A B C on the brief: export / baseline should be at least 10, and export /
   plain file says what the export's headers and maps cost.
7. The production topology (``--only-topology``, ``--no-topology``):
   ``deploy/topology.py``, what ``make serve-production`` runs (nginx in front
   of one gunicorn replica on a Unix socket), against the app alone (the
   project's gunicorn as ``make serve`` runs it), A B A B on the brief at
   ``--connections`` (topology / app should be at least 0.8) and again at
   ``--wide-connections`` (512), where each side's errors by kind (status of
   400 or more; connect, read, write, and timeouts past wrk's 2 s) and p99
   are the figures: the topology should keep answering without errors. The
   open-files limit is raised for wrk first.

Everything listens on 127.0.0.1. wrk's output goes to
``bench/results/<timestamp>.tmp/``, the server logs to a temporary directory
and the figures to ``bench/results/<timestamp>.json``. Servers are always
stopped, Ctrl-C included. This is a measurement, not a test: it exits 0
unless it could not measure.
"""

# Most imports follow the sys.path fix below: bench/http.py would shadow the standard library's http.
# ruff: noqa: E402

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)  # this file would shadow the standard library's http package

import argparse
import base64
import datetime as dt
import json
import os
import resource
import runpy
import signal
import statistics
import subprocess
import tempfile
import urllib.error
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from bench import corpus_gen, runinfo, servers
from bench.loadgen import Load, run_wrk, wrk_version

RESULTS = ROOT / "bench" / "results"
SERVER_ENV = {"BRIEFS_RATELIMIT": "1000000000 per minute"}
"""The project's per-client rate limit would answer wrk, one client, with 429s: it is kept, but out of reach."""
BRIEF = f"/v1/briefs/{corpus_gen.SEED_ID}"
PAGE = f"/briefs/{corpus_gen.SEED_ID}"
"""The brief's reader page (api/pages)."""
PAGE_TARGET = 0.9
EXPORT_TARGET = 10.0
"""nginx over the export / the baseline, req/s on the brief (issue 14)."""
TOPOLOGY_TARGET = 0.8
"""The production topology / the app alone, req/s on the brief at 32 connections (issue 14)."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One benchmarked request."""

    name: str
    path: str
    conditional: bool = False
    """Sent with ``If-None-Match`` naming the server's ETag: the 304 path."""


ENDPOINTS = (
    Endpoint("brief", BRIEF),
    Endpoint("brief 304", BRIEF, conditional=True),
    Endpoint("list", "/v1/briefs"),
    Endpoint("search", "/v1/search?q=border+demarcation"),
)


@dataclass(frozen=True, slots=True)
class Response:
    """A response as captured with urllib (no Accept-Encoding: identity bodies, as wrk gets them)."""

    status: int
    body: bytes
    content_type: str
    etag: str


def fetch(url: str, headers: dict[str, str] | None = None) -> Response:
    """GET ``url``; a 304 is a response like any other."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with servers.LOCAL.open(request, timeout=30) as answer:
            status, body, answer_headers = answer.status, answer.read(), answer.headers
    except urllib.error.HTTPError as error:
        status, body, answer_headers = error.code, error.read(), error.headers
    return Response(status, body, answer_headers.get("Content-Type", ""), answer_headers.get("ETag", ""))


def capture(server: servers.Server, capture_file: Path, files_dir: Path) -> dict[str, Response]:
    """The project's response to each path, written for the baseline (JSON) and for nginx (one file each)."""
    captured = {e.path: fetch(server.base + e.path) for e in ENDPOINTS if not e.conditional}
    for path, response in captured.items():
        if response.status != 200:
            raise RuntimeError(f"the project answered {path} with {response.status}: {response.body[:300]!r}")
    entries = {
        path: {"body": base64.b64encode(r.body).decode(), "content_type": r.content_type, "etag": r.etag}
        for path, r in captured.items()
    }
    capture_file.write_text(json.dumps(entries, indent=1), encoding="utf-8")
    for number, (_, response) in enumerate(captured.items()):
        (files_dir / f"{number}.body").write_bytes(response.body)
    return captured


def check(server: servers.Server, endpoint: Endpoint, captured: Response) -> dict[str, str]:
    """The headers to send for ``endpoint``; fails unless the server answers as the project does."""
    plain = fetch(server.base + endpoint.path)
    if plain.status != 200 or plain.body != captured.body:
        raise RuntimeError(f"{server.name} does not serve the project's bytes at {endpoint.path}")
    if not endpoint.conditional:
        return {}
    headers = {"If-None-Match": plain.etag}
    if fetch(server.base + endpoint.path, headers).status != 304:
        raise RuntimeError(f"{server.name} does not answer 304 at {endpoint.path} with {headers}")
    return headers


def worker_boots(log: Path, since: int) -> int:
    """gunicorn workers (re)started since byte ``since`` of its log: max_requests recycling them."""
    with log.open("rb") as file:
        file.seek(since)
        return file.read().count(b"Booting worker")


Record = dict[str, Any]
"""JSON-ready figures."""
METRICS = (("rps", "req/s"), ("p50_ms", "p50"), ("p99_ms", "p99"))


def measure(endpoint: Endpoint, targets: list[servers.Server], captured: Response, args: argparse.Namespace,
            out: Path) -> Record:  # fmt: skip
    """Warm up, then run every server in turn, ``args.pairs`` times; the runs and the ratios to the baseline."""
    load = Load(args.duration, args.connections, args.threads)
    warm = Load(args.warmup, args.connections, args.threads)
    slug = endpoint.name.replace(" ", "-")
    headers = {server.name: check(server, endpoint, captured) for server in targets}
    for server in targets:
        run_wrk(server.base + endpoint.path, warm, out / f"{slug}-warmup-{server.name}.txt", headers[server.name])
    runs: list[Record] = []
    for pair in range(1, args.pairs + 1):
        for server in targets:
            since = server.log.stat().st_size
            output = out / f"{slug}-{pair}-{server.name}.txt"
            run = run_wrk(server.base + endpoint.path, load, output, headers[server.name]).as_dict()
            boots = worker_boots(server.log, since) if server.name != "nginx" else None
            run.update(pair=pair, server=server.name, worker_boots=boots)
            runs.append(run)
            problems = f"  {boots} workers recycled" if boots else ""
            problems += f"  {run['errors']} errors (see {output.name})" if run["errors"] else ""
            print(f"  {endpoint.name:<10} pair {pair}  {server.name:<9}{run['rps']:>9.0f} req/s"
                  f"{run['p50_ms']:>8.2f} ms p50{run['p99_ms']:>8.2f} ms p99{problems}", flush=True)  # fmt: skip
    return {"path": endpoint.path, "conditional": endpoint.conditional, "bytes": len(captured.body),
            "runs": runs, "ratios": ratios(runs)}  # fmt: skip


def server_cpu_s(server: servers.Server) -> float:
    """CPU seconds (user and system) used so far by the processes serving ``server``: gunicorn's master and
    workers, found by the address in their command line (a worker recycled since is no longer counted)."""
    bind = server.base.removeprefix("http://").encode()
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if bind not in (entry / "cmdline").read_bytes():
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15 of proc_pid_stat(5)
    return ticks / os.sysconf("SC_CLK_TCK")


def measure_page_vs_json(project: servers.Server, args: argparse.Namespace, out: Path) -> Record:
    """The brief's page and its JSON on the project, A B A B: req/s, latency and CPU per request of each, and
    the ratios page / JSON pair by pair (req/s) and JSON / page (CPU per request), so that 1 means as cheap."""
    load = Load(args.duration, args.connections, args.threads)
    warm = Load(args.warmup, args.connections, args.threads)
    sizes = {}
    for kind, path in (("json", BRIEF), ("page", PAGE)):
        answer = fetch(project.base + path)
        if answer.status != 200:
            raise RuntimeError(f"the project answered {path} with {answer.status}")
        sizes[kind] = len(answer.body)
        run_wrk(project.base + path, warm, out / f"page-vs-json-warmup-{kind}.txt")
    runs: list[Record] = []
    for pair in range(1, args.pairs + 1):
        for kind, path in (("json", BRIEF), ("page", PAGE)):
            since, cpu = project.log.stat().st_size, server_cpu_s(project)
            run: Record = run_wrk(project.base + path, load, out / f"page-vs-json-{pair}-{kind}.txt").as_dict()
            cpu = server_cpu_s(project) - cpu
            run.update(pair=pair, kind=kind, cpu_s=cpu, cpu_us_per_request=cpu * 1e6 / max(1, int(run["requests"])),
                       worker_boots=worker_boots(project.log, since), loadavg=os.getloadavg()[0])  # fmt: skip
            runs.append(run)
            print(f"  {kind:<5} pair {pair}  {run['rps']:>9.0f} req/s{run['p50_ms']:>8.2f} ms p50"
                  f"{run['p99_ms']:>8.2f} ms p99{run['cpu_us_per_request']:>8.0f} µs CPU/request"
                  f"  load {run['loadavg']:.2f}", flush=True)  # fmt: skip
    by_kind = {kind: [run for run in runs if run["kind"] == kind] for kind in ("json", "page")}
    rps = [p["rps"] / j["rps"] for j, p in zip(by_kind["json"], by_kind["page"], strict=True)]
    cpu_ratios = [j["cpu_us_per_request"] / max(p["cpu_us_per_request"], 1e-9)
                  for j, p in zip(by_kind["json"], by_kind["page"], strict=True)]  # fmt: skip
    ratios: dict[str, list[float]] = {"rps_page_over_json": rps, "cpu_json_over_page": cpu_ratios}
    return {"json_path": BRIEF, "page_path": PAGE, "bytes": sizes, "runs": runs, "target": PAGE_TARGET,
            "ratios": ratios, "median": {key: statistics.median(values) for key, values in ratios.items()}}  # fmt: skip


def print_page_vs_json(result: Record) -> None:
    """The page / JSON ratios, pair by pair, and their medians against the target."""
    print()
    print(f"brief page ({result['bytes']['page']} bytes) vs brief JSON ({result['bytes']['json']} bytes), "
          f"target >= {result['target']}:")  # fmt: skip
    for key, label in (("rps_page_over_json", "req/s page / JSON"), ("cpu_json_over_page", "CPU/request JSON / page")):
        pairs = "  ".join(f"{value:.2f}" for value in result["ratios"][key])
        print(f"  {label:<26}{pairs:<30}{result['median'][key]:>8.2f}")


def alternate(label: str, path: str, targets: list[servers.Server], load: Load, *, args: argparse.Namespace,
              out: Path) -> list[Record]:  # fmt: skip
    """A warm-up of every server, then wrk on each in turn, ``args.pairs`` times (A B A B): the runs, each with
    its errors by kind, the gunicorn workers recycled meanwhile and the load average after it."""
    slug = label.replace(" ", "-")
    warm = Load(args.warmup, load.connections, load.threads)
    for server in targets:
        run_wrk(server.base + path, warm, out / f"{slug}-warmup-{server.name}.txt")
    runs: list[Record] = []
    for pair in range(1, args.pairs + 1):
        for server in targets:
            since = server.log.stat().st_size
            output = out / f"{slug}-{pair}-{server.name}.txt"
            run: Record = run_wrk(server.base + path, load, output).as_dict()
            run.update(pair=pair, server=server.name, worker_boots=worker_boots(server.log, since),
                       loadavg=os.getloadavg()[0])  # fmt: skip
            runs.append(run)
            kinds = run["error_kinds"]
            socket_errors = sum(count for kind, count in kinds.items() if kind != "status")
            print(f"  {label:<14} pair {pair}  {server.name:<9}{run['rps']:>9.0f} req/s{run['p50_ms']:>8.2f} ms p50"
                  f"{run['p99_ms']:>8.2f} ms p99  {kinds['status']} status>=400  {socket_errors} socket errors"
                  f"{'  ' + str(run['worker_boots']) + ' workers recycled' if run['worker_boots'] else ''}"
                  f"  load {run['loadavg']:.2f}", flush=True)  # fmt: skip
    return runs


def medians(runs: list[Record]) -> dict[str, Record]:
    """Per server: the median req/s, p50 and p99 of its runs, and the sums of its errors by kind."""
    result: dict[str, Record] = {}
    for server in dict.fromkeys(run["server"] for run in runs):
        mine = [run for run in runs if run["server"] == server]
        figures: Record = {key: statistics.median(run[key] for run in mine) for key, _ in METRICS}
        figures["requests"] = sum(int(run["requests"]) for run in mine)
        figures["status_errors"] = sum(run["error_kinds"]["status"] for run in mine)
        figures["socket_errors"] = sum(v for run in mine for k, v in run["error_kinds"].items() if k != "status")
        figures["timeouts"] = sum(run["error_kinds"]["timeout"] for run in mine)
        result[server] = figures
    return result


def measure_export(targets: list[servers.Server], args: argparse.Namespace, out: Path) -> Record:
    """The brief from ``briefs export``'s nginx.conf, the baseline and nginx serving the same bytes as one plain
    file, A B C A B C: the ratios export / baseline (target >= 10) and export / plain file."""
    load = Load(args.duration, args.connections, args.threads)
    runs = alternate("export brief", BRIEF, targets, load, args=args, out=out)
    return {"path": BRIEF, "target_over_baseline": EXPORT_TARGET, "runs": runs, "medians": medians(runs),
            "ratios": {"export_over_baseline": ratios(runs, "export", "baseline"),
                       "export_over_plain": ratios(runs, "export", "nginx"),
                       "plain_over_baseline": ratios(runs, "nginx", "baseline")}}  # fmt: skip


def measure_topology(app: servers.Server, topology: servers.Server, args: argparse.Namespace, out: Path) -> Record:
    """The brief from the production topology and from the app alone, A B A B, at ``--connections`` (target:
    topology / app >= 0.8) and again at ``--wide-connections``, where the errors and p99 of each are the point."""
    result: Record = {"path": BRIEF, "target_at_connections": TOPOLOGY_TARGET}
    for key, connections in (("connections", args.connections), ("wide", args.wide_connections)):
        load = Load(args.duration, connections, args.threads)
        runs = alternate(f"topology {connections}c", BRIEF, [app, topology], load, args=args, out=out)
        result[key] = {"connections": connections, "runs": runs, "medians": medians(runs),
                       "ratios": ratios(runs, "topology", "app")}  # fmt: skip
    return result


def print_export(result: Record) -> None:
    """The export's medians and ratios."""
    print()
    print(f"nginx over `briefs export` vs baseline vs nginx serving a plain file, {result['path']}:")
    print_medians(result["medians"])
    for key, label in (
        ("export_over_baseline", f"export / baseline (target >= {result['target_over_baseline']})"),
        ("export_over_plain", "export / plain file"),
        ("plain_over_baseline", "plain file / baseline"),
    ):
        pairs = "  ".join(f"{value:.2f}" for value in result["ratios"][key]["pairs"]["rps"])
        print(f"  req/s {label:<40}{pairs:<24}{result['ratios'][key]['median']['rps']:>8.2f}")  # fmt: skip


def print_topology(result: Record) -> None:
    """The topology's medians and ratios at both numbers of connections."""
    for key in ("connections", "wide"):
        step = result[key]
        print()
        print(f"production topology vs the app alone, {result['path']}, {step['connections']} connections:")
        print_medians(step["medians"])
        for metric, label in METRICS:
            pairs = "  ".join(f"{value:.2f}" for value in step["ratios"]["pairs"][metric])
            print(f"  {label} topology / app{'':<20}{pairs:<24}{step['ratios']['median'][metric]:>8.2f}")


def print_medians(figures: dict[str, Record]) -> None:
    """One line per server: median req/s, p50, p99 and the errors summed over its runs."""
    print(f"  {'server':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'status>=400':>13}{'socket err':>12}{'timeouts':>10}")  # fmt: skip
    for server, f in figures.items():
        print(f"  {server:<10}{f['rps']:>9.0f}{f['p50_ms']:>9.2f}{f['p99_ms']:>9.2f}"
              f"{f['status_errors']:>13}{f['socket_errors']:>12}{f['timeouts']:>10}")  # fmt: skip


def export_server(stack: ExitStack, content: Path, upstream: servers.Server, work: Path) -> servers.Server:
    """``briefs export`` of ``content`` into ``work/export`` (its build's cache there too), listening on a free
    127.0.0.1 port and proxying to ``upstream``; then nginx running it, stopped when ``stack`` closes."""
    port = servers.free_port()
    prefix = work / "export"
    command = [str(Path(sys.executable).parent / "briefs"), "export", str(prefix), "--content", str(content.resolve()),
               "--listen", f"127.0.0.1:{port}", "--upstream", upstream.base]  # fmt: skip
    with (work / "export.log").open("wb") as log:
        done = subprocess.run(command, cwd=work, stdout=log, stderr=subprocess.STDOUT, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"briefs export failed; see {work / 'export.log'}")
    return stack.enter_context(servers.exported_nginx(prefix, port, BRIEF))


def raise_open_files(connections: int) -> None:
    """Let wrk (which inherits the limit) and this process hold ``connections`` sockets and more."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = max(soft, 4 * connections + 1024)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if wanted > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    if wanted < 2 * connections:
        print(f"note: open files limited to {wanted}: wrk may fail to open {connections} connections")


def ratios(runs: list[Record], mine: str = "project", theirs: str = "baseline") -> Record:
    """``mine`` / ``theirs`` (server names), pair by pair, for req/s, p50 and p99, with their medians."""
    by_pair: dict[str, list[float]] = {key: [] for key, _ in METRICS}
    for pair in sorted({run["pair"] for run in runs}):
        runs_of = {run["server"]: run for run in runs if run["pair"] == pair}
        for key, values in by_pair.items():
            values.append(runs_of[mine][key] / max(runs_of[theirs][key], 1e-9))
    return {"pairs": by_pair, "median": {key: statistics.median(values) for key, values in by_pair.items()}}


def print_summary(results: dict[str, Record]) -> None:
    """Per endpoint: median figures of each server, and the ratios project / baseline, pair by pair."""
    print()
    print(f"{'endpoint':<11}{'server':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}   (medians of the pairs)")
    for name, result in results.items():
        for server in dict.fromkeys(run["server"] for run in result["runs"]):
            mine = [run for run in result["runs"] if run["server"] == server]
            rps, p50, p99 = (statistics.median(run[key] for run in mine) for key, _ in METRICS)
            print(f"{name:<11}{server:<10}{rps:>9.0f}{p50:>9.2f}{p99:>9.2f}")
    print()
    print(f"{'endpoint':<11}{'ratio project / baseline':<26}{'pair by pair':<30}{'median':>8}")
    for name, result in results.items():
        for key, label in METRICS:
            pairs = "  ".join(f"{value:.2f}" for value in result["ratios"]["pairs"][key])
            print(f"{name:<11}{label:<26}{pairs:<30}{result['ratios']['median'][key]:>8.2f}")


def gunicorn_settings() -> dict[str, object]:
    """The settings of ``gunicorn.conf.py`` as they apply on this machine."""
    names = ("workers", "worker_class", "preload_app", "timeout", "keepalive", "max_requests", "max_requests_jitter")
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    return {name: conf[name] for name in names if name in conf}


def parse_options(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options; ``--quick`` shortens every run."""
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--duration", type=lambda s: int(s.removesuffix("s")), default=5, metavar="SECONDS",
                         help="length of each wrk run, e.g. 5s (default 5s)")  # fmt: skip
    options.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    options.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    options.add_argument("--pairs", type=int, default=3, help="A B pairs per endpoint, at least 3 (default 3)")
    options.add_argument("--content", metavar="DIR", help="content directory to serve (default: generated)")
    options.add_argument("--briefs", type=int, default=50, help="briefs to generate without --content (default 50)")
    options.add_argument("--no-nginx", action="store_true", help="leave nginx out even if it is installed")
    options.add_argument("--quick", action="store_true", help="2 s runs and 1 s warm-ups: a smoke run")
    options.add_argument("--wide-connections", type=int, default=512, metavar="N",
                         help="wrk connections of the topology's second comparison (default 512)")  # fmt: skip
    options.add_argument("--no-export", action="store_true", help="leave out the export step (6)")
    options.add_argument("--no-topology", action="store_true", help="leave out the topology step (7)")
    only = options.add_mutually_exclusive_group()
    only.add_argument("--only-page-vs-json", action="store_true",
                      help="measure the brief's page against its JSON only (step 5)")  # fmt: skip
    only.add_argument(
        "--only-export",
        action="store_true",
        help="measure nginx over `briefs export` against the baseline and a plain file only (step 6)",
    )
    only.add_argument("--only-topology", action="store_true",
                      help="measure the production topology against the app alone only (step 7)")  # fmt: skip
    args = options.parse_args(argv)
    if args.pairs < 3:
        options.error("--pairs: at least 3, or the median says little")
    if args.quick:
        args.duration = min(args.duration, 2)
    args.warmup = 1 if args.quick else 2
    alone = args.only_page_vs_json or args.only_export or args.only_topology
    args.steps = {
        "endpoints": not alone,
        "page_vs_json": args.only_page_vs_json or not alone,
        "export": args.only_export or (not alone and not args.no_export),
        "topology": args.only_topology or (not alone and not args.no_topology),
    }
    if (args.steps["export"] or args.steps["topology"]) and (args.no_nginx or not servers.nginx_available()):
        if args.only_export or args.only_topology:
            options.error("the export and the topology need nginx (`make nginx`), and --no-nginx leaves it out")
        print("note: no nginx: the export and topology steps are left out", file=sys.stderr)
        args.steps["export"] = args.steps["topology"] = False
    return args


def start_servers(
    stack: ExitStack, args: argparse.Namespace, work: Path
) -> tuple[list[servers.Server], dict[str, Response], int]:
    """The project, its captured responses, then the baseline and nginx serving them; then, for the steps that
    need them, nginx over ``briefs export`` and the production topology; and the number of briefs.

    Each server stops when ``stack`` closes.
    """
    content = Path(args.content) if args.content else work / "content"
    if not args.content:
        corpus_gen.write_corpus(content, args.briefs)
    env = {**os.environ, **SERVER_ENV, "BRIEFS_CONTENT_DIR": str(content.resolve())}
    project = stack.enter_context(servers.gunicorn("project", "api:create_app()", work / "project.log", env, BRIEF))
    captured = capture(project, work / "capture.json", work)
    env["BENCH_CAPTURE"] = str(work / "capture.json")
    baseline = servers.gunicorn("baseline", "bench.baseline:create_app()", work / "baseline.log", env, BRIEF)
    targets = [project, stack.enter_context(baseline)]
    if servers.nginx_available() and not args.no_nginx:
        (work / "nginx").mkdir()
        files = {path: (work / f"{n}.body", r.content_type) for n, (path, r) in enumerate(captured.items())}
        targets.append(stack.enter_context(servers.nginx(files, work / "nginx")))
    if args.steps["export"]:
        targets.append(export_server(stack, content, project, work))
    if args.steps["topology"]:
        settings = {**SERVER_ENV, "BRIEFS_CONTENT_DIR": env["BRIEFS_CONTENT_DIR"]}
        targets.append(stack.enter_context(servers.topology(work / "topology", settings)))
    return targets, captured, len(list((content / "briefs").glob("*.md")))


def main(argv: list[str] | None = None) -> int:
    """Start the servers, measure, print and save the figures; stop every server."""
    args = parse_options(argv)
    if not wrk_version():
        print("wrk is not installed: run `bash bench/install.sh` (as root) first.", file=sys.stderr)
        return 2
    if args.steps["topology"]:
        raise_open_files(args.wide_connections)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds the with-blocks: servers stop
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"{stamp}.tmp"
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="briefs-http-") as tmp, ExitStack() as stack:
        targets, captured, briefs = start_servers(stack, args, Path(tmp))
        print(f"Briefs API HTTP benchmark at {runinfo.commit() or 'an unknown commit'}, over {briefs} briefs: "
              f"{', '.join(s.name for s in targets)}; "
              f"{args.pairs} pairs of {args.duration} s runs, {args.connections} connections, "
              f"{args.threads} wrk threads; wrk output in {out.relative_to(ROOT)}/", flush=True)  # fmt: skip
        loadavg = [os.getloadavg()[0]]
        if loadavg[0] > 0.5:
            print(f"note: load average {loadavg[0]:.2f} before the first run: something else is using the CPUs")
        by_name = {server.name: server for server in targets}
        compared = [by_name[name] for name in ("project", "baseline", "nginx") if name in by_name]
        endpoints = ENDPOINTS if args.steps["endpoints"] else ()
        results = {e.name: measure(e, compared, captured[e.path], args, out) for e in endpoints}
        page_vs_json = measure_page_vs_json(targets[0], args, out) if args.steps["page_vs_json"] else None
        export = None
        if args.steps["export"]:
            export = measure_export([by_name["export"], by_name["baseline"], by_name["nginx"]], args, out)
        topology = None
        if args.steps["topology"]:
            app = servers.Server("app", by_name["project"].base, by_name["project"].log)
            topology = measure_topology(app, by_name["topology"], args, out)
        loadavg.append(os.getloadavg()[0])
    if results:
        print_summary(results)
    if page_vs_json:
        print_page_vs_json(page_vs_json)
    if export:
        print_export(export)
    if topology:
        print_topology(topology)
    record = {
        "started": stamp, "options": vars(args), "content": args.content or "generated",
        "briefs": briefs, "gunicorn": gunicorn_settings(), "server_env": SERVER_ENV,
        "machine": {**runinfo.machine(), "wrk": wrk_version()},
        "loadavg_before_after": loadavg, "endpoints": results, "page_vs_json": page_vs_json,
        "export": export, "topology": topology,
    }  # fmt: skip
    path = RESULTS / f"{stamp}.json"
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted: every server was stopped", file=sys.stderr)
        sys.exit(130)
