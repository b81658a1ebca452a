"""A brief's history: its versions, each version whole or in part, and what changed between two."""

from __future__ import annotations

import functools
from typing import Any

import flask
from flask import Response
from marshmallow import Schema
from werkzeug.routing import BaseConverter

from api.paging import version_links
from api.problems import abort, reject_parameter
from api.rest import Blueprint, MethodView, paginate
from api.store import reader
from briefs.blocks import BLOCK_TYPES, BlockType
from briefs.diff import diff_briefs
from briefs.model import Brief
from schemas import urls
from schemas.briefs import ELEMENT_SCHEMAS, BriefSchema, SectionSchema
from schemas.paging import PageQuerySchema, page_schema
from schemas.queries import ChangesQuerySchema
from schemas.versions import BriefChangesSchema, VersionSchema

blp = Blueprint(
    "versions", __name__, url_prefix=urls.BRIEFS,
    description="A brief's history from the content repository: versions, permalinks and semantic diffs.",
)  # fmt: skip


class VersionConverter(BaseConverter):
    """Any path segment: the view answers 422, not 404, when it is not a version number."""

    regex = "[^/]+"


def version_parameter(_converter: BaseConverter) -> dict[str, Any]:
    """The path parameter as OpenAPI describes it."""
    return {"type": "integer", "minimum": 1, "description": "Version number, from 1 (the oldest)."}


def version_number(version: str) -> int:
    """The version number, or a 422 problem naming the parameter."""
    if not version.isascii() or not version.isdigit() or int(version) < 1:
        reject_parameter("path", "version", f"Must be a version number: 1, 2, 3 ...; got {version!r}.")
    return int(version)


def find_version(brief_id: str, version: str) -> Brief:
    """The brief as it was at that version, or a 404 problem."""
    number = version_number(version)
    # A number past SQLite's integers is no version of anything (and must not reach the query).
    brief = reader().version_brief(brief_id, number) if number < 2**63 else None
    if brief is None:
        latest = reader().latest_version(brief_id)
        known = f"its versions are 1 to {latest}" if latest else "it has no versions"
        abort(404, f"No version {number} of brief '{brief_id}'; {known}.")
    return brief  # type: ignore[return-value]


def _known_brief(brief_id: str) -> None:
    artifact = reader()
    if artifact.brief(brief_id) is None and artifact.latest_version(brief_id) is None:
        abort(404, f"No brief '{brief_id}'.")


def pinned_json(brief: Brief, data: Any, link: str | None = None) -> Response:
    """Already-dumped data of a pinned version as the JSON response (paths inside were pinned while dumping)."""
    response: Response = flask.current_app.json.response(data)  # type: ignore[assignment]
    if link:
        flask.g.link_header = link
    return response


def _dump(brief: Brief, schema: type[Schema], obj: Any) -> Any:
    with urls.pinned(brief.id, brief.version or 0):
        return _instance(schema).dump(obj)


_page = functools.cache(page_schema)
"""page_schema makes a new class at each call: one per item schema, so that :func:`_instance` keeps one each."""


@functools.cache
def _instance(schema: type[Schema]) -> Schema:
    """One instance of each schema, as the build's renderer keeps: a new one per request copied its
    fields and built every nested schema again, two thirds of the time of a version GET."""
    return schema()


def _links(brief: Brief) -> str:
    return version_links(brief.id, brief.version, reader().latest_version(brief.id) or brief.version or 1)


@blp.route("/<brief_id>/versions")
class BriefVersions(MethodView):
    @blp.doc(operationId="listBriefVersions")
    @blp.arguments(PageQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, page_schema(VersionSchema))
    @blp.paginated
    def get(self, brief_id: str, page: int, per_page: int) -> dict[str, Any]:
        """List a brief's versions, newest first: one per commit that changed its file (none without git history)."""
        _known_brief(brief_id)
        return paginate(reader().versions(brief_id), page, per_page)


@blp.route("/<brief_id>/versions/<version:version>")
class BriefVersionsById(MethodView):
    @blp.doc(operationId="getBriefVersion")
    @blp.response(200, BriefSchema)
    def get(self, brief_id: str, version: str) -> Response:
        """Get a brief exactly as it was at one version, every path in it pinned to that version."""
        brief = find_version(brief_id, version)
        return pinned_json(brief, _dump(brief, BriefSchema, brief), _links(brief))


@blp.route("/<brief_id>/versions/<version:version>/changes")
class BriefVersionChanges(MethodView):
    @blp.doc(operationId="getBriefVersionChanges")
    @blp.arguments(ChangesQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, BriefChangesSchema)
    def get(self, brief_id: str, version: str, from_: int | None = None) -> Any:
        """What changed in a version: against the version before, or against ``from``."""
        brief = find_version(brief_id, version)
        number = brief.version or 1
        if from_ is not None and from_ >= number:
            reject_parameter("query", "from", f"Must be a version lower than {number}, the one diffed.")
        older = number - 1 if from_ is None else from_
        before = find_version(brief_id, str(older)) if older >= 1 else None
        return diff_briefs(before, brief, older if before else None, number)


@blp.route("/<brief_id>/versions/<version:version>/sections")
class BriefVersionSections(MethodView):
    @blp.doc(operationId="listBriefVersionSections")
    @blp.arguments(PageQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, page_schema(SectionSchema))
    @blp.paginated
    def get(self, brief_id: str, version: str, page: int, per_page: int) -> Response:
        """List a brief's sections as they were at one version."""
        brief = find_version(brief_id, version)
        return pinned_json(brief, _dump(brief, _page(SectionSchema), paginate(brief.sections, page, per_page)))


@blp.route("/<brief_id>/versions/<version:version>/sections/<section_id>")
class BriefVersionSectionsById(MethodView):
    @blp.doc(operationId="getBriefVersionSection")
    @blp.response(200, SectionSchema)
    def get(self, brief_id: str, version: str, section_id: str) -> Response:
        """Get one section of a brief as it was at one version."""
        brief = find_version(brief_id, version)
        section = next((s for s in brief.sections if s.id == section_id), None)
        if section is None:
            abort(404, f"No section '{section_id}' in version {brief.version} of brief '{brief_id}'.")
        return pinned_json(brief, _dump(brief, SectionSchema, section))


def _register_element_views(block_type: BlockType) -> None:
    """``/versions/{version}/factors`` and ``/versions/{version}/factors/{element_id}``, for each block type."""
    schema = ELEMENT_SCHEMAS[block_type.name]
    name = "".join(word.title() for word in block_type.collection.split("-"))

    @blp.doc(operationId=f"listBriefVersion{name}")
    @blp.arguments(PageQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, page_schema(schema))
    @blp.paginated
    def list_elements(self: MethodView, brief_id: str, version: str, page: int, per_page: int) -> Response:
        brief = find_version(brief_id, version)
        envelope = paginate(brief.elements_of_type(block_type.name), page, per_page)
        return pinned_json(brief, _dump(brief, _page(schema), envelope))

    @blp.doc(operationId=f"getBriefVersion{name.removesuffix('s')}")
    @blp.response(200, schema)
    def get_element(self: MethodView, brief_id: str, version: str, element_id: str) -> Response:
        brief = find_version(brief_id, version)
        element = next((e for e in brief.elements_of_type(block_type.name) if e.id == element_id), None)
        if element is None:
            abort(404, f"No {block_type.name} '{element_id}' in version {brief.version} of brief '{brief_id}'.")
        return pinned_json(brief, _dump(brief, schema, element))

    plural = block_type.collection.replace("-", " ")
    list_elements.__doc__ = f"List a brief's {plural} as they were at one version."
    get_element.__doc__ = f"Get one of a brief's {plural} as it was at one version."
    path = f"/<brief_id>/versions/<version:version>/{block_type.collection}"
    blp.route(path)(type(f"BriefVersion{name}", (MethodView,), {"get": list_elements}))
    blp.route(f"{path}/<element_id>")(type(f"BriefVersion{name}ById", (MethodView,), {"get": get_element}))


for _block_type in BLOCK_TYPES.values():
    _register_element_views(_block_type)
