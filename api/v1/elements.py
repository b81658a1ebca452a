"""Typed blocks across all briefs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from api.csvout import csv_response, wants_csv
from api.rest import Blueprint, MethodView, paginate
from api.search import list_facets, list_query, with_match
from api.store import reader
from briefs.model import Element
from briefs.reader import Rows
from schemas import urls
from schemas.briefs import ElementSchema, element_url
from schemas.facets import faceted_page_schema
from schemas.queries import ElementQuerySchema
from schemas.search import SearchQueryReadingSchema

blp = Blueprint("elements", __name__, url_prefix=urls.ELEMENTS, description="Typed blocks across all briefs.")

ELEMENT_CSV_COLUMNS = (
    "brief_id",
    "id",
    "type",
    "section_id",
    "ordinal",
    "title",
    "text",
    "line_start",
    "line_end",
    "url",
)


def _row(element: Element) -> dict[str, Any]:
    return {
        "brief_id": element.brief_id, "id": element.id, "type": element.type, "section_id": element.section_id,
        "ordinal": element.ordinal, "title": element.title, "text": element.text,
        "line_start": element.source.line_start, "line_end": element.source.line_end, "url": element_url(element),
    }  # fmt: skip


def select_elements(
    q: str | None = None, **filters: str | None
) -> tuple[Rows[Element], dict[str, Any] | None, dict[str, Any]]:
    """The blocks that pass every filter, briefs newest first and blocks in document order; the
    filters as :meth:`briefs.reader.Artifact.element_keys` takes them (None when ``q`` finds nothing);
    and, with ``q``, the ``query`` field of the answer (how ``q`` was read, and a suggestion)."""
    artifact = reader()
    wanted, reading = with_match(filters, q)
    keys = artifact.element_keys(**wanted) if wanted is not None else []
    query = {}
    if reading is not None:
        query = list_query(reading, len(keys), filters, lambda f: len(artifact.element_keys(**f)))
    return artifact.elements(keys), wanted, query


@blp.route("")
class Elements(MethodView):
    @blp.doc(operationId="listElements")
    @blp.arguments(ElementQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, faceted_page_schema(ElementSchema, SearchQueryReadingSchema, query_required=False))
    @blp.csv
    @blp.paginated
    def get(
        self, page: int, per_page: int, facets: Sequence[str] = (), format: str | None = None, **filters: Any
    ) -> Any:
        """List typed blocks across all briefs: newest brief first, blocks in document order."""
        elements, wanted, query = select_elements(**filters)
        if wants_csv(format):
            return csv_response(map(_row, elements), ELEMENT_CSV_COLUMNS, "elements")
        envelope = paginate(elements, page, per_page) | query
        if facets:
            envelope.update(list_facets(facets, wanted, reader().element_facets))
        return envelope
