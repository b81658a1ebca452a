"""Citations of search hits, read from the index's tables.

A page of hits may come from twenty briefs. Unpickling each whole would cost
more than the search itself (and even unpickling only the brief's head and the
block cost about 0.2 ms a model), so a citation is made of plain values that
the index keeps: each row's section, span and file lines (``doc_facets``), each
brief's file, SHA-256, revision and version (``doc_pins``), the quoted words
from the brief's text (``brief_bodies``), and a block's type and id from its own row. The
citation shows exactly as the :class:`~briefs.citations.Citation` that
:func:`briefs.citations.cite_match` makes from the whole brief: a test holds
the two to the same output.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Protocol

from briefs.citations import CONTEXT_CHARS, PinnedQuote
from briefs.index import HIT_TYPES, unscrub
from briefs.model import SourceLines
from briefs.textfragment import text_directive


class Matched(Protocol):
    """A hit with the place of its match in the brief's text."""

    @property
    def brief_id(self) -> str: ...
    @property
    def match_start(self) -> int | None: ...
    @property
    def match_end(self) -> int | None: ...


_Place = tuple[int, tuple[str, int, int], tuple[int, int, int] | None, int, int]
"""The brief's row, the section (id, first and last line), the innermost block (row, first and last line;
if any), and the match's start and end."""
_KINDS = len(HIT_TYPES)
_SECTION = f"""
SELECT (SELECT doc FROM doc_facets WHERE brief_id = :brief AND doc % {_KINDS} = 0), section_id, line_start, line_end
FROM doc_facets WHERE brief_id = :brief AND doc % {_KINDS} = 1
ORDER BY end < :start, CASE WHEN end >= :start THEN doc ELSE -doc END LIMIT 1
"""
_BLOCK = f"""
SELECT doc, line_start, line_end FROM doc_facets
WHERE brief_id = :brief AND doc % {_KINDS} >= 2 AND start <= :start AND end >= :end ORDER BY end - start, doc LIMIT 1
"""
_PLACE = f"SELECT * FROM ({_SECTION}) LEFT JOIN ({_BLOCK}) ON 1"
"""Both in one statement: the section's four columns, then the block's three (NULL if the match is in none)."""


def cite_hits(conn: sqlite3.Connection, hits: Sequence[Matched]) -> list[PinnedQuote | None]:
    """The citation of each hit's match (None for a hit matched by its title or summary alone)."""
    places: list[_Place | None] = []
    for hit in hits:
        if hit.match_start is None or hit.match_end is None:
            places.append(None)
            continue
        start, end = hit.match_start, hit.match_end
        # As cite_match: the first section ending at or after the start (else the last); the shortest
        # block around the match (the first in document order among equals). Found by SQLite among the
        # brief's rows: listing them all in Python cost more than the rest of a citation.
        row = conn.execute(_PLACE, {"brief": hit.brief_id, "start": start, "end": end}).fetchone()
        if row is None or row[0] is None:
            places.append(None)
            continue
        places.append((row[0], row[1:4], None if row[4] is None else row[4:], start, end))
    briefs = _briefs(conn, {place[0] for place in places if place})
    blocks = _blocks(conn, {place[2][0] for place in places if place and place[2]})
    citations: list[PinnedQuote | None] = []
    for hit, place in zip(hits, places, strict=True):
        if place is None:
            citations.append(None)
            continue
        brief_doc, section, block, start, end = place
        text, path, sha256, revision, version = briefs[brief_doc]
        element_type, element_id = blocks[block[0]] if block else (None, None)
        lines = (block[1], block[2]) if block else (section[1], section[2])
        citations.append(PinnedQuote(
            hit.brief_id, section[0], element_id, element_type, start, end,
            text[start:end], text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS],
            SourceLines(path, *lines), version, revision, sha256, text_directive(text, start, end),
        ))  # fmt: skip
    return citations


def _briefs(conn: sqlite3.Connection, docs: set[int]) -> dict[int, tuple[str, str, str, int, int | None]]:
    """Each brief row's text, file, SHA-256, revision and version (one statement for the page's briefs)."""
    if not docs:
        return {}
    rows = conn.execute(
        "SELECT b.doc, b.text, p.path, p.sha256, p.revision, p.version, p.scrubbed FROM brief_bodies b "
        "JOIN doc_pins p ON p.doc = b.doc WHERE b.doc IN (SELECT value FROM json_each(?))", (json.dumps(sorted(docs)),),
    )  # fmt: skip
    return {doc: (unscrub(text, scrubbed), *pins) for doc, text, *pins, scrubbed in rows}


def _blocks(conn: sqlite3.Connection, docs: set[int]) -> dict[int, tuple[str, str]]:
    """Each block row's type and id (one statement for the page's blocks)."""
    if not docs:
        return {}
    rows = conn.execute(
        "SELECT rowid, type, element_id FROM docs WHERE rowid IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(docs)),),
    )
    return {doc: (element_type, element_id) for doc, element_type, element_id in rows}
