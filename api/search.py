"""Search as the views use it: a query FTS5 cannot read is a 400 problem, hits carry citations."""

from __future__ import annotations

from dataclasses import dataclass

from api.rest import abort
from api.store import reader
from briefs import search as fts
from briefs.citations import Citation, cite_match

ALL = 10**9
"""No limit: every hit."""


@dataclass(frozen=True, slots=True)
class CitedHit:
    """A search hit with the citation of its first matched words."""

    hit: fts.SearchHit
    """The hit."""
    citation: Citation | None
    """Where its first match stands; None when only a title or summary matched."""


def run_search(
    q: str, types: frozenset[str] | None, limit: int = ALL, offset: int = 0
) -> tuple[int, list[fts.SearchHit]]:
    """Search the current artifact; a query FTS5 cannot parse is a 400 problem explaining the syntax."""
    try:
        return reader().search.search(q, types=types, limit=limit, offset=offset)
    except fts.SearchSyntaxError as error:
        abort(400, f"Cannot read the query q={q!r}: {error}")
        raise  # unreachable: abort raises


def briefs_matching(brief_ids: list[str], q: str) -> list[str]:
    """The ids of the briefs whose full text matches ``q``, in the given order."""
    hits = {hit.brief_id for hit in run_search(q, frozenset({"brief"}))[1]}
    return [brief_id for brief_id in brief_ids if brief_id in hits]


def cite_hits(hits: list[fts.SearchHit]) -> list[CitedHit]:
    """Each hit with the citation of its first matched words."""
    artifact = reader()
    cited = []
    for hit in hits:
        brief = artifact.brief(hit.brief_id)
        citation = None
        if brief is not None and hit.match_start is not None and hit.match_end is not None:
            citation = cite_match(brief, hit.match_start, hit.match_end)
        cited.append(CitedHit(hit, citation))
    return cited
