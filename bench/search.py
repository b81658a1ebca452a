"""Search benchmark: a first search, a search with three facets, and a suggestion, at 10,000 briefs.

``.venv/bin/python bench/search.py`` (``--briefs 1000`` for a quick run; ``--content DIR`` reuses a
corpus written before, ``--keep DIR`` keeps the one it writes)

It writes a content directory of briefs shaped like the seed (``bench/corpus_gen.py``), builds it
with ``briefs build`` (timed), opens the artifact as a server does (``BRIEFS_ARTIFACT``) and, through
the Flask test client, times distinct requests, each asked once so that none is answered from the
response cache:

- **first search**: ``/v1/search?q=`` with two words of the seed (both must match);
- **three facets**: the same kind of query with ``facets=type,actor,year``;
- **suggestion**: a seed word of six letters or more with two neighbouring letters swapped, a word no
  brief contains (the answer has no hits and a suggestion; the first such request also loads the
  vocabulary, timed apart).

Targets: first search p50 <= 10 ms, three facets p50 <= 20 ms, suggestion p50 <= 20 ms. Wall clock
and CPU time are both reported (on a busy machine wall clock grows, CPU time does not). Results go
to ``bench/results/search-<timestamp>.json``. A measurement, not a test: it exits 0 unless it could
not measure.
"""

# Most imports follow the sys.path fix below: bench/http.py would shadow the standard library's http.
# ruff: noqa: E402

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

import argparse
import random
import re
import statistics
import subprocess
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

from bench import corpus_gen, runinfo

TARGETS_MS = {"first_search": 10.0, "three_facets": 20.0, "suggestion": 20.0}
FACETS = "type,actor,year"


def seed_words(minimum: int = 4) -> list[str]:
    """The seed brief's lower-case words of at least ``minimum`` letters."""
    return sorted(set(re.findall(rf"\b[a-z]{{{minimum},}}\b", corpus_gen.SEED.read_text(encoding="utf-8").lower())))


def two_word_queries(count: int, rng: random.Random) -> list[str]:
    """``count`` different queries of two seed words."""
    words = seed_words()
    queries: set[str] = set()
    while len(queries) < count:
        queries.add(" ".join(rng.sample(words, 2)))
    return sorted(queries)


def misspellings(count: int, rng: random.Random, known: Callable[[str], bool]) -> list[str]:
    """``count`` different seed words of six letters or more with two inner neighbours swapped, each a
    word that no brief contains."""
    words = seed_words(6)
    found: set[str] = set()
    for _ in range(count * 50):
        word = rng.choice(words)
        at = rng.randrange(1, len(word) - 2)
        typo = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        if typo != word and not known(typo):
            found.add(typo)
        if len(found) == count:
            break
    return sorted(found)


def timed_ms(calls: list[Callable[[], Any]]) -> dict[str, float]:
    """p50 and p95 of wall-clock and CPU time, in milliseconds, of calls made one after another."""
    wall, cpu = [], []
    for call in calls:
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    quantiles = statistics.quantiles(wall, n=20)
    return {
        "p50_ms": round(statistics.median(wall), 2), "p95_ms": round(quantiles[18], 2),
        "cpu_p50_ms": round(statistics.median(cpu), 2), "requests": len(calls),
    }  # fmt: skip


def get(client: Any, params: dict[str, str], check: Callable[[dict[str, Any]], bool]) -> Callable[[], Any]:
    url = "/v1/search?" + urllib.parse.urlencode(params)

    def call() -> Any:
        response = client.get(url)
        if response.status_code != 200 or not check(response.get_json()):
            raise RuntimeError(f"GET {url}: {response.status_code} {response.get_data()[:300]!r}")
        return response

    return call


def build(content: Path, output: Path) -> float:
    """``briefs build`` of ``content``; its wall-clock seconds."""
    started = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "briefs"), "build", "--content", str(content), "--output", str(output)],
        check=True, cwd=ROOT, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - started


def measure(artifact: Path, requests: int, seed: int) -> dict[str, Any]:
    from api.app import create_app  # noqa: PLC0415 - imported after the build, as a worker would

    app = create_app({"BRIEFS_ARTIFACT": str(artifact), "BRIEFS_RATELIMIT": "1000000000 per minute",
                      "BRIEFS_ACCESS_LOG": False})  # fmt: skip
    client = app.test_client()
    index = app.extensions["briefs"].watch.current().search
    rng = random.Random(seed)
    for warm in ("diplomacy", "ceasefire talks"):  # lazy imports and first connections
        get(client, {"q": warm}, lambda body: True)()
    queries = two_word_queries(requests * 2, rng)
    figures: dict[str, Any] = {
        "first_search": timed_ms([get(client, {"q": q}, lambda body: True) for q in queries[:requests]]),
        "three_facets": timed_ms(
            [get(client, {"q": q, "facets": FACETS}, lambda body: "facets" in body) for q in queries[requests:]]
        ),
        "hits_p50": statistics.median(index.search(q, suggest=False).total for q in queries[:requests]),
    }
    typos = misspellings(requests + 1, rng, lambda word: index.search(word, suggest=False).total > 0)
    started = time.perf_counter()
    get(client, {"q": typos[0]}, lambda body: True)()
    figures["vocabulary_load_ms"] = round((time.perf_counter() - started) * 1000, 1)
    figures["vocabulary_words"] = len(index._suggester.vocabulary())
    with_suggestion = []
    figures["suggestion"] = timed_ms(
        [get(client, {"q": q}, lambda body: with_suggestion.append(body["query"]["suggestion"]) or True)
         for q in typos[1:]]
    )  # fmt: skip
    figures["suggestion"]["suggested_share"] = round(sum(s is not None for s in with_suggestion) / len(typos[1:]), 3)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--briefs", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200, help="distinct requests of each kind")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--content", type=Path, help="a corpus written before (by --keep)")
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    parser.add_argument("--artifact", type=Path, help="build into this file and keep it (a build of the same "
                        "content by the same code is reused as it is)")  # fmt: skip
    parser.add_argument("--no-build", action="store_true", help="measure --artifact as it is, even if built by "
                        "other code (a code change rebuilds 10,000 briefs from scratch); needs --content")  # fmt: skip
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="briefs-search-bench-") as scratch:
        content = args.content or args.keep or Path(scratch) / "content"
        if args.content is None:
            corpus_gen.write_corpus(content, args.briefs, seed=args.seed)
        artifact = args.artifact or Path(scratch) / "briefs.sqlite"
        if args.no_build and (args.artifact is None or args.content is None):
            parser.error("--no-build needs --artifact and --content")
        build_s = None if args.no_build else round(build(content, artifact), 1)
        result = {
            "briefs": len(list((content / "briefs").glob("*.md"))), "build_s": build_s,
            "artifact_mb": round(artifact.stat().st_size / 2**20, 1),
            **measure(artifact, args.requests, args.seed), "targets_ms": TARGETS_MS, "machine": runinfo.machine(),
        }  # fmt: skip
    for name, target in TARGETS_MS.items():
        result[name]["target_met"] = result[name]["p50_ms"] <= target
    runinfo.save("search", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
