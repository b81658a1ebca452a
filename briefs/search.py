"""Full-text search over briefs, sections and typed blocks.

Every brief (its title, summary and text), every section (its heading and text)
and every typed block (its title and text; a scenario is a block of its own) is
a hit of its own. Matching ignores case and diacritics ("zurich" finds
"Zürich") and compares English word stems ("negotiating" finds "negotiations").
What ``q`` accepts is described in :mod:`briefs.query`; ``q`` never fails.

Ranking, best first: hits that contain the plain words as an exact phrase; then
hits that mention every actor or event the query names; then the rest. Within
each tier, BM25 relevance, where a passage's own title counts most, then a
summary, then the text, then its mentions. A brief's own row in the index holds
only its title and summary (see :mod:`briefs.index`): a brief ranks among the
passages by those (scaled by :data:`BRIEF_ROW_WEIGHT`), and a brief found only
as a whole (its text or mentions match, its title and summary do not: words
spread over several sections, say) comes after every other hit, by the BM25 of
its whole text, computed only when a page reaches those hits. FTS5 syntax is
ranked by relevance alone (briefs found as a whole still last). Each hit carries
a snippet of its text with the matched words marked, and the offsets of its
first match (or of its first mention of a named entity) in the brief's plain
text. A misspelt word gets a suggestion: see :mod:`briefs.suggest`.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from briefs import query as reading_
from briefs.citations import PinnedQuote
from briefs.connections import ClosingConnection, Connect, ThreadConnections
from briefs.expressions import REFS_COLUMN, read_words
from briefs.facets import BIT_ACTORS, Facet, facet_names, facet_sql, read_facets
from briefs.hit_citations import cite_hits
from briefs.index import (
    CLOSE,
    CUT,
    HIT_TYPES,
    MAX_BIT_KEY,
    OPEN,
    WEIGHTS,
    IndexRows,
    add_briefs,
    brief_rows,
    create_index,
    index_rows,
    insert_index_rows,
    optimize_index,
    remove_rows,
)
from briefs.model import Entities
from briefs.names import EntityNames, ref_token
from briefs.query import Reading
from briefs.suggest import Suggester, Suggestion
from briefs.words import fold

if TYPE_CHECKING:
    from briefs.loader import Corpus

__all__ = [
    "HIT_TYPES", "IndexRows", "Reading", "SearchFilters", "SearchHit", "SearchIndex", "SearchResult", "Suggestion",
    "add_briefs", "brief_rows", "create_index", "index_rows", "insert_index_rows", "optimize_index", "remove_rows",
]  # fmt: skip

_DETAILS = """
SELECT rowid, type, brief_id, section_id, element_id, title, base, text,
       snippet(docs, 2, :open, :close, :cut, :tokens)
FROM docs WHERE docs MATCH :match AND rowid IN (SELECT value FROM json_each(:rowids))
"""
_BRIEF_DETAILS = """
SELECT b.doc, 'brief', b.brief_id, NULL, NULL, b.title, 0, b.text,
       snippet(brief_text, 2, :open, :close, :cut, :tokens)
FROM brief_text CROSS JOIN brief_bodies b ON b.doc = brief_text.rowid
WHERE brief_text MATCH :match AND +brief_text.rowid IN (SELECT value FROM json_each(:rowids))
"""
_MARKS = """
SELECT highlight({table}, 0, :open, :close), snippet({table}, 1, :open, :close, :cut, :tokens)
FROM {table} WHERE {table} MATCH :match AND rowid = :rowid
"""
"""The title highlighted and a snippet of the summary, for a hit whose text shows no match (each costs a pass
over the row's words, so they are asked for only then; by rowid, FTS5 seeks that one row)."""
# In docs, "rowid IN": FTS5 evaluates the query once per row of the page, seeking to that row in each
# term's list of rows (at 10,000 briefs, 1.15 against 1.48 ms a page, p50, and no long tail for common
# words). In brief_text, "+rowid": the page's rows are picked from one pass over the matches (equal there:
# about 700 matches a query).
_CUT = CUT
"""What snippet() puts where it cut the text, turned into "…" (a sentinel, so that the text's own "…" stays)."""
_SNIPPET_TOKENS = 24
MAX_COMPLETIONS = 64
"""Written words a prefix query also searches for, at most (the stem prefix is always searched)."""
_WORDS = re.compile(r"\S+")
_QUOTED = re.compile(r'"(?:[^"]|"")*"')
_NOT = re.compile(r"\bNOT\b")
_NEXT_MARK = re.compile(rf"[\s-]*{OPEN}")
"""The next marked words, if only spaces or hyphens stand between them and the last (after its closing mark)."""
BRIEF_ROW_WEIGHT = 0.5
"""What a brief's own row (its title and summary) scores, as a share of its BM25: a short row that stands
for a whole brief would otherwise outrank the passage that treats the query (at 1, the brief outranked
the section "Border demarcation" for "border demarcation")."""


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
    """Offset in :attr:`Brief.text` of the first words the snippet marks (or of the first mention of a named
    entity, for a hit found through it); None if only a title or summary matched."""
    match_end: int | None
    """Offset in :attr:`Brief.text` just past them."""


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """What hits must be, besides matching the query."""

    types: frozenset[str] | None = None
    """Only hits of these :data:`HIT_TYPES`; all types if None."""
    brief: str | None = None
    """Only hits in this brief."""
    actor: str | None = None
    """Only hits that mention this actor."""
    event: str | None = None
    """Only hits that mention this event."""
    published_from: dt.date | None = None
    """Only hits in briefs published on or after this day."""
    published_to: dt.date | None = None
    """Only hits in briefs published on or before this day."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One page of hits and what the search made of the query."""

    total: int
    """Hits in all."""
    hits: list[SearchHit]
    """The page, best first."""
    reading: Reading
    """The query as read."""
    suggestion: Suggestion | None = None
    """A spelling that finds hits, when a word of the query is in no brief."""
    facets: dict[str, Facet] | None = None
    """The facets asked for, counted over every hit (None if none were asked for)."""


@dataclass(frozen=True, slots=True)
class Selection:
    """The hits of a query as SQL, each part a ``FROM ... WHERE ...`` clause (None when the filters leave
    nothing of that kind):

    - ``ranked`` (``SELECT docs.rowid {ranked}``): the passages, and the briefs whose own row (title and
      summary) matches while the whole brief does too; ranked together;
    - ``briefs`` (``SELECT brief_text.rowid {briefs}``): every brief hit, matched as a whole;
    - ``whole``: those of ``briefs`` that are not ranked (found by their text or mentions alone), ranked after.

    The hits are the passages of ``ranked`` and the briefs of ``briefs``.
    """

    ranked: str | None
    briefs: str | None
    whole: str | None
    passages: str | None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def hits(self) -> str:
        """Every hit's rowid, as the column ``doc``."""
        parts = [f"SELECT docs.rowid AS doc {self.passages}"] if self.passages else []
        parts += [f"SELECT brief_text.rowid AS doc {self.briefs}"] if self.briefs else []
        return " UNION ALL ".join(parts)

    def count(self, conn: sqlite3.Connection) -> tuple[int, int]:
        """The number of ranked hits and of whole-brief hits (briefs matched but not ranked)."""
        ranked = own = briefs = 0
        if self.ranked:
            ranked, own = conn.execute(
                f"SELECT count(*), count(*) FILTER (WHERE docs.rowid % {len(HIT_TYPES)} = 0) {self.ranked}",
                self.params,
            ).fetchone()
        if self.briefs:
            (briefs,) = conn.execute(f"SELECT count(*) {self.briefs}", self.params).fetchone()
        return int(ranked), int(briefs) - int(own or 0)

    def tally(
        self, conn: sqlite3.Connection, names: Sequence[str], actor_bits: Sequence[int] = ()
    ) -> tuple[tuple[int, int], dict[str, Facet]]:
        """:meth:`count` and the facets ``names`` of every hit, in one statement: the matches are found once,
        into a materialised table that both the counts and each facet read (counting first and faceting
        after ran every full-text query twice). ``actor_bits``: see :func:`briefs.facets.facet_sql`."""
        wanted = facet_names(names)
        kinds = len(HIT_TYPES)
        found = f"SELECT docs.rowid AS doc, 0 AS part {self.ranked}"
        if self.briefs:
            found += f" UNION ALL SELECT brief_text.rowid, 1 {self.briefs}"
        # The hits: the passages of the ranked rows (not the briefs' own rows), and every brief matched whole.
        ctes = [f"found AS MATERIALIZED ({found})",
                f"sel AS (SELECT doc FROM found WHERE part = 1 OR doc % {kinds} != 0)"]  # fmt: skip
        counted = (
            f"SELECT NULL, count(*) FILTER (WHERE part = 0), count(*) FILTER (WHERE part = 0 AND doc % {kinds} = 0), "
            "count(*) FILTER (WHERE part = 1) FROM found"
        )
        if wanted:
            facet_ctes, facet_rows = facet_sql("hits", wanted, actor_bits)
            ctes.append(facet_ctes)
            counted += f" UNION ALL {facet_rows}"
        rows = conn.execute(f"WITH {', '.join(ctes)} {counted}", self.params)
        _, ranked, own, briefs = next(rows)
        return (int(ranked), int(briefs) - int(own)), read_facets(wanted, rows)


class SearchIndex:
    """A full-text index: the tables of :mod:`briefs.index` in a database, only searched here.

    :param corpus: A corpus to index in memory (each thread of each process then
        searches its own copy); the served index is the one inside the artifact,
        opened with :meth:`over`.
    :param entities: The actors and events whose names and aliases queries may use
        (those of ``corpus`` when it is given).
    """

    def __init__(
        self, corpus: Corpus | None = None, *, connect: Connect | None = None, entities: Entities | None = None
    ) -> None:
        if connect is None:
            conn = sqlite3.connect(":memory:")
            try:
                create_index(conn)
                add_briefs(conn, corpus.briefs.values() if corpus else (), 0)
                optimize_index(conn)
                conn.commit()
                image = conn.serialize()
            finally:
                conn.close()
            connect = partial(_deserialize, image)
        self._connections = ThreadConnections(connect)
        self.names = EntityNames(entities if entities is not None else (corpus.entities if corpus else None))
        """Every name and alias a query may use."""
        self._suggester = Suggester(self._connection, self.names)
        self._bits: tuple[int, ...] | None = None

    @classmethod
    def over(cls, connect: Connect, entities: Entities | None = None) -> SearchIndex:
        """The index held by the database that ``connect`` opens."""
        return cls(connect=connect, entities=entities)

    # -- reading the query -----------------------------------------------------------

    def read(self, q: str) -> Reading:
        """The query as read (see :mod:`briefs.query`): never an error."""
        text, dropped = reading_.clean(q)
        notes: tuple[str, ...] = ()
        if reading_.looks_like_fts5(text):
            problem = self._fts5_problem(text)
            if problem is None:
                return Reading(text.strip(), reading_.SYNTAX_FTS5, text, dropped=dropped)
            notes = (f"Read as words: it is not valid FTS5 syntax ({_explain(problem)}).",)
            text = reading_.without_fts5_operators(text)
        elif reading_.INFIX_NEAR.search(text):
            # "Sochi NEAR Brussels" is no FTS5 syntax: NEAR would be a word that every hit must contain.
            notes = ("Read as words without NEAR: FTS5's NEAR takes its words in parentheses, as in NEAR(a b, 10).",)
            text = reading_.INFIX_NEAR.sub(" ", text)
        groups = reading_.resolve(reading_.parse(text), self.names)
        return read_words(groups, dropped, notes, self._completions)

    def _completions(self, prefix: str) -> list[str]:
        """Up to :data:`MAX_COMPLETIONS` written words of the briefs that start with ``prefix``."""
        start = fold(prefix)
        found: list[str] = []
        rows = self._connection().execute(
            "SELECT term FROM words_vocab WHERE term >= ? LIMIT ?", (start, MAX_COMPLETIONS + 1)
        )
        for (term,) in rows:
            if not term.startswith(start) or len(found) == MAX_COMPLETIONS:
                break
            found.append(term)
        return found

    def _fts5_problem(self, text: str) -> str | None:
        """Why FTS5 cannot run ``text``, or None if it can."""
        if text.lstrip().startswith("*"):
            return "it starts with *"  # FTS5 reads a leading * as one of its internal special queries
        try:
            # Both indexes run it: only docs has the UNINDEXED columns (type, brief_id, ...) to filter on.
            for table in ("docs", "brief_text"):
                self._connection().execute(f"SELECT 1 FROM {table} WHERE {table} MATCH ? LIMIT 1", (text,)).fetchall()
        except sqlite3.Error as exc:
            detail = str(exc).removeprefix("fts5: ")
            return detail if len(detail) <= 60 else detail[:60] + "…"
        return None

    # -- searching -------------------------------------------------------------------

    def search(
        self,
        q: str,
        *,
        filters: SearchFilters | None = None,
        limit: int = 20,
        offset: int = 0,
        suggest: bool = True,
        facets: Sequence[str] = (),
    ) -> SearchResult:
        """Total number of hits, one page of them (best first), the reading of ``q`` and a suggestion.

        :param q: The query; see :mod:`briefs.query`.
        :param filters: What hits must also be.
        :param limit: At most this many hits on the page.
        :param offset: Hits to skip before the page.
        :param suggest: Look for a better spelling when a word is in no brief.
        :param facets: Facets (members of :data:`briefs.facets.FACETS`) to count over every hit.
        :raises ValueError: If ``limit`` or ``offset`` is negative.
        """
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must not be negative")
        reading = self.read(q)
        filters = filters or SearchFilters()
        selection = self.select(reading, filters)
        total, page, hits = 0, list[tuple[int, float]](), list[SearchHit]()
        counted: dict[str, Facet] | None = {name: Facet((), 0) for name in facets} if facets else None
        if selection is not None:
            conn = self._connection()
            counts = None
            if facets:
                counts, counted = selection.tally(conn, facets, self._actor_bits())
            total, page = _rank(conn, reading, selection, limit, offset, counts=counts)
            hits = _details(conn, reading, page, [e.id for e in reading.entities]) if page else []
        suggestion = None
        if suggest:
            suggestion = self.suggest(reading, total, lambda text: self.count(self.read(text), filters))
        return SearchResult(total, hits, reading, suggestion, counted)

    def suggest(self, reading: Reading, total: int, count: Callable[[str], int]) -> Suggestion | None:
        """A respelling of a query (in the words syntax) that found ``total`` hits, if a word of it is in no
        brief and the respelt query finds hits.

        :param count: the number of hits a query (in the words syntax) finds under the same filters
        """
        if reading.syntax != reading_.SYNTAX_WORDS or not (total == 0 or _has_alternatives(reading)):
            return None
        return self._suggester.suggest(reading, count)

    def cite(self, hits: Sequence[SearchHit]) -> list[PinnedQuote | None]:
        """The citation of each hit's match, None for a hit matched by its title or summary alone."""
        return cite_hits(self._connection(), hits)

    def count(self, reading: Reading, filters: SearchFilters | None = None) -> int:
        """How many hits a reading finds."""
        selection = self.select(reading, filters or SearchFilters())
        return 0 if selection is None else sum(selection.count(self._connection()))

    def select(self, reading: Reading, filters: SearchFilters) -> Selection | None:
        """The hits of a reading that pass the filters, as SQL over the index tables; None if there can be none."""
        if reading.match is None or (filters.types is not None and not filters.types):
            return None
        match = reading.match
        for kind, entity_id in (("actor", filters.actor), ("event", filters.event)):
            if entity_id is not None:
                if not self.names.is_entity(kind, entity_id):
                    return None
                match = f'({match}) AND {REFS_COLUMN} : "{ref_token(entity_id)}"'
        params: dict[str, Any] = {"match": match}
        facet_filters = []
        for column, operator, value in (
            ("brief_id", "=", filters.brief),
            ("published", ">=", filters.published_from),
            ("published", "<=", filters.published_to),
        ):
            if value is not None:
                facet_filters.append(f"f.{column} {operator} :{column}{len(params)}")
                params[f"{column}{len(params)}"] = value if isinstance(value, str) else value.isoformat()
        kinds = len(HIT_TYPES)
        codes = [code for code, name in enumerate(HIT_TYPES) if filters.types is None or name in filters.types]
        briefs = 0 in codes

        def clause(table: str, where: list[str]) -> str:
            # CROSS JOIN keeps the full-text match as the outer loop.
            join = f" CROSS JOIN doc_facets f ON f.doc = {table}.rowid" if facet_filters else ""
            return f"FROM {table}{join} WHERE {' AND '.join([*where, *facet_filters])}"

        passages = ", ".join(str(code) for code in codes if code)
        passage_test = f"(docs.rowid % {kinds}) IN ({passages})"
        own_test = f"docs.rowid % {kinds} = 0"
        if _NOT.search(_QUOTED.sub("", match)):
            # A brief's own row (title and summary) counts only if the whole brief matches too: "a -b" must
            # not rank a brief whose title has a and whose text has b. Without NOT, a match of the title and
            # summary is a match of the whole brief.
            own_test += " AND docs.rowid IN (SELECT rowid FROM brief_text WHERE brief_text MATCH :match)"
        ranked_test = own_test if not passages else f"({passage_test} OR ({own_test}))" if briefs else passage_test
        if len(codes) == kinds and own_test == f"docs.rowid % {kinds} = 0":
            ranked_test = ""  # every row of docs: testing each one costs 40 ns (0.3 ms for a common word)
        return Selection(
            ranked=clause("docs", ["docs MATCH :match", *filter(None, [ranked_test])]),
            briefs=clause("brief_text", ["brief_text MATCH :match"]) if briefs else None,
            whole=clause("brief_text", [
                "brief_text MATCH :match",
                f"brief_text.rowid NOT IN (SELECT rowid FROM docs WHERE docs MATCH :match AND rowid % {kinds} = 0)",
            ]) if briefs else None,
            passages=clause("docs", ["docs MATCH :match", passage_test]) if passages else None,
            params=params,
        )  # fmt: skip

    def _actor_bits(self) -> tuple[int, ...]:
        """The actors' keys if the actor facet sums bits (see :data:`briefs.facets.BIT_ACTORS`), else ()."""
        if self._bits is None:
            keys = tuple(key for (key,) in self._connection().execute(
                "SELECT key FROM ref_keys WHERE kind = 'actor' ORDER BY key"
            ))  # fmt: skip
            fits = len(keys) <= BIT_ACTORS and all(key <= MAX_BIT_KEY for key in keys)
            self._bits = keys if fits else ()
        return self._bits

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, opened anew in a forked child."""
        return self._connections.get()


_FTS5_MESSAGES = (
    (re.compile(r'^syntax error near ""$'), "it ends before an operator or a parenthesis is complete"),
    (re.compile(r'^syntax error near "(.*)"$'), 'FTS5 did not expect "{0}" there'),
    (re.compile(r"^no such column: (.*)$"), 'FTS5 took "{0}" for a column; the columns are title, summary and text'),
)


def _explain(problem: str) -> str:
    """FTS5's error message, said for a person who typed a query."""
    for pattern, sentence in _FTS5_MESSAGES:
        found = pattern.match(problem)
        if found:
            return sentence.format(*found.groups())
    return problem


def _has_alternatives(reading: Reading) -> bool:
    """Whether a word of the query may be in no brief although the query has hits: only in a group of
    alternatives (``a OR b``). Otherwise every word a suggestion would respell (not excluded, not a common
    word) had to match for the query to find anything, so looking each one up (a query per word) is skipped."""
    return any(len(group.terms) > 1 for group in reading.groups if not group.excluded)


def _deserialize(image: bytes) -> sqlite3.Connection:
    # Closed when collected, maybe by another thread than the one that used it.
    conn = sqlite3.connect(":memory:", check_same_thread=False, factory=ClosingConnection)
    conn.deserialize(image)
    conn.execute("PRAGMA query_only = ON")
    return conn


def _rank(
    conn: sqlite3.Connection,
    reading: Reading,
    selection: Selection,
    limit: int,
    offset: int,
    *,
    counts: tuple[int, int] | None = None,
) -> tuple[int, list[tuple[int, float]]]:
    """The number of hits, and the rowids and scores of one page of them, best first.

    Scoring, tiers and sorting all run inside SQLite: only the page comes back to Python. The
    whole-brief hits come after every ranked hit, by their own BM25; they are scored only when the
    page reaches them. ``counts`` are :meth:`Selection.count`'s, when the caller has them already.
    """
    ranked_total, whole_total = counts if counts is not None else selection.count(conn)
    total = ranked_total + whole_total
    if total == 0 or limit == 0:
        return total, []
    params = {**selection.params, "limit": limit, "offset": offset}
    weights = ", ".join(map(str, WEIGHTS))
    brief_weight = f"(CASE WHEN docs.rowid % {len(HIT_TYPES)} = 0 THEN {BRIEF_ROW_WEIGHT} ELSE 1 END)"
    page: list[tuple[int, float]] = []
    if offset < ranked_total:
        tiers = []
        for number, expression in enumerate(reading.tiers):
            params[f"tier{number}"] = expression
            tiers.append(f"WHEN docs.rowid IN (SELECT rowid FROM docs WHERE docs MATCH :tier{number}) THEN {number}")
        tier = f"CASE {' '.join(tiers)} ELSE {len(reading.tiers)} END" if tiers else "0"
        sql = (
            f"SELECT docs.rowid, -bm25(docs, {weights}) * {brief_weight} AS score, {tier} AS tier {selection.ranked} "
            "ORDER BY tier, score DESC, docs.rowid LIMIT :limit OFFSET :offset"
        )
        page = [(rowid, score) for rowid, score, _ in conn.execute(sql, params)]
    if len(page) < limit and whole_total and offset + limit > ranked_total:
        params.update(limit=limit - len(page), offset=max(0, offset - ranked_total))
        # With nothing ranked, no brief's own row matched: every brief hit is a whole one, and the test
        # that leaves out the ranked ones (a second pass over the passages' matches) can go.
        whole = selection.whole if ranked_total else selection.briefs
        sql = (
            f"SELECT brief_text.rowid, -bm25(brief_text, {weights}) AS score {whole} "
            "ORDER BY score DESC, brief_text.rowid LIMIT :limit OFFSET :offset"
        )
        page += [(rowid, score) for rowid, score in conn.execute(sql, params)]
    return total, page


def _details(
    conn: sqlite3.Connection, reading: Reading, page: list[tuple[int, float]], entity_ids: list[str]
) -> list[SearchHit]:
    """Hits for one page of ranked rowids, in the page's order."""
    assert reading.match is not None
    params = {
        "open": OPEN, "close": CLOSE, "cut": _CUT, "tokens": _SNIPPET_TOKENS, "match": reading.match,
        "rowids": json.dumps([rowid for rowid, _ in page]),
    }  # fmt: skip
    briefs = [rowid for rowid, _ in page if rowid % len(HIT_TYPES) == 0]
    rows: dict[int, tuple[Any, ...]] = {}
    if len(briefs) < len(page):  # a pass over every match of the passages: not when the page has none
        rows.update((row[0], row) for row in conn.execute(_DETAILS, params))
    if briefs:
        # A brief hit is shown as its whole text matched (its row in docs holds only its title and summary).
        rows.update((row[0], row) for row in conn.execute(_BRIEF_DETAILS, {**params, "rowids": json.dumps(briefs)}))
    mentions: dict[int, list[tuple[int, int]]] = {}
    if entity_ids:
        # A hit found through a mention alone is shown at its first mention of a named entity; the others
        # complete a mention that the snippet's window cut ("<mark>South</mark>…" of "South Caucasus").
        for doc, start, end in conn.execute(
            "SELECT doc, start, end FROM doc_refs WHERE doc IN (SELECT value FROM json_each(?)) "
            "AND entity_id IN (SELECT value FROM json_each(?)) AND start IS NOT NULL ORDER BY doc, start",
            (params["rowids"], json.dumps(entity_ids)),
        ):
            mentions.setdefault(doc, []).append((start, end))
    hits = []
    for rowid, score in page:
        row = rows.get(rowid)
        if row is None:
            continue
        spans = mentions.get(rowid, [])
        marks: tuple[str | None, str | None] = (None, None)
        if OPEN not in (row[8] or "") and not (spans and row[7]):
            # Neither the text nor a mention shows the match: the title or the summary does.
            table = "brief_text" if rowid % len(HIT_TYPES) == 0 else "docs"
            marks = conn.execute(_MARKS.format(table=table), {**params, "rowid": rowid}).fetchone() or marks
        hits.append(_hit((*row, *marks), score, spans))
    return hits


def _hit(row: tuple[Any, ...], score: float, mentions: Sequence[tuple[int, int]] = ()) -> SearchHit:
    _, type_, brief_id, section_id, element_id, title, base, text, text_snippet, title_mark, summary = row
    snippet = str(text_snippet or "")
    match_start = match_end = None
    mention = mentions[0] if mentions else None
    found = _first_mark(str(text), snippet) if OPEN in snippet else None
    cut = (
        None
        if found is None or not _marks_an_edge(snippet)
        else _cut_mention(base + found[0], base + found[1], mentions)
    )
    if cut is not None:
        # The snippet's window ends (or starts) inside a mention: show and cite the whole mention.
        match_start, match_end = cut
        snippet = _around(text, match_start - base, match_end - base)
    elif found is not None:
        match_start, match_end = base + found[0], base + found[1]
    elif OPEN in snippet:
        pass  # the marked words could not be found again (never seen): shown, not cited
    elif mention is not None and text:
        match_start, match_end = mention
        snippet = _around(text, mention[0] - base, mention[1] - base)
    elif OPEN in (title_mark or ""):
        snippet = title_mark
    elif OPEN in (summary or ""):
        snippet = summary
    return SearchHit(
        type=str(type_),
        brief_id=str(brief_id),
        section_id=None if section_id is None else str(section_id),
        element_id=None if element_id is None else str(element_id),
        title=None if title is None else str(title),
        snippet=_mark(snippet),
        score=score,
        match_start=match_start,
        match_end=match_end,
    )


def _marks_an_edge(snippet: str) -> bool:
    """True when the snippet's first marked words stand where the snippet cuts the text (at its start or end)."""
    opened = snippet.index(OPEN)
    closed = snippet.index(CLOSE, opened)
    return snippet[:opened] == _CUT or snippet[closed + 1 :] == _CUT


def _cut_mention(start: int, end: int, mentions: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The mention that the marked words ``start:end`` are only part of, extended to both, or None."""
    for mention_start, mention_end in mentions:
        if mention_start < end and start < mention_end and (mention_start < start or end < mention_end):
            return min(start, mention_start), max(end, mention_end)
    return None


def _first_mark(text: str, snippet: str) -> tuple[int, int] | None:
    """Where, in ``text``, the snippet's first marked words stand: the snippet (its marks and cuts taken
    out) is a run of the text, found again by its words (highlight() would mark the whole text)."""
    fragment = snippet.replace(_CUT, "")
    plain = fragment.replace(OPEN, "").replace(CLOSE, "")
    at = text.find(plain)
    if at < 0:
        return None
    opened = fragment.index(OPEN)
    closed = fragment.index(CLOSE, opened)
    sentinels = 1  # before the closing one: the opening one
    # Marked words side by side ("border demarcation", "Armenian-Azerbaijani") are quoted together.
    while (following := _NEXT_MARK.match(fragment, closed + 1)) is not None:
        closed = fragment.index(CLOSE, following.end())
        sentinels += 2
    return at + opened, at + closed - sentinels


def _around(text: str, start: int, end: int) -> str:
    """About :data:`_SNIPPET_TOKENS` words of ``text`` around ``text[start:end]``, which is marked."""
    words = [m.span() for m in _WORDS.finditer(text)]
    first = next((i for i, (_, word_end) in enumerate(words) if word_end > start), len(words) - 1)
    low = max(0, first - _SNIPPET_TOKENS // 3)
    high = min(len(words), low + _SNIPPET_TOKENS)
    cut_start, cut_end = words[low][0], words[high - 1][1]
    marked = text[cut_start:start] + OPEN + text[start:end] + CLOSE + text[end:cut_end]
    return ("…" if low > 0 else "") + marked + ("…" if high < len(words) else "")


def _mark(snippet: str) -> str:
    """Escape a snippet for HTML and turn its sentinels into ``<mark>`` elements and "…"."""
    return html.escape(snippet).replace(OPEN, "<mark>").replace(CLOSE, "</mark>").replace(_CUT, "…")
