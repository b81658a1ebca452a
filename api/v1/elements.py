"""Typed blocks across all briefs."""

from __future__ import annotations

from typing import Any

from api.rest import Blueprint, MethodView, csv_response, paginate, wants_csv
from api.search import run_search
from api.store import reader
from briefs.blocks import BLOCK_TYPES
from briefs.model import Element
from briefs.reader import Rows
from schemas import urls
from schemas.briefs import ElementSchema, element_url
from schemas.paging import page_schema
from schemas.queries import ElementQuerySchema

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


def select_elements(type: str | None = None, q: str | None = None, **filters: str | None) -> Rows[Element]:
    """The blocks that pass every filter, briefs newest first and blocks in document order."""
    artifact = reader()
    keys = artifact.element_keys(type=type, **filters)
    if q is not None:
        types = frozenset({type}) if type else frozenset(BLOCK_TYPES)
        found = {(hit.brief_id, hit.element_id) for hit in run_search(q, types)[1]}
        keys = [key for key in keys if (key[0], key[2]) in found]
    return artifact.elements(keys)


@blp.route("")
class Elements(MethodView):
    @blp.doc(operationId="listElements", responses={"400": "BAD_REQUEST"})
    @blp.arguments(ElementQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, page_schema(ElementSchema))
    @blp.csv
    @blp.paginated
    def get(self, page: int, per_page: int, format: str | None = None, **filters: Any) -> Any:
        """List typed blocks across all briefs: newest brief first, blocks in document order."""
        elements = select_elements(**filters)
        if wants_csv(format):
            return csv_response(map(_row, elements), ELEMENT_CSV_COLUMNS, "elements")
        return paginate(elements, page, per_page)
