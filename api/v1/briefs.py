"""Briefs, their sections and their typed elements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import g

from api.paging import version_links
from api.problems import abort
from api.rest import Blueprint, MethodView, paginate
from api.search import list_facets, list_query, with_match
from api.store import reader
from briefs.blocks import BLOCK_TYPES, BlockType
from briefs.model import Brief
from schemas import urls
from schemas.briefs import ELEMENT_SCHEMAS, BriefSchema, BriefSummarySchema, SectionSchema
from schemas.facets import faceted_page_schema
from schemas.paging import PageQuerySchema, page_schema
from schemas.queries import BriefQuerySchema
from schemas.search import SearchQueryReadingSchema

blp = Blueprint("briefs", __name__, url_prefix=urls.BRIEFS, description="Briefs, their sections and typed elements.")


def find_brief(brief_id: str) -> Brief:
    """The brief, or a 410 problem if a commit withdrew it, or a 404 problem."""
    artifact = reader()
    brief = artifact.brief(brief_id)
    if brief is None:
        last = artifact.withdrawn(brief_id)
        if last is not None:
            abort(410, f"Brief '{brief_id}' was withdrawn; its last version is {urls.version_url(brief_id, last)}.")
        abort(404, f"No brief '{brief_id}'.")
    return brief  # type: ignore[return-value]


@blp.route("")
class Briefs(MethodView):
    @blp.doc(operationId="listBriefs")
    @blp.arguments(BriefQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, faceted_page_schema(BriefSummarySchema, SearchQueryReadingSchema, query_required=False))
    @blp.paginated
    def get(self, page: int, per_page: int, sort: str, facets: Sequence[str] = (), **filters: Any) -> dict[str, Any]:
        """List briefs, newest first unless sorted otherwise."""
        wanted, reading = with_match(filters, filters.pop("q", None))
        brief_ids = reader().brief_ids(sort=sort, **wanted) if wanted is not None else []
        envelope = paginate(reader().briefs(brief_ids), page, per_page)
        if reading is not None:
            envelope.update(list_query(reading, len(brief_ids), filters, lambda f: len(reader().brief_ids(**f))))
        if facets:
            envelope.update(list_facets(facets, wanted, reader().brief_facets))
        return envelope


@blp.route("/<brief_id>")
class BriefsById(MethodView):
    @blp.doc(operationId="getBrief")
    @blp.response(200, BriefSchema)
    def get(self, brief_id: str) -> Brief:
        """Get a whole brief: front matter, counts, and sections with their typed elements."""
        brief = find_brief(brief_id)
        latest = reader().latest_version(brief_id)
        if latest is not None:
            g.link_header = version_links(brief_id, None, latest)
        return brief


@blp.route("/<brief_id>/sections")
class BriefSections(MethodView):
    @blp.doc(operationId="listBriefSections")
    @blp.arguments(PageQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, page_schema(SectionSchema))
    @blp.paginated
    def get(self, brief_id: str, page: int, per_page: int) -> dict[str, Any]:
        """List a brief's sections in document order, subsections after their parent."""
        return paginate(find_brief(brief_id).sections, page, per_page)


@blp.route("/<brief_id>/sections/<section_id>")
class BriefSectionsById(MethodView):
    @blp.doc(operationId="getBriefSection")
    @blp.response(200, SectionSchema)
    def get(self, brief_id: str, section_id: str) -> Any:
        """Get one section of a brief."""
        section = next((s for s in find_brief(brief_id).sections if s.id == section_id), None)
        if section is None:
            abort(404, f"No section '{section_id}' in brief '{brief_id}'.")
        return section


def _register_element_views(block_type: BlockType) -> None:
    """Add the list and item views of one block type, e.g. ``/factors`` and ``/factors/{element_id}``."""
    schema = ELEMENT_SCHEMAS[block_type.name]
    name = "".join(word.title() for word in block_type.collection.split("-"))

    @blp.doc(operationId=f"listBrief{name}")
    @blp.arguments(PageQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, page_schema(schema))
    @blp.paginated
    def list_elements(self: MethodView, brief_id: str, page: int, per_page: int) -> dict[str, Any]:
        return paginate(find_brief(brief_id).elements_of_type(block_type.name), page, per_page)

    @blp.doc(operationId=f"getBrief{name.removesuffix('s')}")
    @blp.response(200, schema)
    def get_element(self: MethodView, brief_id: str, element_id: str) -> Any:
        element = next((e for e in find_brief(brief_id).elements_of_type(block_type.name) if e.id == element_id), None)
        if element is None:
            abort(404, f"No {block_type.name} '{element_id}' in brief '{brief_id}'.")
        return element

    plural = block_type.collection.replace("-", " ")
    list_elements.__doc__ = f"List a brief's {plural} in document order."
    get_element.__doc__ = f"Get one of a brief's {plural}."
    blp.route(f"/<brief_id>/{block_type.collection}")(type(f"Brief{name}", (MethodView,), {"get": list_elements}))
    blp.route(f"/<brief_id>/{block_type.collection}/<element_id>")(
        type(f"Brief{name}ById", (MethodView,), {"get": get_element})
    )


for _block_type in BLOCK_TYPES.values():
    _register_element_views(_block_type)
