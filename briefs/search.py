"""Full-text search over briefs, sections and typed blocks.

What ``q`` accepts
------------------

Every brief (its title, summary and text), every section (its heading and
text) and every typed block (its title and text; a scenario is a block of its
own) is a hit of its own. Matching ignores case and diacritics ("zurich"
finds "Zürich") and compares English word stems ("negotiating" finds
"negotiations").

- **Plain words**, such as ``border demarcation``, find every hit that
  contains *any* of the words. Hits containing the words as an exact phrase,
  in order, come first; then hits containing all the words; then the rest.
  Within each group the most relevant hits (BM25; a title counts more than a
  summary, and a summary more than the text) come first. Punctuation inside a
  plain word is safe: ``don't`` and ``Armenian-Azerbaijani`` are searched as
  written.
- **FTS5 query syntax** is used as written and ordered by relevance alone as
  soon as ``q`` contains a double quote, a parenthesis, ``*``, ``:`` or ``^``,
  a word starting with ``-``, or one of the upper-case operators ``AND``,
  ``OR``, ``NOT`` and ``NEAR``: ``"exact phrase"``, ``diplom*``,
  ``russia NOT eu``, ``NEAR(border demarcation, 5)``, ``(sochi OR brussels) AND meeting``,
  and the column filters ``title:``, ``summary:`` and ``text:``
  (``title:diplomacy``); see https://www.sqlite.org/fts5.html#full_text_query_syntax.
  A prefix matches the start of a word's stem: ``negoti*`` finds "negotiate"
  and "negotiations", ``negotiat*`` finds nothing.

A query with no word in it, or one that FTS5 cannot parse, is rejected as a
syntax error. Each hit carries a snippet of its text with the matched words
marked, and the offsets of its first match in the brief's plain text.
"""

from __future__ import annotations

import html
import json
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from briefs.model import Brief

if TYPE_CHECKING:
    from briefs.loader import Corpus

# One SQLite FTS5 table holds every hit. It lives in the artifact that `briefs build` writes;
# each thread of each process searches its own read-only connection, because SQLite
# connections must not cross fork().
HIT_TYPES = ("brief", "section", "factor", "expectation", "scenario", "strategy-element")
"""The kinds of search hit: a whole brief, a section, or one of the block types."""

_SCHEMA = """
CREATE VIRTUAL TABLE docs USING fts5(
    title, summary, text,
    type UNINDEXED, brief_id UNINDEXED, section_id UNINDEXED, element_id UNINDEXED, base UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2'
)
"""
_INSERT = "INSERT INTO docs(rowid, title, summary, text, type, brief_id, section_id, element_id, base) VALUES ({})"
# The rowid encodes the hit type (rowid % len(HIT_TYPES)), so that ranking and filtering every
# match never reads the stored rows: reading an UNINDEXED column loads the whole row, text and all.
# Weights of title, summary and text in bm25(); lower bm25 is better, so the score negates it.
_DETAILS = """
SELECT rowid, type, brief_id, section_id, element_id, title, base,
       highlight(docs, 2, :open, :close),
       snippet(docs, 2, :open, :close, '…', :tokens),
       snippet(docs, -1, :open, :close, '…', :tokens)
FROM docs WHERE docs MATCH :match AND rowid IN (SELECT value FROM json_each(:rowids))
"""
_OPEN, _CLOSE = "\x02", "\x03"
"""Sentinels that highlight() and snippet() put around matches; content never holds them."""
_SCRUB = str.maketrans({"\x00": " ", _OPEN: " ", _CLOSE: " "})
"""Replaces sentinels (and NUL) in content one for one, so offsets stay valid."""
_SNIPPET_TOKENS = 24
_FTS_CHARS = re.compile(r'["()*:^]')
_FTS_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
_WORD = re.compile(r"[^\W_]")
_SYNTAX_HELP = (
    'Search with plain words, or with FTS5 syntax: "exact phrase", prefix*, AND, OR, NOT, NEAR(a b), '
    "parentheses and the column filters title:, summary: and text:; put a word with punctuation in double quotes."
)


_Row = tuple[str | None, str | None, str | None, str, str, str | None, str | None, int]
"""title, summary, text, type, brief_id, section_id, element_id, base."""


class SearchSyntaxError(ValueError):
    """A query FTS5 cannot parse; the message explains the query syntax to an API user."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One brief, section or block that matches a query."""

    type: str
    """One of :data:`HIT_TYPES`."""
    brief_id: str
    """The brief that holds the hit."""
    section_id: str | None
    """The section that holds the hit; None for a brief hit."""
    element_id: str | None
    """The block's id; None for brief and section hits."""
    title: str | None
    """The brief title, section heading or block title."""
    snippet: str
    """HTML-escaped text around the best match, matches in ``<mark>``, cut text marked with "…"."""
    score: float
    """Relevance (negated BM25): higher is better."""
    match_start: int | None
    """Offset in :attr:`Brief.text` of the first match in the hit's text; None if only a title matched."""
    match_end: int | None
    """Offset in :attr:`Brief.text` just past that match."""


@dataclass(frozen=True, slots=True)
class _Query:
    """A query translated for FTS5."""

    match: str
    """The expression that selects and ranks hits."""
    tiers: tuple[str, ...] = ()
    """Expressions whose hits rank first, in order, ahead of the rest."""
    highlight: str = ""
    """The expression for highlights and snippets, if not :attr:`match`."""


class _Local(threading.local):
    pid: int = -1
    conn: sqlite3.Connection | None = None


Connect = Callable[[], sqlite3.Connection]
"""Opens a new read-only connection to a database."""


class ThreadConnections:
    """One connection per thread, opened anew in a forked child: SQLite connections must not cross fork()."""

    def __init__(self, connect: Connect) -> None:
        self._connect = connect
        self._local = _Local()
        self._inherited: list[sqlite3.Connection] = []

    def get(self) -> sqlite3.Connection:
        """This thread's connection."""
        local = self._local
        if local.conn is None or local.pid != os.getpid():
            if local.conn is not None:
                # One inherited from the parent is neither used nor closed, only kept from the garbage collector.
                self._inherited.append(local.conn)
            local.conn = self._connect()
            local.pid = os.getpid()
        return local.conn

    def close(self) -> None:
        """Close this thread's connection (others close when collected)."""
        if self._local.conn is not None and self._local.pid == os.getpid():
            self._local.conn.close()
            self._local.conn = None


class SearchIndex:
    """A full-text index: the ``docs`` table of a database, only searched here.

    :param corpus: A corpus to index in memory (each thread of each process then
        searches its own copy); the served index is the one inside the artifact,
        opened with :meth:`over`.
    """

    def __init__(self, corpus: Corpus | None = None, *, connections: ThreadConnections | None = None) -> None:
        if connections is None:
            conn = sqlite3.connect(":memory:")
            try:
                create_index(conn)
                add_briefs(conn, corpus.briefs.values() if corpus else (), 0)
                optimize_index(conn)
                conn.commit()
                image = conn.serialize()
            finally:
                conn.close()
            connections = ThreadConnections(partial(_deserialize, image))
        self._connections = connections

    @classmethod
    def over(cls, connections: ThreadConnections) -> SearchIndex:
        """The index held by the database of these connections."""
        return cls(connections=connections)

    def search(
        self, q: str, *, types: frozenset[str] | None = None, limit: int = 20, offset: int = 0
    ) -> tuple[int, list[SearchHit]]:
        """Total number of hits and one page of them, best first.

        :param q: The query; see this module's documentation.
        :param types: Only hits of these :data:`HIT_TYPES`; all types if None.
        :param limit: At most this many hits on the page.
        :param offset: Hits to skip before the page.
        :raises SearchSyntaxError: If ``q`` has no word or FTS5 cannot parse it.
        :raises ValueError: If ``limit`` or ``offset`` is negative.
        """
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must not be negative")
        query = _translate(q)
        conn = self._connections.get()
        try:
            total, page = _rank(conn, query, types, limit, offset)
            hits = _details(conn, query, page) if page else []
        except sqlite3.Error as exc:
            raise SearchSyntaxError(_explain(exc)) from exc
        return total, hits


def _deserialize(image: bytes) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.deserialize(image)
    conn.execute("PRAGMA query_only = ON")
    return conn


def create_index(conn: sqlite3.Connection) -> None:
    """Create the empty ``docs`` table."""
    conn.execute(_SCHEMA)


def add_briefs(conn: sqlite3.Connection, briefs: Iterable[Brief], first: int) -> int:
    """Index every brief, section and block; rows are numbered from ``first``. Returns the next free number.

    The rowid encodes the hit type, ``number * len(HIT_TYPES) + type code``; :func:`remove_rows`
    takes a brief's rows out again by their numbers.
    """
    codes = {name: code for code, name in enumerate(HIT_TYPES)}
    number = first
    rows = []
    for brief in briefs:
        for row in brief_rows(brief):
            rows.append((number * len(HIT_TYPES) + codes[row[3]], *row))
            number += 1
    conn.executemany(_INSERT.format(", ".join("?" * 9)), rows)
    return number


def remove_rows(conn: sqlite3.Connection, first: int, end: int) -> None:
    """Take out the rows numbered ``first`` up to ``end`` (exclusive), as :func:`add_briefs` numbered them."""
    conn.execute("DELETE FROM docs WHERE rowid >= ? AND rowid < ?", (first * len(HIT_TYPES), end * len(HIT_TYPES)))


def optimize_index(conn: sqlite3.Connection) -> None:
    """Merge the index into one b-tree: faster searches (run after a bulk load)."""
    conn.execute("INSERT INTO docs(docs) VALUES ('optimize')")


def brief_rows(brief: Brief) -> Iterator[_Row]:
    """One row per brief, section and block: indexed columns, then the hit's identity and base offset."""
    yield (_scrub(brief.title), _scrub(brief.summary), _scrub(brief.text), "brief", brief.id, None, None, 0)
    for s in brief.sections:
        yield (_scrub(s.title), None, _scrub(s.text), "section", brief.id, s.id, None, s.start)
    for e in brief.elements:
        yield (_scrub(e.title), None, _scrub(e.text), e.type, brief.id, e.section_id, e.id, e.start)


def _scrub(text: str | None) -> str | None:
    return None if text is None else text.translate(_SCRUB)


def _translate(q: str) -> _Query:
    """Check ``q`` and turn it into FTS5 expressions."""
    if "\x00" in q:
        raise SearchSyntaxError(f"q must not contain NUL characters. {_SYNTAX_HELP}")
    try:
        q.encode("utf-8")
    except UnicodeEncodeError:
        raise SearchSyntaxError(f"q must be valid Unicode text. {_SYNTAX_HELP}") from None
    words = q.split()
    if not words:
        raise SearchSyntaxError(f"q must contain at least one word. {_SYNTAX_HELP}")
    if q.lstrip().startswith("*"):
        # FTS5 reads a leading "*" as one of its internal "special queries".
        raise SearchSyntaxError(f"q must not start with *; * marks a prefix, as in diplom*. {_SYNTAX_HELP}")
    if any(_FTS_CHARS.search(w) or w.startswith("-") or w in _FTS_OPERATORS for w in words):
        return _Query(q)
    return _plain_query(words)


def _plain_query(words: list[str]) -> _Query:
    """Any of the words; the exact phrase first, then all the words."""
    quoted = [_quote(w) for w in words if _WORD.search(w)]
    if not quoted:
        raise SearchSyntaxError(f"q must contain at least one word. {_SYNTAX_HELP}")
    any_word = " OR ".join(quoted)
    if len(quoted) == 1:
        return _Query(any_word)
    phrase = _quote(" ".join(w for w in words if _WORD.search(w)))
    return _Query(any_word, (phrase, " AND ".join(quoted)), f"{phrase} OR {any_word}")


def _quote(text: str) -> str:
    """An FTS5 string: double quotes around, inner double quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def _rank(
    conn: sqlite3.Connection, query: _Query, types: frozenset[str] | None, limit: int, offset: int
) -> tuple[int, list[tuple[int, float]]]:
    """The number of hits, and the rowids and scores of one page of them, best first.

    Scoring, tiers and sorting all run inside SQLite: only the page comes back to Python.
    """
    where = "docs MATCH :match"
    if types is not None:
        codes = ", ".join(str(code) for code, name in enumerate(HIT_TYPES) if name in types) or "-1"
        where += f" AND (rowid % {len(HIT_TYPES)}) IN ({codes})"
    params: dict[str, object] = {"match": query.match, "limit": limit, "offset": offset}
    (total,) = conn.execute(f"SELECT count(*) FROM docs WHERE {where}", params).fetchone()
    if total == 0 or limit == 0:
        return total, []
    tiers = []
    for number, expression in enumerate(query.tiers):
        params[f"tier{number}"] = expression
        tiers.append(f"WHEN rowid IN (SELECT rowid FROM docs WHERE docs MATCH :tier{number}) THEN {number}")
    tier = f"CASE {' '.join(tiers)} ELSE {len(query.tiers)} END" if tiers else "0"
    sql = (
        f"SELECT rowid, -bm25(docs, 10.0, 4.0, 1.0) AS score, {tier} AS tier FROM docs WHERE {where} "
        "ORDER BY tier, score DESC, rowid LIMIT :limit OFFSET :offset"
    )
    return total, [(rowid, score) for rowid, score, _ in conn.execute(sql, params)]


def _details(conn: sqlite3.Connection, query: _Query, page: list[tuple[int, float]]) -> list[SearchHit]:
    """Hits for one page of ranked rowids, in the page's order."""
    params = {
        "open": _OPEN,
        "close": _CLOSE,
        "tokens": _SNIPPET_TOKENS,
        "match": query.highlight or query.match,
        "rowids": json.dumps([rowid for rowid, _ in page]),
    }
    rows = {row[0]: row for row in conn.execute(_DETAILS, params)}
    return [_hit(rows[rowid], score) for rowid, score in page if rowid in rows]


def _hit(row: tuple[object, ...], score: float) -> SearchHit:
    _, type_, brief_id, section_id, element_id, title, base, highlighted, text_snippet, best_snippet = row
    assert isinstance(highlighted, str | None) and isinstance(base, int)
    start = (highlighted or "").find(_OPEN)
    end = (highlighted or "").find(_CLOSE, start)
    snippet = str(text_snippet) if _OPEN in str(text_snippet) else str(best_snippet or "")
    return SearchHit(
        type=str(type_),
        brief_id=str(brief_id),
        section_id=None if section_id is None else str(section_id),
        element_id=None if element_id is None else str(element_id),
        title=None if title is None else str(title),
        snippet=_mark(snippet),
        score=score,
        match_start=base + start if start >= 0 else None,
        # The end in the highlighted text counts the opening sentinel once.
        match_end=base + end - 1 if start >= 0 and end >= 0 else None,
    )


def _mark(snippet: str) -> str:
    """Escape a snippet for HTML and turn its sentinels into ``<mark>`` elements."""
    return html.escape(snippet).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")


def _explain(exc: sqlite3.Error) -> str:
    detail = str(exc).removeprefix("fts5: ")
    if len(detail) > 60:
        detail = detail[:60] + "…"
    return f"q is not a valid search ({detail}). {_SYNTAX_HELP}"
