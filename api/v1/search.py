"""Full-text search over briefs, sections and typed blocks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api.rest import Blueprint, MethodView, abort, paginate
from api.store import reader
from briefs import search as fts
from briefs.citations import Citation, cite_range
from briefs.model import Brief, Element, Section
from briefs.reader import Artifact
from schemas import urls
from schemas.paging import page_schema
from schemas.queries import SearchQuerySchema
from schemas.search import SearchHitSchema

blp = Blueprint("search", __name__, url_prefix=urls.SEARCH, description="Full-text search with citations.")

ALL = 10**9


@dataclass(frozen=True, slots=True)
class CitedHit:
    """A search hit with the citation of its first matched words."""

    hit: fts.SearchHit
    citation: Citation | None


def run_search(
    q: str, types: frozenset[str] | None, limit: int = ALL, offset: int = 0
) -> tuple[int, list[fts.SearchHit]]:
    """Search the current index; a query FTS5 cannot parse is a 400 problem explaining the syntax."""
    try:
        return reader().search.search(q, types=types, limit=limit, offset=offset)
    except fts.SearchSyntaxError as error:
        abort(400, f"Cannot read the query q={q!r}: {error}")
        raise  # unreachable: abort raises


def briefs_matching(brief_ids: list[str], q: str) -> list[str]:
    """The ids of the briefs whose full text matches ``q``, in the given order."""
    hits = {hit.brief_id for hit in run_search(q, frozenset({"brief"}))[1]}
    return [brief_id for brief_id in brief_ids if brief_id in hits]


def hit_citation(artifact: Artifact, hit: fts.SearchHit) -> Citation | None:
    """The citation of the first matched words, or None when only a title or summary matched."""
    brief = artifact.brief(hit.brief_id)
    if brief is None or hit.match_start is None or hit.match_end is None:
        return None
    section = _section_at(brief, hit.match_start)
    element = _element_at(brief, hit.match_start, hit.match_end)
    return cite_range(brief, section, element, hit.match_start, hit.match_end)


def _section_at(brief: Brief, offset: int) -> Section:
    # A heading stands just before its section's text, so the first section ending at or after the offset holds it.
    return next((s for s in brief.sections if s.start + len(s.text) >= offset), brief.sections[-1])


def _element_at(brief: Brief, start: int, end: int) -> Element | None:
    inside = [e for e in brief.elements if e.start <= start and end <= e.start + len(e.text)]
    return min(inside, key=lambda e: len(e.text)) if inside else None


@blp.route("")
class Search(MethodView):
    @blp.doc(operationId="search", description=fts.__doc__, responses={"400": "BAD_REQUEST"})
    @blp.arguments(SearchQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, page_schema(SearchHitSchema))
    @blp.paginated
    def get(self, q: str, page: int, per_page: int, type: str | None = None) -> dict[str, Any]:
        """Search briefs, sections and typed blocks, best hits first, each with a snippet and a citation."""
        artifact = reader()
        total, hits = run_search(q, frozenset({type}) if type else None, per_page, (page - 1) * per_page)
        result = paginate(range(total), page, per_page)
        result["items"] = [CitedHit(hit, hit_citation(artifact, hit)) for hit in hits]
        return result
