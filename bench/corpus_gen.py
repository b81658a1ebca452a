"""Generated content directories for the benchmarks: briefs shaped like the seed.

Each generated brief keeps the seed's structure: its front matter (with a new
id, title and publication date), its sections, typed blocks, scenarios and
mentions of the seed's entities (``content/entities`` is copied as it is).
Only the prose changes: in each brief, every word of four letters or more (in
the title, the summary, the text and ``title="..."`` attributes) is kept with
probability :data:`KEEP`, else replaced, consistently within that brief, by a
made-up word of a similar length. A query such as ``border demarcation``
therefore matches a share of the briefs rather than every one of them, and the
vocabulary grows with the corpus, as it does in a real one. Markup, ids,
references, numbers and the names the entity files use are left as they are,
so every generated brief is valid.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_ID = "sochi-summit-2021"
SEED = ROOT / "content" / "briefs" / f"{SEED_ID}.md"
ENTITIES_DIR = ROOT / "content" / "entities"
KEEP = 0.25
"""The chance that a prose word of the seed survives in a generated brief."""

_BRACES = re.compile(r"(\{[^{}\n]*\})")
_WORD = re.compile(r"\b[A-Za-z][a-z]{3,}\b")
_TITLE_ATTR = re.compile(r'(title=")([^"]*)(")')
_FRONT_STRING = re.compile(r'^(title|summary): "(.*)"$')
_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "sha", "tre", "pol", "dor", "gan", "ver", "bel")


def read_seed() -> tuple[list[str], str]:
    """The seed brief's front matter lines and its body."""
    _, front, body = SEED.read_text(encoding="utf-8").split("---\n", 2)
    return front.splitlines(), body


def entity_names() -> frozenset[str]:
    """Capitalised words of the entity files (names, places, descriptions): kept as they are."""
    text = " ".join(path.read_text(encoding="utf-8") for path in sorted(ENTITIES_DIR.glob("*.y*ml")))
    return frozenset(re.findall(r"\b[A-Z][a-z]{3,}\b", text))


def made_up_word(rng: random.Random, length: int) -> str:
    """A pronounceable lower-case word of about ``length`` letters that no seed text contains."""
    word = "q"  # no word of the seed starts with q, so a made-up word never collides with a kept one
    while len(word) < length:
        word += rng.choice(_SYLLABLES)
    return word


class _Rewriter:
    """Replaces prose words for one brief, each distinct word always by the same new word."""

    def __init__(self, rng: random.Random, names: frozenset[str]) -> None:
        self.rng = rng
        self.names = names
        self.words: dict[str, str] = {}

    def word(self, match: re.Match[str]) -> str:
        word = match.group(0)
        if word in self.names:
            return word
        key = word.lower()
        if key not in self.words:
            keep = self.rng.random() < KEEP
            self.words[key] = key if keep else made_up_word(self.rng, len(key) + self.rng.randint(-2, 2))
        new = self.words[key]
        return new.capitalize() if word[0].isupper() else new

    def prose(self, text: str) -> str:
        return _WORD.sub(self.word, text)

    def body(self, body: str) -> str:
        """Rewrite prose and block titles; attributes, ids and references stay as they are."""
        parts = _BRACES.split(body)
        for index, part in enumerate(parts):
            if index % 2:
                parts[index] = _TITLE_ATTR.sub(lambda m: m.group(1) + self.prose(m.group(2)) + m.group(3), part)
            else:
                parts[index] = self.prose(part)
        return "".join(parts)


def make_brief(front: list[str], body: str, number: int, rng: random.Random, names: frozenset[str]) -> tuple[str, str]:
    """One generated brief: its id and its Markdown text."""
    brief_id = f"generated-brief-{number:05d}"
    published = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3650))
    rewriter = _Rewriter(rng, names)
    lines = []
    for line in front:
        field = _FRONT_STRING.match(line)
        if line.startswith("id:"):
            lines.append(f"id: {brief_id}")
        elif line.startswith("published:"):
            lines.append(f"published: {published.isoformat()}")
        elif field:
            value = rewriter.prose(json.loads(f'"{field.group(2)}"'))
            if field.group(1) == "title":
                value = f"{value} (No. {number})"
            lines.append(f"{field.group(1)}: {json.dumps(value, ensure_ascii=False)}")
        else:
            lines.append(line)
    return brief_id, "---\n" + "\n".join(lines) + "\n---\n" + rewriter.body(body)


def write_corpus(directory: Path, count: int, seed: int = 0, *, include_seed: bool = True) -> list[str]:
    """Write a content directory of ``count`` briefs and return their ids.

    :param directory: created with ``briefs/`` and ``entities/`` inside; must not exist yet
    :param count: how many briefs in all
    :param seed: the random seed: the same seed writes the same files
    :param include_seed: make the seed brief itself one of them, unchanged (``/v1/briefs/sochi-summit-2021``)
    """
    front, body = read_seed()
    names = entity_names()
    rng = random.Random(seed)
    (directory / "briefs").mkdir(parents=True)
    shutil.copytree(ENTITIES_DIR, directory / "entities")
    ids = []
    if include_seed and count > 0:
        shutil.copyfile(SEED, directory / "briefs" / SEED.name)
        ids.append(SEED_ID)
    for number in range(1, count - len(ids) + 1):
        brief_id, text = make_brief(front, body, number, rng, names)
        (directory / "briefs" / f"{brief_id}.md").write_text(text, encoding="utf-8")
        ids.append(brief_id)
    return ids
