"""The paging envelope of every collection: ``{"items": [...], "pagination": {...}}``."""

from __future__ import annotations

import functools

from marshmallow import Schema, fields, validate

from schemas.common import describe

PER_PAGE_DEFAULT = 20
PER_PAGE_MAX = 100


class PageQuerySchema(Schema):
    """Paging parameters shared by every collection."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1), metadata=describe("Page number, from 1.", 1))
    per_page = fields.Integer(
        load_default=PER_PAGE_DEFAULT,
        validate=validate.Range(min=1, max=PER_PAGE_MAX),
        metadata=describe(f"Items per page, 1 to {PER_PAGE_MAX}.", PER_PAGE_DEFAULT),
    )


class PaginationSchema(Schema):
    """Where a page stands in its collection."""

    page = fields.Integer(required=True, metadata=describe("This page, from 1.", 1))
    per_page = fields.Integer(required=True, metadata=describe("Items per page.", 20))
    total = fields.Integer(required=True, metadata=describe("Items in the whole collection.", 57))
    total_pages = fields.Integer(required=True, metadata=describe("Number of pages (0 when empty).", 3))


@functools.cache
def page_schema(item_schema: type[Schema]) -> type[Schema]:
    """An envelope schema for pages of ``item_schema``; ``BriefSummarySchema`` gives ``BriefSummaryPage``."""
    name = item_schema.__name__.removesuffix("Schema")
    return type(
        f"{name}PageSchema",
        (Schema,),
        {
            "__doc__": f"A page of {name} items, with its place in the collection.",
            "items": fields.List(fields.Nested(item_schema), required=True),
            "pagination": fields.Nested(PaginationSchema, required=True),
        },
    )
