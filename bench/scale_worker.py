"""One size of ``bench/scale.py``, measured in a process of its own.

``python -m bench.scale_worker CONTENT_DIR WORK_DIR`` (from the repository
root) measures the artifact architecture on one generated content directory,
in this order:

1. **cold build**: ``briefs build --content CONTENT_DIR --output FILE`` from
   scratch, as a subprocess: wall clock, CPU seconds of it and of its parser
   processes, the peak RSS of the largest of them, and the artifact's size
   (with its largest tables);
2. **in-process latency**: ``create_app`` over the artifact
   (``BRIEFS_ARTIFACT``), requests through the Flask test client, as the old
   benchmark did: ``/v1/briefs/<id>`` the first time for each id (read from the
   artifact) and repeated (from the response cache), distinct searches (not
   cached), repeated searches, and ``SearchIndex.search`` alone; then this
   process's peak RSS;
3. **no-op and incremental builds**: ``briefs build`` again with nothing
   changed, then after editing one brief's title (``--edits`` times, a different
   brief each time);
4. **a server over the artifact**: gunicorn with ``gunicorn.conf.py``,
   ``BRIEFS_ARTIFACT`` and ``--workers``; the time from starting it until
   ``/readyz`` answers 200; sequential GETs and searches over HTTP (a new
   connection each); then ``--http-gets`` distinct single resources (briefs,
   sections, typed blocks, actors, events) from a few client threads; the RSS,
   PSS (``/proc/PID/smaps_rollup``) and anonymous RSS of the master and its
   workers before and after;
5. **live reload**: gunicorn serving the content directory
   (``BRIEFS_CACHE_DIR``, ``BRIEFS_RELOAD_INTERVAL``), its artifact already
   built; then ``--edits`` times: edit one brief, and time until
   ``--consecutive`` requests in a row (``Connection: close``), answered by
   every worker, all carry a new ``X-Content-Version``.

It prints progress lines, then one line ``SCALE_JSON {...}`` with every figure.
Every server listens on 127.0.0.1 (a free port), runs with
``--no-control-socket``, and is stopped on the way out, whatever happened;
every wait is bounded in time. Server logs go to WORK_DIR.
"""

from __future__ import annotations

import argparse
import functools
import http.client
import json
import os
import random
import re
import resource
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import corpus_gen
from bench.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MARKER = "SCALE_JSON "
FIXED_QUERIES = ("border demarcation", "ceasefire", "russia", "working group")
"""Repeated searches: after its first time each comes from the response cache."""
RATELIMIT = "1000000000 per minute"
"""The per-client rate limit would answer the benchmark, one client, with 429s: kept, but out of reach."""
SINGLE = re.compile(
    r"/v1/briefs/[^/]+(/(sections|factors|expectations|scenarios|strategy-elements)/[^/]+)?|/v1/(actors|events)/[^/]+"
)
"""Paths of single resources (a brief, a section, a typed block, an actor, an event), not of lists."""
MB = 1024 * 1024


def progress(message: str) -> None:
    """One progress line for ``bench/scale.py`` to show."""
    print(f"    {message}", flush=True)


def p50(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# -- processes ----------------------------------------------------------------------------------


def run_build(content: Path, output: Path, jobs: int | None, timeout: float) -> dict[str, Any]:
    """``briefs build`` as a subprocess: wall clock, CPU of it and every process it waited for, its summary."""
    command = [str(BIN / "briefs"), "build", "--content", str(content), "--output", str(output)]
    if jobs:
        command += ["--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"briefs build failed ({done.returncode}):\n{done.stderr[-3000:]}")
    summary = done.stdout.strip().splitlines()[-1]
    parsed = re.search(r"\((\d+) parsed", summary)
    return {
        "s": round(wall, 3),
        "cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 3),
        "parsed": int(parsed.group(1)) if parsed else 0,
        "reported_s": float(re.findall(r"([\d.]+) s$", summary)[0]) if summary.endswith(" s") else None,
        "summary": summary,
    }


def proc_memory(pid: int) -> dict[str, float]:
    """RSS (and its anonymous and file-backed parts) from /proc/PID/status, PSS from smaps_rollup, in MB."""
    figures: dict[str, float] = {}
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    for key, name in (("VmRSS", "rss"), ("RssAnon", "anon"), ("RssFile", "file"), ("RssShmem", "shmem")):
        match = re.search(rf"^{key}:\s+(\d+) kB", status, re.MULTILINE)
        figures[name] = int(match.group(1)) / 1024 if match else 0.0
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="ascii")
    match = re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE)
    figures["pss"] = int(match.group(1)) / 1024 if match else 0.0
    return figures


def children(pid: int) -> list[int]:
    """The live child processes of ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def server_memory(master: int) -> dict[str, Any]:
    """Memory of a gunicorn master and its workers, each and in total."""
    processes = {"master": proc_memory(master)}
    for number, pid in enumerate(children(master), 1):
        try:
            processes[f"worker{number}"] = proc_memory(pid)
        except OSError:
            continue  # a worker that exited meanwhile
    total = {key: round(sum(p[key] for p in processes.values()), 1) for key in ("rss", "pss", "anon", "file")}
    each = {name: {k: round(v, 1) for k, v in p.items()} for name, p in processes.items()}
    return {"processes": len(processes), **{f"{k}_mb": v for k, v in total.items()}, "each": each}


# -- HTTP ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    version: str
    worker: int | None
    """The pid of the worker that answered (from X-Request-ID), if it can be told."""
    body: bytes
    seconds: float


def request_id_pid(request_id: str) -> int | None:
    """The process id inside a request id (see ``api.logs.new_request_id``: 12 hex digits, pid in hex, -counter)."""
    match = re.fullmatch(r"[0-9a-f]{12}([0-9a-f]+)-[0-9a-f]+", request_id)
    return int(match.group(1), 16) if match else None


def get(port: int, path: str, timeout: float = 30) -> Answer:
    """One GET on a new connection, closed after the answer."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        response = conn.getresponse()
        body = response.read()
        return Answer(
            response.status,
            response.getheader("X-Content-Version", ""),
            request_id_pid(response.getheader("X-Request-ID", "")),
            body,
            time.perf_counter() - started,
        )
    finally:
        conn.close()


@dataclass
class Gunicorn:
    process: subprocess.Popen[bytes]
    port: int
    boot_s: float
    """From starting the command until /readyz first answered 200."""

    def workers(self) -> list[int]:
        return children(self.process.pid)


@contextmanager
def gunicorn(env: dict[str, str], workers: int, log: Path, timeout: float) -> Iterator[Gunicorn]:
    """The project's gunicorn, as ``make serve`` runs it, on a free port of 127.0.0.1; stopped on the way out."""
    port = free_port()
    command = [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--no-control-socket",
               "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "api:create_app()"]  # fmt: skip
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("BRIEFS_", "GUNICORN_"))}
    environment.update(env)
    with log.open("ab") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if get(port, "/readyz", timeout=5).status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
                raise RuntimeError(f"gunicorn did not answer /readyz (exit {process.poll()}, log {log}):\n{tail}")
            time.sleep(0.01)
        yield Gunicorn(process, port, time.perf_counter() - started)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# -- what to ask --------------------------------------------------------------------------------


def distinct_queries(count: int, rng: random.Random) -> list[str]:
    """``count`` different two-word queries made of the seed's words."""
    words = sorted(set(re.findall(r"\b[a-z]{4,}\b", corpus_gen.SEED.read_text(encoding="utf-8").lower())))
    queries: set[str] = set()
    while len(queries) < count:
        queries.add(" ".join(rng.sample(words, 2)))
    return sorted(queries)


def search_url(q: str) -> str:
    return "/v1/search?" + urllib.parse.urlencode({"q": q})


def single_paths(artifact: Path, count: int, rng: random.Random) -> list[str]:
    """Up to ``count`` distinct paths of single resources stored in the artifact, in random order.

    Rows are drawn by random rowid, so that the benchmark never holds every key of a large artifact.
    """
    conn = sqlite3.connect(f"{artifact.resolve().as_uri()}?mode=ro", uri=True)
    try:
        (rows,) = conn.execute("SELECT max(rowid) FROM responses").fetchone()
        candidates = rng.sample(range(1, rows + 1), min(rows, 20 * count))
        found: list[str] = []
        for start in range(0, len(candidates), 500):
            chunk = candidates[start : start + 500]
            marks = ",".join("?" * len(chunk))
            keys = dict(conn.execute(f"SELECT rowid, key FROM responses WHERE rowid IN ({marks})", chunk))
            found += [keys[r] for r in chunk if r in keys and SINGLE.fullmatch(keys[r])]
            if len(found) >= count:
                break
        return found[:count]
    finally:
        conn.close()


def brief_ids(artifact: Path, count: int, rng: random.Random) -> list[str]:
    """Up to ``count`` random brief ids of the artifact."""
    conn = sqlite3.connect(f"{artifact.resolve().as_uri()}?mode=ro", uri=True)
    try:
        ids = [brief_id for (brief_id,) in conn.execute("SELECT id FROM briefs ORDER BY id")]
    finally:
        conn.close()
    return rng.sample(ids, min(count, len(ids)))


def table_sizes(artifact: Path, top: int = 5) -> dict[str, float]:
    """MB of the largest tables and indexes (SQLite's dbstat), when SQLite has it."""
    conn = sqlite3.connect(f"{artifact.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT ?", (top,))
        return {name: round(size / MB, 1) for name, size in rows}
    except sqlite3.Error:
        return {}
    finally:
        conn.close()


def edit_brief(path: Path, token: str) -> None:
    """Append ``token`` to a brief's title, writing the file atomically (a reader never sees half of it)."""
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(r'^(title: ".*)"$', lambda m: f'{m.group(1)} {token}"', text, count=1, flags=re.MULTILINE)
    if count != 1:
        raise RuntimeError(f"{path}: no title line to edit")
    temporary = path.with_name(f".{path.name}.tmp")  # not *.md: the content reader never picks it up
    temporary.write_text(edited, encoding="utf-8")
    os.replace(temporary, path)


# -- phases -------------------------------------------------------------------------------------


def timed_calls(calls: list[Callable[[], object]]) -> tuple[float, float]:
    """The median wall-clock and CPU milliseconds of the calls, made one after another.

    CPU time leaves out the time other processes held the CPU: on a busy machine it stays honest.
    """
    wall, cpu = [], []
    for call in calls:
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return p50(wall), p50(cpu)


def in_process(artifact: Path, gets: int, searches: int, rng: random.Random) -> dict[str, Any]:
    """Latency through the Flask test client over the artifact, and this process's peak RSS."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from api.app import create_app  # noqa: PLC0415  (imported here, after the RSS before it is read)

    started = time.perf_counter()
    app = create_app({"BRIEFS_ARTIFACT": str(artifact), "BRIEFS_RATELIMIT": RATELIMIT})
    create_app_s = time.perf_counter() - started
    client = app.test_client()

    def getter(url: str) -> Callable[[], object]:
        def call() -> object:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url}: {response.status_code} {response.get_data()[:300]!r}")
            return response

        return call

    ids = brief_ids(artifact, gets + 1, rng)
    warm_id, sample = ids[0], ids[1:]
    for _ in range(20):  # the first requests pay for lazy imports and set-up, in the app and in werkzeug
        getter(f"/v1/briefs/{warm_id}")()
        getter(search_url("diplomacy"))()
    timed = {
        "get_first": timed_calls([getter(f"/v1/briefs/{brief_id}") for brief_id in sample]),
        "get_repeat": timed_calls([getter(f"/v1/briefs/{rng.choice(sample)}") for _ in range(gets)]),
    }
    queries = distinct_queries(searches, rng)
    fixed = [FIXED_QUERIES[n % len(FIXED_QUERIES)] for n in range(searches)]
    timed["search_first"] = timed_calls([getter(search_url(q)) for q in queries])
    timed["search_repeat"] = timed_calls([getter(search_url(q)) for q in fixed])
    index = app.extensions["briefs"].snapshot().artifact.search
    timed["index"] = timed_calls([functools.partial(index.search, q, limit=20) for q in queries])
    figures: dict[str, Any] = {"create_app_s": round(create_app_s, 3), "gets": len(sample), "searches": searches}
    for name, (wall, cpu) in timed.items():
        figures[f"{name}_p50_ms"], figures[f"{name}_cpu_p50_ms"] = round(wall, 3), round(cpu, 3)
    figures["rss_before_mb"] = round(rss_before, 1)
    figures["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    figures["settings"] = {key: str(value) for key, value in app.config.items() if key.startswith("BRIEFS_")}
    return figures


def builds(content: Path, artifact: Path, args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    """A build with nothing changed, then one after each edit of one brief."""
    budget = 120 + args.size * 0.05
    noop = run_build(content, artifact, args.jobs, budget)
    progress(f"no-op build {noop['s']:.2f} s")
    incremental = []
    for number, path in enumerate(pick_briefs(content, args.edits, rng, "incremental")):
        edit_brief(path, f"[bench edit {number}]")
        run = run_build(content, artifact, args.jobs, budget)
        if run["parsed"] != 1:
            raise RuntimeError(f"an incremental build after one edit parsed {run['parsed']} files: {run['summary']}")
        progress(f"incremental build after editing {path.name}: {run['s']:.2f} s ({run['cpu_s']:.2f} s CPU)")
        incremental.append(run)
    return {"noop_build": noop, "incremental_builds": incremental}


def pick_briefs(content: Path, count: int, rng: random.Random, purpose: str) -> list[Path]:
    """``count`` generated brief files, a different set for each purpose (the seed brief is never edited)."""
    names = sorted(p.name for p in (content / "briefs").glob("generated-brief-*.md"))
    chooser = random.Random(f"{rng.random()}-{purpose}")
    return [content / "briefs" / name for name in chooser.sample(names, min(count, len(names)))]


def http_requests(server: Gunicorn, args: argparse.Namespace, artifact: Path, rng: random.Random) -> dict[str, Any]:
    """Sequential latency over HTTP, then ``--http-gets`` distinct single resources from client threads."""
    port = server.port
    figures: dict[str, Any] = {"memory_ready": server_memory(server.process.pid)}
    sequential = brief_ids(artifact, args.gets, rng)
    answers = [get(port, f"/v1/briefs/{brief_id}") for brief_id in sequential]
    figures["http_get_p50_ms"] = round(p50([a.seconds * 1000 for a in answers]), 3)
    searches = [get(port, search_url(q)) for q in distinct_queries(args.searches, random.Random(rng.random()))]
    figures["http_search_p50_ms"] = round(p50([a.seconds * 1000 for a in searches]), 3)
    statuses = [a.status for a in answers + searches]
    paths = single_paths(artifact, args.http_gets, rng)
    deadline = time.monotonic() + 120 + args.http_gets * 0.1
    counts: dict[str, int] = {}
    lock = threading.Lock()

    def fetch(path: str) -> None:
        if time.monotonic() > deadline:
            status = "skipped (time limit)"
        else:
            try:
                status = str(get(port, path).status)
            except OSError as exc:
                status = type(exc).__name__
        with lock:
            counts[status] = counts.get(status, 0) + 1

    started = time.perf_counter()
    with ThreadPoolExecutor(args.clients) as pool:
        list(pool.map(fetch, paths))
    elapsed = time.perf_counter() - started
    figures.update(
        http_gets=len(paths), http_gets_s=round(elapsed, 2), http_gets_per_s=round(len(paths) / elapsed, 1),
        http_statuses=counts, sequential_errors=sum(s != 200 for s in statuses),
        memory_after=server_memory(server.process.pid),
    )  # fmt: skip
    return figures


def artifact_server(artifact: Path, work: Path, args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    """gunicorn over the prebuilt artifact: boot time, HTTP latency, memory after many distinct GETs."""
    env = {"BRIEFS_ARTIFACT": str(artifact), "BRIEFS_RATELIMIT": RATELIMIT}
    with gunicorn(env, args.workers, work / "gunicorn-artifact.log", timeout=120) as server:
        workers = len(server.workers())
        progress(f"gunicorn over the artifact answered /readyz after {server.boot_s:.2f} s ({workers} workers)")
        figures = {"boot_s": round(server.boot_s, 3), "workers_at_ready": workers}
        figures.update(http_requests(server, args, artifact, rng))
    after = figures["memory_after"]
    progress(f"{figures['http_gets']:,} GETs in {figures['http_gets_s']:.1f} s {figures['http_statuses']}; "
             f"master + workers: RSS {after['rss_mb']:.0f} MB, PSS {after['pss_mb']:.0f} MB")  # fmt: skip
    return figures


def wait_visible(server: Gunicorn, path: str, old: str, marker: bytes, args: argparse.Namespace) -> dict[str, Any]:
    """After an edit: poll until ``--consecutive`` answers in a row, from every worker, carry a new version."""
    started = time.perf_counter()
    deadline = time.monotonic() + args.visible_timeout
    first_new: float | None = None
    run: list[Answer] = []
    requests = stale_bodies = 0
    while time.monotonic() < deadline:
        try:
            answer = get(server.port, path, timeout=10)
        except OSError:
            run = []
            continue
        requests += 1
        if answer.status != 200 or answer.version in ("", old):
            run = []
            continue
        first_new = first_new if first_new is not None else time.perf_counter() - started
        stale_bodies += marker not in answer.body
        run.append(answer)
        workers = set(server.workers())
        seen = {a.worker for a in run}
        if len(run) >= args.consecutive and (None in seen or workers <= seen):
            return {
                "visible_s": round(time.perf_counter() - started, 3), "first_new_s": round(first_new, 3),
                "requests": requests, "run": len(run), "workers_seen": len(seen - {None}),
                "new_version": answer.version, "stale_bodies": stale_bodies,
            }  # fmt: skip
    return {"visible_s": None, "first_new_s": first_new, "requests": requests, "run": len(run)}


def live_reload(content: Path, cache: Path, work: Path, args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    """gunicorn over the content directory (its artifact already built): how soon an edit is served everywhere."""
    env = {"BRIEFS_CONTENT_DIR": str(content), "BRIEFS_CACHE_DIR": str(cache),
           "BRIEFS_RELOAD_INTERVAL": str(args.reload_interval), "BRIEFS_RATELIMIT": RATELIMIT}  # fmt: skip
    edits = []
    with gunicorn(env, args.workers, work / "gunicorn-content.log", timeout=120 + args.size * 0.05) as server:
        progress(f"gunicorn over the content directory answered /readyz after {server.boot_s:.2f} s")
        for number, path in enumerate(pick_briefs(content, args.edits, rng, "live")):
            brief_path = f"/v1/briefs/{path.stem}"
            old = get(server.port, brief_path).version
            token = f"[bench live edit {number} {rng.randrange(10**9)}]"
            edit_brief(path, token)
            result = wait_visible(server, brief_path, old, json.dumps(token).encode()[1:-1], args)
            shown = f"{result['visible_s']:.2f} s" if result["visible_s"] is not None else "not within the time limit"
            progress(f"edit of {path.name} served by every worker after {shown} ({result['requests']} requests)")
            edits.append(result)
        memory = server_memory(server.process.pid)
    return {"content_boot_s": round(server.boot_s, 3), "live_edits": edits, "memory_content_mode": memory}


def measure(content: Path, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Every phase of one size, in order."""
    from briefs.build import default_output  # noqa: PLC0415

    rng = random.Random(args.seed)
    cache = work / "cache"
    artifact = Path(default_output(content, cache))  # where the content-directory server looks for it
    cold = run_build(content, artifact, args.jobs, timeout=300 + args.size * 0.5)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    figures: dict[str, Any] = {"cold_build": cold, "build_peak_rss_mb": round(peak, 1)}
    figures["artifact_mb"] = round(artifact.stat().st_size / MB, 1)
    progress(f"cold build {cold['s']:.1f} s ({cold['cpu_s']:.1f} s CPU), artifact {figures['artifact_mb']:,.0f} MB")
    figures["artifact_tables_mb"] = table_sizes(artifact)
    figures["in_process"] = in_process(artifact, args.gets, args.searches, rng)
    progress(f"in process: GET p50 {figures['in_process']['get_first_p50_ms']:.2f} ms, "
             f"search p50 {figures['in_process']['search_first_p50_ms']:.2f} ms")  # fmt: skip
    figures.update(builds(content, artifact, args, rng))
    figures.update(artifact_server(artifact, work, args, rng))
    figures.update(live_reload(content, cache, work, args, rng))
    return figures


def main(argv: list[str] | None = None) -> int:
    """Measure one content directory and print its figures as one JSON line."""
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("content", type=Path)
    options.add_argument("work", type=Path, help="an empty directory for the artifact and the server logs")
    options.add_argument("--size", type=int, required=True, help="briefs in the content directory")
    options.add_argument("--gets", type=int, default=300)
    options.add_argument("--searches", type=int, default=100)
    options.add_argument("--http-gets", type=int, default=10_000)
    options.add_argument("--clients", type=int, default=3)
    options.add_argument("--workers", type=int, default=3)
    options.add_argument("--edits", type=int, default=3)
    options.add_argument("--reload-interval", type=float, default=0.5)
    options.add_argument("--consecutive", type=int, default=12)
    options.add_argument("--visible-timeout", type=float, default=None, help="default 120 s + 10 ms a brief")
    options.add_argument("--jobs", type=int, default=None)
    options.add_argument("--seed", type=int, default=0)
    args = options.parse_args(argv)
    if args.visible_timeout is None:
        args.visible_timeout = 120 + args.size * 0.01
    # SIGTERM (from bench/scale.py on its time limit) unwinds, so that every server is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    figures = measure(args.content.resolve(), args.work.resolve(), args)
    print(MARKER + json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
