"""Benchmark the content pipeline on a generated corpus: ``make bench``.

It writes ``--briefs`` variants of the seed brief (new ids, titles and dates,
paragraphs and blocks shuffled within their sections, mentions still naming
the seed's entities) to a temporary content directory, then measures, best
of ``--repeat`` runs:

- ``load_corpus`` on that directory, files and all (target: at most 10 s for
  1,000 briefs);
- markdown-it-py merely tokenising the same texts with the brief parser;
- ``parse_brief`` on the same bytes in memory, and its ratio to tokenising
  (target: at most 2.0).

``--profile`` adds the functions with the most cumulative time in one
in-memory pass. This is a measurement, not a test: it always exits 0.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import json
import pstats
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefs.brief import parse_brief
from briefs.entities import load_entities
from briefs.loader import load_corpus
from briefs.model import Entities
from briefs.syntax import create_parser

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "briefs" / "sochi-summit-2021.md"
ENTITIES_DIR = ROOT / "content" / "entities"
LOAD_TARGET_S = 10.0
RATIO_TARGET = 2.0
_FENCE_OPEN = re.compile(r"(:{3,})[ \t]*\S")
_FENCE_CLOSE = re.compile(r"(:{3,})[ \t]*")
_BLOCK_ID = re.compile(r" #[a-z0-9-]+")


@dataclass(frozen=True, slots=True)
class Seed:
    """The seed brief cut into pieces that can be shuffled."""

    front_matter: list[str]
    """Front matter lines between the ``---`` fences, without id, title and published."""
    title: str
    """The seed's title."""
    lead: list[str]
    """Top-level units (paragraphs and blocks) before the first ``##`` heading."""
    sections: list[tuple[str, list[str]]]
    """Each ``##``/``###`` heading line with its top-level units."""


def read_seed(text: str) -> Seed:
    """Cut the seed brief into front matter, lead units and sections of units."""
    _, front, body = text.split("---\n", 2)
    kept = [line for line in front.splitlines() if not line.startswith(("id:", "title:", "published:"))]
    title = next(line for line in front.splitlines() if line.startswith("title:")).removeprefix("title:")
    sections: list[tuple[str, list[str]]] = [("", [])]
    for unit in split_units(body.split("\n")):
        if unit.startswith("#"):
            sections.append((unit, []))
        else:
            sections[-1][1].append(unit)
    return Seed(kept, json.loads(title.strip()), sections[0][1], sections[1:])


def split_units(lines: list[str]) -> list[str]:
    """Top-level paragraphs, headings and fenced blocks (nested ones stay whole)."""
    units, index = [], 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        end = index + 1
        opening = _FENCE_OPEN.match(line)
        if opening:
            marker = len(opening.group(1))
            while end < len(lines) and not (
                (close := _FENCE_CLOSE.fullmatch(lines[end])) and len(close.group(1)) >= marker
            ):
                end += 1
            end += 1
        elif not line.startswith("#"):
            while end < len(lines) and lines[end].strip() and not _FENCE_OPEN.match(lines[end]):
                end += 1
        units.append("\n".join(lines[index:end]))
        index = end
    return units


def make_brief(seed: Seed, number: int, rng: random.Random) -> tuple[str, str]:
    """One variant of the seed: its id and its text."""
    brief_id = f"brief-{number:05d}"
    published = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3650))
    title = f"{seed.title} ({rng.choice(['update', 'revisited', 'part', 'note'])} {number})"
    front = [f"id: {brief_id}", f"title: {json.dumps(title, ensure_ascii=False)}", f"published: {published}"]
    if rng.random() < 0.3:
        front.append(f"updated: {published + dt.timedelta(days=rng.randrange(1, 60))}")
    auto_ids = rng.random() < 0.5
    units = list(seed.lead)
    sections = list(seed.sections)
    rng.shuffle(sections)
    for heading, body in sections:
        shuffled = list(body)
        rng.shuffle(shuffled)
        units.extend([heading, *shuffled])
    if auto_ids:
        units = [_BLOCK_ID.sub("", unit) if unit.startswith(":") else unit for unit in units]
    text = "---\n" + "\n".join(front + seed.front_matter) + "\n---\n\n" + "\n\n".join(units) + "\n"
    return brief_id, text


def write_corpus(directory: Path, count: int, rng_seed: int) -> list[tuple[str, bytes]]:
    """Write ``count`` briefs and the seed's entity files; returns each brief's path and bytes."""
    seed = read_seed(SEED.read_text(encoding="utf-8"))
    rng = random.Random(rng_seed)
    (directory / "briefs").mkdir(parents=True)
    shutil.copytree(ENTITIES_DIR, directory / "entities")
    files = []
    for number in range(1, count + 1):
        brief_id, text = make_brief(seed, number, rng)
        data = text.encode("utf-8")
        (directory / "briefs" / f"{brief_id}.md").write_bytes(data)
        files.append((f"briefs/{brief_id}.md", data))
    return files


def best_of(repeat: int, runs: dict[str, Callable[[], object]]) -> dict[str, float]:
    """The shortest wall-clock time of each run, in seconds, over ``repeat`` rounds.

    Each round runs every measurement once, in turn, so that a slow spell of
    the machine weighs on all of them alike rather than on one.
    """
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            gc.collect()
            started = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def tokenise_all(texts: list[str]) -> int:
    """Tokenise every text with the brief parser, keeping nothing; returns the token count."""
    parser = create_parser()
    return sum(len(parser.parse(text)) for text in texts)


def parse_all(files: list[tuple[str, bytes]], entities: Entities) -> int:
    """Parse every brief in memory; returns how many had errors."""
    return sum(1 for path, data in files if parse_brief(data, entities, path).errors)


def print_profile(files: list[tuple[str, bytes]], entities: Entities, top: int) -> None:
    """The functions with the most cumulative time in one in-memory pass."""
    profile = cProfile.Profile()
    profile.runcall(parse_all, files, entities)
    print(f"\nProfile of one in-memory parse_brief pass, top {top} by cumulative time:")
    stats = pstats.Stats(profile, stream=sys.stdout)
    own = []
    for name, entry in stats.get_stats_profile().func_profiles.items():
        file = Path(entry.file_name)
        if file.parent.name == "corpus" and file.parent.parent.name == "api":
            shown = f"briefs/{file.name}:{entry.line_number}({name})"
            own.append((entry.cumtime, entry.tottime, entry.ncalls, shown))
    print(f"{'cumulative s':>12}{'own s':>8}{'calls':>10}  briefs function")
    for cumulative, total, calls, where in sorted(own, reverse=True)[:top]:
        print(f"{cumulative:>12.3f}{total:>8.3f}{calls:>10}  {where}")
    print()
    stats.strip_dirs().sort_stats(pstats.SortKey.CUMULATIVE).print_stats(top)


def verdict(value: float, target: float) -> str:
    """``ok`` or ``OVER`` against an upper target."""
    return "ok" if value <= target else "OVER"


def print_table(briefs: int, megabytes: float, load_s: float, tokenise_s: float, parse_s: float) -> None:
    """The measurements, with throughput and targets."""
    print(f"{'measurement':<40}{'time s':>9}{'briefs/s':>11}{'MB/s':>8}  target")
    rows = (
        ("(a) load_corpus (read files + parse)", load_s, f"<= {LOAD_TARGET_S:g} s  {verdict(load_s, LOAD_TARGET_S)}"),
        ("(b) markdown-it tokenise only", tokenise_s, ""),
        ("    parse_brief in memory", parse_s, ""),
    )
    for name, seconds, target in rows:
        print(f"{name:<40}{seconds:>9.3f}{briefs / seconds:>11.1f}{megabytes / seconds:>8.2f}  {target}")
    ratio = parse_s / tokenise_s
    target = f"<= {RATIO_TARGET:g}  {verdict(ratio, RATIO_TARGET)}"
    print(f"{'(c) ratio parse_brief / tokenise':<40}{ratio:>9.3f}{'':>19}  {target}")


def read_entities(content: Path) -> Entities:
    """The entities of a content directory, as the loader reads them."""
    files = [(str(path), path.read_text(encoding="utf-8")) for path in sorted((content / "entities").glob("*.y*ml"))]
    return load_entities(files)[0]


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus, measure, print the table; always 0."""
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--briefs", type=int, default=1000, metavar="N", help="briefs to generate (default 1000)")
    options.add_argument("--repeat", type=int, default=3, metavar="K", help="rounds of measurements; best kept")
    options.add_argument("--seed", type=int, default=0, help="random seed of the generated corpus")
    options.add_argument("--profile", action="store_true", help="print the top cumulative functions (cProfile)")
    options.add_argument("--top", type=int, default=30, help="rows of the profile (default 30)")
    args = options.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="briefs-bench-") as tmp:
        content = Path(tmp) / "content"
        files = write_corpus(content, args.briefs, args.seed)
        corpus = load_corpus(content)
        entities = read_entities(content)
        texts = [data.decode("utf-8") for _, data in files]
        best = best_of(
            args.repeat,
            {
                "load": lambda: load_corpus(content),
                "tokenise": lambda: tokenise_all(texts),
                "parse": lambda: parse_all(files, entities),
            },
        )
        megabytes = sum(len(data) for _, data in files) / 1e6
        print(f"Briefs API parse benchmark: {args.briefs} briefs, {megabytes:.2f} MB, best of {args.repeat}")
        print(f"generated corpus: {len(corpus.briefs)} valid briefs, {len(corpus.errors)} errors")
        for error in corpus.errors[:5]:
            print(f"  {error}")
        print()
        print_table(args.briefs, megabytes, best["load"], best["tokenise"], best["parse"])
        if args.profile:
            print_profile(files, entities, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
