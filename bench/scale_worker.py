"""One size of ``bench/scale.py``, measured in a process of its own.

``python -m bench.scale_worker CONTENT_DIR`` (from the repository root) loads
the app on that directory and prints one line, ``SCALE_JSON {...}``: load
time, peak RSS and request latencies. ``bench/scale.py`` runs it once per size.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import re
import resource
import statistics
import sys
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import corpus_gen

FIXED_QUERIES = ("border demarcation", "ceasefire", "russia", "working group")
"""Repeated searches: after its first time each comes from the response cache."""
APP_CONFIG = {"BRIEFS_RATELIMIT": "1000000000 per minute"}
"""The per-client rate limit would answer the test client, one client, with 429s: kept, but out of reach."""


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def p50_ms(calls: list[Callable[[], object]]) -> tuple[float, float]:
    """The median wall-clock and CPU times of the calls, made one after another, in milliseconds.

    CPU time leaves out the time other processes held the CPU: on a busy machine it stays honest.
    """
    wall, cpu = [], []
    for call in calls:
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def load_app(content: Path) -> tuple[Any, float, float, float]:
    """``create_app`` on ``content``: the app; the wall-clock and CPU seconds of ``load_snapshot``; the
    wall-clock seconds of the whole call."""
    import api.store  # noqa: PLC0415  (imported here so that the RSS before it can be read first)
    from api.app import create_app  # noqa: PLC0415

    loads: list[tuple[float, float]] = []
    original = api.store.load_snapshot

    def timed(*args: Any, **kwargs: Any) -> Any:
        started, cpu = time.perf_counter(), time.process_time()
        snapshot = original(*args, **kwargs)
        loads.append((time.perf_counter() - started, time.process_time() - cpu))
        return snapshot

    api.store.load_snapshot = timed
    try:
        started, cpu = time.perf_counter(), time.process_time()
        app = create_app({"BRIEFS_CONTENT_DIR": str(content), **APP_CONFIG})
        total = time.perf_counter() - started
        if not loads:  # create_app no longer calls api.store.load_snapshot: time the whole call
            loads.append((total, time.process_time() - cpu))
    finally:
        api.store.load_snapshot = original
    return app, loads[0][0], loads[0][1], total


def getter(client: Any, url: str) -> Callable[[], object]:
    """A call that GETs ``url`` and fails unless it answers 200."""

    def get() -> object:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: {response.status_code} {response.get_data()[:300]!r}")
        return response

    return get


def search_url(q: str) -> str:
    """The search URL of a query."""
    return "/v1/search?" + urllib.parse.urlencode({"q": q})


def distinct_queries(count: int, rng: random.Random) -> list[str]:
    """``count`` different two-word queries made of the seed's words."""
    words = sorted(set(re.findall(r"\b[a-z]{4,}\b", corpus_gen.SEED.read_text(encoding="utf-8").lower())))
    queries: set[str] = set()
    while len(queries) < count:
        queries.add(" ".join(rng.sample(words, 2)))
    return sorted(queries)


def measure(content: Path, gets: int, searches: int, seed: int) -> dict[str, object]:
    """Load, then time the requests; every figure of one size."""
    rss_before = peak_rss_mb()
    app, load_s, load_cpu_s, create_app_s = load_app(content)
    rss_loaded = peak_rss_mb()
    client = app.test_client()
    rng = random.Random(seed)
    ids = sorted(path.stem for path in (content / "briefs").glob("*.md"))
    warm_id, others = ids[0], ids[1:]
    sample = rng.sample(others, min(gets, len(others)))
    for _ in range(20):  # first requests pay for lazy imports and set-up, in the app and in werkzeug
        getter(client, f"/v1/briefs/{warm_id}")()
        getter(client, search_url("diplomacy"))()
    timed = {
        "get_first": p50_ms([getter(client, f"/v1/briefs/{brief_id}") for brief_id in sample]),
        "get_repeat": p50_ms([getter(client, f"/v1/briefs/{rng.choice(sample)}") for _ in range(gets)]),
    }
    queries = distinct_queries(searches, rng)
    fixed = [FIXED_QUERIES[n % len(FIXED_QUERIES)] for n in range(searches)]
    timed["search_first"] = p50_ms([getter(client, search_url(q)) for q in queries])
    timed["search_repeat"] = p50_ms([getter(client, search_url(q)) for q in fixed])
    snapshot = app.extensions["briefs"].snapshot
    timed["index"] = p50_ms([functools.partial(snapshot.search.search, q, limit=20) for q in queries])
    timed["index_fixed"] = p50_ms([functools.partial(snapshot.search.search, q, limit=20) for q in fixed])
    briefs = len(snapshot.corpus.briefs)
    figures: dict[str, object] = {
        "briefs_served": briefs, "load_s": round(load_s, 3), "load_cpu_s": round(load_cpu_s, 3),
        "create_app_s": round(create_app_s, 3), "load_ms_per_brief": round(load_s * 1000 / max(briefs, 1), 3),
        "rss_before_load_mb": round(rss_before, 1), "rss_loaded_mb": round(rss_loaded, 1),
        "rss_mb": round(peak_rss_mb(), 1), "gets_first": len(sample), "gets_repeat": gets, "searches": searches,
    }  # fmt: skip
    figures["settings"] = {key: str(value) for key, value in app.config.items() if key.startswith("BRIEFS_")}
    for name, (wall, cpu) in timed.items():
        figures[f"{name}_p50_ms"], figures[f"{name}_cpu_p50_ms"] = round(wall, 3), round(cpu, 3)
    return figures


def main(argv: list[str] | None = None) -> int:
    """Measure one content directory and print its figures as one JSON line."""
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("content", type=Path)
    options.add_argument("--gets", type=int, default=300)
    options.add_argument("--searches", type=int, default=100)
    options.add_argument("--seed", type=int, default=0)
    args = options.parse_args(argv)
    figures = measure(args.content, args.gets, args.searches, args.seed)
    print("SCALE_JSON " + json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
