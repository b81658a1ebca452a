"""The full-text index's tables, and the rows one brief owns in them.

Every brief, section and typed block is one row of the FTS5 table ``docs``
(a scenario is a block of its own). A brief's own row there holds only its
title and summary: its text is already indexed, passage by passage, in its
sections and blocks, and indexing it a second time made the brief rows most of
every search's matches (at 10,000 generated briefs, about 990 of a two-word
query's 1,280), each ranked and snipped over the whole text. The whole brief
(title, summary, text and mentions) is matched in ``brief_text``, an FTS5 index
over ``brief_bodies`` (external content, one row per brief, same rowid as the
brief's row in ``docs``), so that a brief whose words are spread over several
passages is still found (see :mod:`briefs.search` for how it ranks). Beside
them, for filters and facets:

- ``doc_facets``: each row's brief, publication date, section, span in the
  brief's text and file lines, and, for a block, its position among the
  brief's blocks (as the artifact's ``elements`` table numbers them);
- ``doc_refs``: the actors and events each row mentions, with the place of
  the first mention in the brief's text;
- ``doc_actors`` and ``doc_events``: the same pairs as integers (``ref_keys``
  numbers each actor and event), and ``doc_years``: each row's year of
  publication as an integer: narrow tables that the facets of a search read
  for every hit (at 10,000 briefs, about 15,000 (hit, actor) pairs for a
  two-word query; joining and grouping them as strings cost a third more);
- ``doc_actor_bits``: the same actors as one integer per row, bit ``key`` set
  for each actor key up to :data:`MAX_BIT_KEY` (larger keys are left out): the
  actor facet of a search sums these bits over its hits, one addition per
  actor of the catalogue, where grouping the (hit, actor) pairs sorted every
  pair (see :mod:`briefs.facets`);
- ``doc_pins``: for each brief row, what pins a citation of a hit to the
  brief's bytes: its file, SHA-256, revision and version, and where the
  indexed text differs from the brief's (``scrubbed``, JSON ``[[offset,
  character], ...]`` of the sentinels and NULs replaced, NULL if none): the
  quoted words come from the brief's text in ``brief_bodies`` (see
  :mod:`briefs.hit_citations`);
- ``words``: the words of each brief as written (folded, not stemmed), a
  small contentless index whose vocabulary (``words_vocab``) search suggests
  corrections from.

The ``refs`` column of ``docs`` holds one token per entity a row mentions, so
that a query can match a mention whatever words it uses.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from briefs.blocks import BLOCK_TYPES
from briefs.model import Brief, Element, Mention, Mentions, Section, StrategyElement
from briefs.names import ref_token

HIT_TYPES = ("brief", "section", *BLOCK_TYPES)
"""The kinds of search hit: a whole brief, a section, or one of the block types (a new type is a new kind)."""
WEIGHTS = (10.0, 4.0, 1.0, 2.0)
"""bm25() weights of the columns title, summary, text and refs: a passage's own title counts most."""

_SCHEMA = """
CREATE VIRTUAL TABLE docs USING fts5(
    title, summary, text, refs,
    type UNINDEXED, brief_id UNINDEXED, section_id UNINDEXED, element_id UNINDEXED, base UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TABLE brief_bodies(doc INTEGER PRIMARY KEY, brief_id TEXT NOT NULL, title, summary, text, refs);
CREATE VIRTUAL TABLE brief_text USING fts5(
    title, summary, text, refs, content = 'brief_bodies', content_rowid = 'doc',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TABLE doc_facets(
    doc INTEGER PRIMARY KEY, brief_id TEXT NOT NULL, published TEXT NOT NULL, position INTEGER,
    section_id TEXT, start INTEGER NOT NULL, end INTEGER NOT NULL, line_start INTEGER, line_end INTEGER
);
CREATE INDEX doc_facets_by_brief ON doc_facets(brief_id, position);
CREATE TABLE ref_keys(key INTEGER PRIMARY KEY, kind TEXT NOT NULL, entity_id TEXT NOT NULL, UNIQUE(kind, entity_id));
CREATE TABLE doc_actors(doc INTEGER, key INTEGER, PRIMARY KEY(doc, key)) WITHOUT ROWID;
CREATE TABLE doc_events(doc INTEGER, key INTEGER, PRIMARY KEY(doc, key)) WITHOUT ROWID;
CREATE TABLE doc_years(doc INTEGER PRIMARY KEY, year INTEGER NOT NULL);
CREATE TABLE doc_actor_bits(doc INTEGER PRIMARY KEY, bits INTEGER NOT NULL);
CREATE TABLE doc_pins(
    doc INTEGER PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT NOT NULL, revision INTEGER NOT NULL, version INTEGER,
    scrubbed TEXT
);
CREATE TABLE doc_refs(
    doc INTEGER, kind TEXT, entity_id TEXT, start INTEGER, end INTEGER, PRIMARY KEY(doc, kind, entity_id)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE words USING fts5(text, content='', detail=none, tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE words_vocab USING fts5vocab(words, 'row');
"""
# The rowid of a docs row encodes the hit type (rowid % len(HIT_TYPES)), so that ranking and
# filtering every match never reads the stored rows: reading an UNINDEXED column loads the whole
# row, text and all.
_INSERT = (
    "INSERT INTO docs(rowid, title, summary, text, refs, type, brief_id, section_id, element_id, base) VALUES ({})"
)
MAX_BIT_KEY = 62
"""The largest actor key that ``doc_actor_bits`` holds (SQLite's integers are signed 64-bit)."""
OPEN, CLOSE = "\x02", "\x03"
"""Sentinels that highlight() and snippet() put around matches; indexed text never holds them."""
CUT = "\x04"
"""The sentinel snippet() puts where it cut the text."""
_SCRUB = str.maketrans({"\x00": " ", OPEN: " ", CLOSE: " ", CUT: " "})
"""Replaces sentinels (and NUL) in content one for one, so offsets stay valid."""

FTS_HASH_SIZE = 16 * 2**20
"""Bytes of pending terms each full-text table holds in memory during a build (see :func:`create_index`)."""

Row = tuple[str | None, str | None, str | None, str, str, str | None, str | None, int]
"""title, summary, text, type, brief_id, section_id, element_id, base."""
_Ref = tuple[str, str, int | None, int | None]
"""kind, entity id, and the start and end of its first mention in the row (None if it has none)."""

_T = TypeVar("_T", bound=tuple[Any, ...])


def create_index(conn: sqlite3.Connection) -> None:
    """Create the empty tables."""
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)
    for table in ("docs", "brief_text", "words"):
        # FTS5 keeps new terms in memory up to this many bytes, then writes them out as one more segment
        # that later merges rewrite; 1 MiB by default, a segment every forty briefs or so of a build.
        conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', ?)", (FTS_HASH_SIZE,))


@dataclass(frozen=True, slots=True)
class IndexRows:
    """One brief's rows in the index tables, numbered from 0 (rowid first in each row).

    Made by :func:`index_rows` where the brief is parsed (a build's worker process), written by
    :func:`insert_index_rows`, which numbers them on from wherever the index has got to.
    """

    count: int
    """How many numbers the rows take (the brief, its sections and its blocks)."""
    docs: list[tuple[object, ...]]
    bodies: list[tuple[object, ...]]
    """``brief_bodies``: doc, brief id, title, summary, text, refs."""
    facets: list[tuple[object, ...]]
    pins: list[tuple[object, ...]]
    refs: list[tuple[int, str, str, int | None, int | None]]
    """doc, kind, entity id, start and end of the first mention."""
    years: list[tuple[int, int]]
    words: list[tuple[int, str]]


def add_briefs(conn: sqlite3.Connection, briefs: Iterable[Brief], first: int) -> int:
    """Index every brief, section and block; rows are numbered from ``first``. Returns the next free number.

    The rowid encodes the hit type, ``number * len(HIT_TYPES) + type code``; :func:`remove_rows`
    takes a brief's rows out again by their numbers.
    """
    number = first
    for brief in briefs:
        number = insert_index_rows(conn, index_rows(brief), number)
    return number


def index_rows(brief: Brief) -> IndexRows:
    """The rows that index one brief, numbered from 0 (see :func:`add_briefs`)."""
    number = 0
    docs: list[tuple[object, ...]] = []
    bodies: list[tuple[object, ...]] = []
    facets: list[tuple[object, ...]] = []
    pins: list[tuple[object, ...]] = []
    refs: list[tuple[int, str, str, int | None, int | None]] = []
    words: list[tuple[int, str]] = []
    years: list[tuple[int, int]] = []
    published = brief.published.isoformat()
    year = int(published[:4])
    for row, part, position, row_refs in _rows(brief):
        rowid = number * len(HIT_TYPES) + _CODES[row[3]]
        tokens = " ".join(ref_token(ref[1]) for ref in row_refs)
        if row[3] == "brief":
            # The brief's own row: its title and summary; the whole brief goes to brief_text.
            docs.append((rowid, row[0], row[1], None, None, *row[3:]))
            bodies.append((rowid, brief.id, *row[:3], tokens))
            pins.append((rowid, brief.source.path, brief.source.sha256, brief.revision, brief.version,
                         scrubbed_characters(brief.text)))  # fmt: skip
            words.append((rowid, _words_text(*row[:3])))
        else:
            docs.append((rowid, *row[:3], tokens, *row[3:]))
        facets.append((rowid, brief.id, published, position, *_place(brief, part)))
        refs += [(rowid, *ref) for ref in row_refs]
        years.append((rowid, year))
        number += 1
    return IndexRows(number, docs, bodies, facets, pins, refs, years, words)


def insert_index_rows(conn: sqlite3.Connection, rows: IndexRows, first: int) -> int:
    """Write one brief's :class:`IndexRows`, numbered from ``first``. Returns the next free number."""
    by = first * len(HIT_TYPES)
    bodies = _shifted(rows.bodies, by)
    refs = _shifted(rows.refs, by)
    conn.executemany(_INSERT.format(", ".join("?" * 10)), _shifted(rows.docs, by))
    conn.executemany("INSERT INTO brief_bodies VALUES (?, ?, ?, ?, ?, ?)", bodies)
    conn.executemany(
        "INSERT INTO brief_text(rowid, title, summary, text, refs) VALUES (?, ?, ?, ?, ?)",
        [(doc, *columns) for doc, _, *columns in bodies],
    )
    conn.executemany("INSERT INTO doc_facets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", _shifted(rows.facets, by))
    conn.executemany("INSERT INTO doc_pins VALUES (?, ?, ?, ?, ?, ?)", _shifted(rows.pins, by))
    conn.executemany("INSERT INTO doc_refs VALUES (?, ?, ?, ?, ?)", refs)
    # Keys are numbered as entities are first met; a key outlives the rows that used it.
    pairs = sorted({(ref[1], ref[2]) for ref in refs})
    conn.executemany("INSERT OR IGNORE INTO ref_keys(kind, entity_id) VALUES (?, ?)", pairs)
    # Looked up here, then inserted one row a statement, not with INSERT ... SELECT: a statement that may
    # write several rows and fail halfway opens a savepoint, and at a savepoint every FTS5 table writes
    # the rows it holds in memory to a new segment. Done once a brief, that made one segment per brief
    # and table, and merging them cost more than all the rest of indexing.
    keys = {
        pair: conn.execute("SELECT key FROM ref_keys WHERE kind = ? AND entity_id = ?", pair).fetchone()[0]
        for pair in pairs
    }
    for kind in ("actor", "event"):
        conn.executemany(
            f"INSERT INTO doc_{kind}s VALUES (?, ?)", [(ref[0], keys[kind, ref[2]]) for ref in refs if ref[1] == kind]
        )
    bits: dict[int, int] = {}  # doc_actor_bits: each row's actor keys as bits
    for doc, kind, entity_id, *_ in refs:
        key = keys[kind, entity_id]
        if kind == "actor" and key <= MAX_BIT_KEY:
            bits[doc] = bits.get(doc, 0) | 1 << key
    conn.executemany("INSERT INTO doc_actor_bits VALUES (?, ?)", sorted(bits.items()))
    conn.executemany("INSERT INTO doc_years VALUES (?, ?)", _shifted(rows.years, by))
    conn.executemany("INSERT INTO words(rowid, text) VALUES (?, ?)", _shifted(rows.words, by))
    return first + rows.count


_CODES = {name: code for code, name in enumerate(HIT_TYPES)}


def _shifted(rows: list[_T], by: int) -> list[_T]:
    """Rows whose first column (a rowid) is ``by`` more."""
    return [(row[0] + by, *row[1:]) for row in rows] if by else rows  # type: ignore[misc]


def remove_rows(conn: sqlite3.Connection, first: int, end: int) -> None:
    """Take out the rows numbered ``first`` up to ``end`` (exclusive), as :func:`add_briefs` numbered them."""
    low, high = first * len(HIT_TYPES), end * len(HIT_TYPES)
    # A contentless index forgets a row when told the very text it indexed.
    briefs = conn.execute(
        "SELECT doc, title, summary, text, refs FROM brief_bodies WHERE doc >= ? AND doc < ?", (low, high)
    ).fetchall()
    conn.executemany(
        "INSERT INTO words(words, rowid, text) VALUES ('delete', ?, ?)",
        [(rowid, _words_text(title, summary, text)) for rowid, title, summary, text, _ in briefs],
    )
    # An external-content index, too, forgets a row when told the values it indexed.
    conn.executemany(
        "INSERT INTO brief_text(brief_text, rowid, title, summary, text, refs) VALUES ('delete', ?, ?, ?, ?, ?)", briefs
    )
    for table, column in (
        ("docs", "rowid"), ("brief_bodies", "doc"), ("doc_facets", "doc"), ("doc_refs", "doc"), ("doc_pins", "doc"),
        ("doc_actors", "doc"), ("doc_events", "doc"), ("doc_years", "doc"), ("doc_actor_bits", "doc"),
    ):  # fmt: skip
        conn.execute(f"DELETE FROM {table} WHERE {column} >= ? AND {column} < ?", (low, high))


def optimize_index(conn: sqlite3.Connection) -> None:
    """Merge the indexes into one b-tree each: faster searches (run after a bulk load)."""
    conn.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    conn.execute("INSERT INTO brief_text(brief_text) VALUES ('optimize')")
    conn.execute("INSERT INTO words(words) VALUES ('optimize')")


def brief_rows(brief: Brief) -> Iterator[Row]:
    """One row per brief, section and block: indexed columns, then the hit's identity and base offset."""
    for row, *_ in _rows(brief):
        yield row


def _place(brief: Brief, part: Section | Element | None) -> tuple[str | None, int, int, int | None, int | None]:
    """A row's section, span in the brief's text and file lines (no section nor lines for a brief)."""
    if part is None:
        return None, 0, len(brief.text), None, None
    section_id = part.section_id if isinstance(part, Element) else part.id
    return section_id, part.start, part.start + len(part.text), part.source.line_start, part.source.line_end


def _rows(brief: Brief) -> Iterator[tuple[Row, Section | Element | None, int | None, list[_Ref]]]:
    """Each row with its section or block (None for the brief), its block position and the entities it mentions."""
    everything = Mentions(
        tuple(dict.fromkeys(m.ref for m in brief.mentions if m.kind == "actor")),
        tuple(dict.fromkeys([*(m.ref for m in brief.mentions if m.kind == "event"), *brief.about])),
    )
    yield (
        (_scrub(brief.title), _scrub(brief.summary), _scrub(brief.text), "brief", brief.id, None, None, 0),
        None,
        None,
        _refs(brief.mentions, everything, 0, len(brief.text)),
    )
    for s in brief.sections:
        yield (
            (_scrub(s.title), None, _scrub(s.text), "section", brief.id, s.id, None, s.start),
            s,
            None,
            _refs(brief.mentions, s.mentions, s.start, s.start + len(s.text)),
        )
    for position, e in enumerate(brief.elements):
        yield (
            (_scrub(e.title), None, _scrub(e.text), e.type, brief.id, e.section_id, e.id, e.start),
            e,
            position,
            _refs(brief.mentions, _element_mentions(e), e.start, e.start + len(e.text)),
        )


def _element_mentions(element: Element) -> Mentions:
    """What a block mentions; a strategy element also concerns its actor (as ``/v1/elements?actor=`` has it)."""
    mentions = element.mentions
    if isinstance(element, StrategyElement) and element.actor and element.actor not in mentions.actors:
        return Mentions((*mentions.actors, element.actor), mentions.events)
    return mentions


def _refs(spans: tuple[Mention, ...], mentions: Mentions, start: int, end: int) -> list[_Ref]:
    """Each entity mentioned, with its first mention between ``start`` and ``end`` (offsets in the brief's text)."""
    first: dict[str, Mention] = {}
    for span in spans:
        if start <= span.start < end and span.ref not in first:
            first[span.ref] = span
    found = []
    for kind, ids in (("actor", mentions.actors), ("event", mentions.events)):
        for entity_id in ids:
            mention = first.get(entity_id)
            found.append((kind, entity_id, mention.start if mention else None, mention.end if mention else None))
    return found


def _words_text(title: str | None, summary: str | None, text: str | None) -> str:
    return "\n".join(part for part in (title, summary, text) if part)


_SCRUBBED = re.compile("[" + "".join(map(re.escape, map(chr, _SCRUB))) + "]")


def scrubbed_characters(text: str) -> str | None:
    """The characters of ``text`` that the index replaced (JSON ``[[offset, character], ...]``); None if none."""
    found = [[m.start(), m.group()] for m in _SCRUBBED.finditer(text)]
    return json.dumps(found) if found else None


def unscrub(text: str, scrubbed: str | None) -> str:
    """The text as it was before the index replaced what :func:`scrubbed_characters` lists."""
    if scrubbed is None:
        return text
    chars = list(text)
    for offset, character in json.loads(scrubbed):
        chars[offset] = character
    return "".join(chars)


def _scrub(text: str | None) -> str | None:
    # Four replace() calls, not text.translate(_SCRUB): a dict table is looked up character by character
    # (about 2 ms for a 10 kB brief, most of a build's indexing time), while replace() scans in C and
    # returns the very string when it holds none, as nearly every text does.
    if text is None:
        return None
    for character in _SCRUB:
        text = text.replace(chr(character), " ")
    return text
