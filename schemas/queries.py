"""Query parameters. Every schema rejects what it does not declare."""

from __future__ import annotations

from marshmallow import fields

from schemas.common import describe
from schemas.enums import BriefSort
from schemas.paging import PageQuerySchema


class BriefQuerySchema(PageQuerySchema):
    """Filters and order of the brief list."""

    tag = fields.String(metadata=describe("Only briefs with this tag.", "diplomacy"))
    published_from = fields.Date(metadata=describe("Only briefs published on or after this date.", "2021-01-01"))
    published_to = fields.Date(metadata=describe("Only briefs published on or before this date.", "2021-12-31"))
    sort = BriefSort(load_default="-published", metadata=describe("Order; '-' reverses.", "-published"))
