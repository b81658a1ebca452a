"""Citations of search hits, read from the index's tables.

A page of hits may come from twenty briefs. Unpickling each whole would cost
more than the search itself, so the index keeps what a citation reads: each
row's section, span and file lines (``doc_facets``), and, pickled apart, each
brief without its sections, blocks and mentions, and each block
(``doc_models``). The citation is the one :func:`briefs.citations.cite_match`
makes from the whole brief: a test holds the two to the same result.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from briefs.citations import Citation
from briefs.index import HIT_TYPES, load_model
from briefs.model import Brief, Element


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


def cite_hits(conn: sqlite3.Connection, hits: Sequence[Matched]) -> list[Citation | None]:
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
    wanted = {place[0] for place in places if place} | {place[2][2] for place in places if place and place[2]}
    models = _models(conn, wanted)
    citations: list[Citation | None] = []
    for place in places:
        if place is None:
            citations.append(None)
            continue
        brief_doc, section, block, start, end = place
        brief, element = models[brief_doc], models[block[2]] if block else None
        assert isinstance(brief, Brief) and (element is None or isinstance(element, Element))
        lines = (block[3], block[4]) if block else (section[3], section[4])
        citations.append(Citation(brief, section[2], element, start, end, *lines))
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


def _models(conn: sqlite3.Connection, docs: set[int]) -> dict[int, Brief | Element]:
    rows = conn.execute(
        "SELECT doc, model FROM doc_models WHERE doc IN (SELECT value FROM json_each(?))", (json.dumps(sorted(docs)),)
    )
    return {doc: load_model(model) for doc, model in rows}
