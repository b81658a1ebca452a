"""Citations of search hits, read from the index's tables.

A page of hits may come from twenty briefs. Unpickling each whole would cost
more than the search itself (and even unpickling only the brief's head and the
block cost about 0.2 ms a model), so a citation is made of plain values that
the index keeps: each row's section, span and file lines (``doc_facets``), each
brief's file, SHA-256, revision and version (``doc_pins``), the quoted words
from the brief row's text, and a block's type and id from its own row. The
citation shows exactly as the :class:`~briefs.citations.Citation` that
:func:`briefs.citations.cite_match` makes from the whole brief: a test holds
the two to the same output.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from briefs.citations import CONTEXT_CHARS, PinnedQuote
from briefs.index import HIT_TYPES, unscrub
from briefs.model import SourceLines


class Matched(Protocol):
    """A hit with the place of its match in the brief's text."""

    @property
    def brief_id(self) -> str: ...
    @property
    def match_start(self) -> int | None: ...
    @property
    def match_end(self) -> int | None: ...


_Place = tuple[int, tuple[int, int, str, int, int], tuple[int, int, int, int, int] | None, int, int]
"""The brief's row, the section, the innermost block (if any), and the match's start and end."""


@dataclass(slots=True)
class _Layout:
    """The rows of one brief: its own, its sections' and its blocks' (span, lines, section)."""

    brief_doc: int = -1
    sections: list[tuple[int, int, str, int, int]] = field(default_factory=list)
    """start, end, section id, first and last line, in document order."""
    blocks: list[tuple[int, int, int, int, int]] = field(default_factory=list)
    """start, end, row, first and last line, in document order."""


def cite_hits(conn: sqlite3.Connection, hits: Sequence[Matched]) -> list[PinnedQuote | None]:
    """The citation of each hit's match (None for a hit matched by its title or summary alone)."""
    layouts = _layouts(conn, {hit.brief_id for hit in hits if hit.match_start is not None})
    places: list[_Place | None] = []
    for hit in hits:
        layout = layouts.get(hit.brief_id)
        if hit.match_start is None or hit.match_end is None or layout is None or not layout.sections:
            places.append(None)
            continue
        start, end = hit.match_start, hit.match_end
        # As cite_match: the first section ending at or after the start; the shortest block around the match.
        section = next((s for s in layout.sections if s[1] >= start), layout.sections[-1])
        inside = [b for b in layout.blocks if b[0] <= start and end <= b[1]]
        block = min(inside, key=lambda b: b[1] - b[0]) if inside else None
        places.append((layout.brief_doc, section, block, start, end))
    briefs = _briefs(conn, {place[0] for place in places if place})
    blocks = _blocks(conn, {place[2][2] for place in places if place and place[2]})
    citations: list[PinnedQuote | None] = []
    for hit, place in zip(hits, places, strict=True):
        if place is None:
            citations.append(None)
            continue
        brief_doc, section, block, start, end = place
        text, path, sha256, revision, version = briefs[brief_doc]
        element_type, element_id = blocks[block[2]] if block else (None, None)
        lines = (block[3], block[4]) if block else (section[3], section[4])
        citations.append(PinnedQuote(
            hit.brief_id, section[2], element_id, element_type, start, end,
            text[start:end], text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS],
            SourceLines(path, *lines), version, revision, sha256,
        ))  # fmt: skip
    return citations


def _layouts(conn: sqlite3.Connection, brief_ids: set[str]) -> dict[str, _Layout]:
    layouts: dict[str, _Layout] = defaultdict(_Layout)
    rows = conn.execute(
        "SELECT doc, brief_id, section_id, start, end, line_start, line_end FROM doc_facets "
        "WHERE brief_id IN (SELECT value FROM json_each(?)) ORDER BY doc",  # document order, as the brief lists them
        (json.dumps(sorted(brief_ids)),),
    )
    for doc, brief_id, section_id, start, end, line_start, line_end in rows:
        layout = layouts[brief_id]
        kind = doc % len(HIT_TYPES)
        if kind == 0:
            layout.brief_doc = doc
        elif kind == 1:
            layout.sections.append((start, end, section_id, line_start, line_end))
        else:
            layout.blocks.append((start, end, doc, line_start, line_end))
    return layouts


def _briefs(conn: sqlite3.Connection, docs: set[int]) -> dict[int, tuple[str, str, str, int, int | None]]:
    """Each brief row's text, file, SHA-256, revision and version."""
    # One lookup per row: FTS5 finds a row by "rowid = ?", but would scan for "rowid IN (subquery)".
    found = {}
    for doc in sorted(docs):
        text, path, sha256, revision, version, scrubbed = conn.execute(
            "SELECT docs.text, p.path, p.sha256, p.revision, p.version, p.scrubbed FROM docs, doc_pins p "
            "WHERE docs.rowid = ?1 AND p.doc = ?1", (doc,),
        ).fetchone()  # fmt: skip
        found[doc] = (unscrub(text, scrubbed), path, sha256, revision, version)
    return found


def _blocks(conn: sqlite3.Connection, docs: set[int]) -> dict[int, tuple[str, str]]:
    """Each block row's type and id."""
    return {doc: conn.execute("SELECT type, element_id FROM docs WHERE rowid = ?", (doc,)).fetchone() for doc in docs}
