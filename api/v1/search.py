"""Full-text search over briefs, sections and typed blocks."""

from __future__ import annotations

from typing import Any

from api.rest import Blueprint, MethodView, paginate
from api.search import cite_hits, run_search
from briefs import search as fts
from schemas import urls
from schemas.paging import page_schema
from schemas.queries import SearchQuerySchema
from schemas.search import SearchHitSchema

blp = Blueprint("search", __name__, url_prefix=urls.SEARCH, description="Full-text search with citations.")


@blp.route("")
class Search(MethodView):
    @blp.doc(operationId="search", description=fts.__doc__, responses={"400": "BAD_REQUEST"})
    @blp.arguments(SearchQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, page_schema(SearchHitSchema))
    @blp.paginated
    def get(self, q: str, page: int, per_page: int, type: str | None = None) -> dict[str, Any]:
        """Search briefs, sections and typed blocks, best hits first, each with a snippet and a citation."""
        total, hits = run_search(q, frozenset({type}) if type else None, per_page, (page - 1) * per_page)
        result = paginate(range(total), page, per_page)
        result["items"] = cite_hits(hits)
        return result
