"""Search before and after a change: the requests of bench/search.py sent to two builds, alternately.

``.venv/bin/python bench/search_ab.py --before-src DIR --before ARTIFACT --after ARTIFACT``

On a shared machine, the CPU time of one request moves by a third from one minute to the next, so two
runs of bench/search.py, one after the other, can hide a change of 15%. Here two worker processes,
one per build, answer the same requests one by one, alternating which goes first, through the Flask
test client as bench/search.py does: both meet the same moments of the machine. The figure to read
is the median of the per-request ratio after/before; the p50s are printed beside it. Both workers
are alive at once, so each one's caches suffer from the other: the absolute figures are higher than
bench/search.py's, and only the ratio compares.

``--before-src`` is a source tree of the code before (``git archive <commit> | tar -x -C DIR``); the
code after is this tree. Each artifact must be built by its own code (``briefs build``). The answers
must agree on the number of hits, else the script stops. Results go to
``bench/results/search-ab-<timestamp>.json``. A measurement, not a test.
"""

# ruff: noqa: E402

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

import argparse
import json
import os
import random
import statistics
import subprocess
import time
from typing import Any

from bench import runinfo
from bench.search import FACETS, misspellings, two_word_queries

_WORKER = """
import json, sys, time, urllib.parse
from api.app import create_app
app = create_app({"BRIEFS_ARTIFACT": sys.argv[1], "BRIEFS_RATELIMIT": "1000000000 per minute",
                  "BRIEFS_ACCESS_LOG": False})
client = app.test_client()
print("ready", flush=True)
for line in sys.stdin:
    url = "/v1/search?" + urllib.parse.urlencode(json.loads(line))
    started = time.process_time()
    response = client.get(url)
    cpu = time.process_time() - started
    body = response.get_json()
    print(json.dumps({"status": response.status_code, "cpu": cpu,
                      "total": body.get("pagination", {}).get("total_items")}), flush=True)
"""


class Worker:
    """A process serving one build with its own code."""

    def __init__(self, src: Path, artifact: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(artifact)], cwd=src, env={**os.environ, "PYTHONPATH": str(src)},
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self.process.stdin and self.process.stdout
        self._in, self._out = self.process.stdin, self.process.stdout
        if self._out.readline().strip() != "ready":
            raise RuntimeError(f"the worker of {src} did not start")

    def ask(self, params: dict[str, str]) -> dict[str, Any]:
        self._in.write(json.dumps(params) + "\n")
        self._in.flush()
        answer: dict[str, Any] = json.loads(self._out.readline())
        if answer["status"] != 200:
            raise RuntimeError(f"{params}: {answer}")
        return answer

    def close(self) -> None:
        self._in.close()
        self.process.wait(timeout=30)


def paired(before: Worker, after: Worker, requests: list[dict[str, str]]) -> dict[str, float]:
    """p50 CPU of each, and the median ratio after/before, over the same requests in alternating order."""
    cpu_before, cpu_after = [], []
    for number, params in enumerate(requests):
        order = (before, after) if number % 2 == 0 else (after, before)
        answers = {id(worker): worker.ask(params) for worker in order}
        first, second = answers[id(before)], answers[id(after)]
        if first["total"] != second["total"]:
            raise RuntimeError(f"{params}: {first['total']} hits before, {second['total']} after")
        cpu_before.append(first["cpu"] * 1000)
        cpu_after.append(second["cpu"] * 1000)
    return {
        "before_cpu_p50_ms": round(statistics.median(cpu_before), 2),
        "after_cpu_p50_ms": round(statistics.median(cpu_after), 2),
        "ratio_median": round(statistics.median(b / a for a, b in zip(cpu_before, cpu_after, strict=True)), 3),
        "requests": len(requests),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before-src", type=Path, required=True, help="source tree of the code before")
    parser.add_argument("--before", type=Path, required=True, help="artifact built by the code before")
    parser.add_argument("--after", type=Path, required=True, help="artifact built by this tree's code")
    parser.add_argument("--requests", type=int, default=200, help="distinct requests of each kind")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    from briefs.reader import Artifact  # noqa: PLC0415 - after the sys.path fix

    rng = random.Random(args.seed)  # the queries of bench/search.py, in its order
    queries = two_word_queries(args.requests * 2, rng)
    index = Artifact(str(args.after)).search
    typos = misspellings(args.requests + 1, rng, lambda word: index.search(word, suggest=False).total > 0)
    before, after = Worker(args.before_src.resolve(), args.before.resolve()), Worker(ROOT, args.after.resolve())
    try:
        for warm in ({"q": "diplomacy"}, {"q": "ceasefire talks"}, {"q": typos[0]}):
            before.ask(warm), after.ask(warm)
        load = os.getloadavg()[0]
        started = time.perf_counter()
        result = {
            "first_search": paired(before, after, [{"q": q} for q in queries[: args.requests]]),
            "three_facets": paired(before, after, [{"q": q, "facets": FACETS} for q in queries[args.requests :]]),
            "suggestion": paired(before, after, [{"q": q} for q in typos[1:]]),
            "seconds": round(time.perf_counter() - started, 1), "load_before": load, "load_after": os.getloadavg()[0],
            "machine": runinfo.machine(),
        }  # fmt: skip
    finally:
        before.close()
        after.close()
    runinfo.save("search-ab", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
