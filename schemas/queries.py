"""Query parameters. Every schema rejects what it does not declare."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate
from webargs.fields import DelimitedList

from briefs.facets import MAX_VALUES
from schemas.common import describe
from schemas.enums import ActorKind, BriefSort, ElementType, FacetName, HitType, ResponseFormat
from schemas.paging import PER_PAGE_DEFAULT, PER_PAGE_MAX, PageQuerySchema

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
"""Ids and tags, as the content format defines them."""
Q_MAX = 500
"""Longest accepted ``q``, in characters."""
PARTIAL_DATE_QUERY_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
"""A partial date as documented for query parameters: ``2021``, ``2021-05`` or ``2021-05-10``."""


class PartialDate(fields.String):
    """A date of year, month or day precision: ``2021``, ``2021-05`` or ``2021-05-10``."""

    # A bound is compared as text, so a day that does not exist (2021-02-30) is still a usable bound.
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not re.fullmatch(PARTIAL_DATE_QUERY_PATTERN, text):
            raise ValidationError("Not a date: use YYYY, YYYY-MM or YYYY-MM-DD.")
        return str(text)


class Day(fields.Date):
    """A day, ``YYYY-MM-DD``; the error says so (marshmallow's own says only "Not a valid date.")."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(error_messages={"invalid": "Not a valid date: use YYYY-MM-DD, e.g. 2021-11-26."}, **kwargs)


class Slug(fields.String):
    """An id or tag: lowercase words joined by hyphens, at most 80 characters."""

    def __init__(self, **kwargs: Any) -> None:
        rules = [
            validate.Length(max=80),
            validate.Regexp(SLUG_PATTERN, error="Not an id: lowercase words and hyphens."),
        ]
        super().__init__(validate=rules, **kwargs)


class SearchText(fields.String):
    """Search words: 1 to :data:`Q_MAX` characters."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validate=validate.Length(min=1, max=Q_MAX), **kwargs)


class Facets(DelimitedList):
    """Facets to count, comma-separated: ``facets=actor,year``; at least one (``facets=`` is a 422, as ``type=`` is)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            FacetName(),
            validate=validate.Length(min=1, error="Name at least one facet."),
            metadata=describe(
                "Count the matching items (all of them, not only this page) by these facets, comma-separated; the "
                f"answer adds `facets` (the {MAX_VALUES} most frequent values of each) and `facet_totals`.",
                ["actor", "year"],
            ),
            **kwargs,
        )


class BriefQuerySchema(PageQuerySchema):
    """Filters and order of the brief list."""

    tag = Slug(metadata=describe("Only briefs with this tag.", "diplomacy"))
    q = SearchText(metadata=describe("Full-text search within briefs (see /v1/search for the syntax).", "Nakhichevan"))
    actor = Slug(metadata=describe("Only briefs that mention this actor.", "vladimir-putin"))
    event = Slug(metadata=describe("Only briefs about or mentioning this event.", "sochi-meeting-2021"))
    published_from = Day(metadata=describe("Only briefs published on or after this date.", "2021-01-01"))
    published_to = Day(metadata=describe("Only briefs published on or before this date.", "2021-12-31"))
    sort = BriefSort(load_default="-published", metadata=describe("Order; '-' reverses.", "-published"))
    facets = Facets()


class CsvQuerySchema(PageQuerySchema):
    """Paging, plus ``format=csv`` for clients that cannot send ``Accept: text/csv``."""

    format = ResponseFormat(load_default=None, metadata=describe("json or csv; overrides the Accept header.", "csv"))


class ActorQuerySchema(PageQuerySchema):
    """Filters of the actor list."""

    kind = ActorKind(metadata=describe("Only actors of this kind.", "person"))
    q = SearchText(
        metadata=describe("Words in the name, aliases, id or description; accents and case ignored.", "putin")
    )


class EventQuerySchema(CsvQuerySchema):
    """Filters of the timeline. Dates may be partial: 2021, 2021-05 or 2021-05-10."""

    from_ = PartialDate(
        data_key="from",
        metadata=describe("Events that start on or after this date.", "2021", pattern=PARTIAL_DATE_QUERY_PATTERN),
    )
    to = PartialDate(
        metadata=describe(
            "Events that start on or before the end of this date.", "2021-11", pattern=PARTIAL_DATE_QUERY_PATTERN
        )
    )
    actor = Slug(metadata=describe("Events with this actor among the participants.", "vladimir-putin"))


class ElementQuerySchema(CsvQuerySchema):
    """Filters of the typed blocks across briefs."""

    type = ElementType(metadata=describe("Only blocks of this type.", "expectation"))
    brief = Slug(metadata=describe("Only blocks of this brief.", "sochi-summit-2021"))
    actor = Slug(metadata=describe("Blocks that mention this actor, or strategy elements of it.", "azerbaijan"))
    event = Slug(metadata=describe("Blocks that mention this event.", "sochi-meeting-2021"))
    q = SearchText(
        metadata=describe("Full-text search within the blocks (see /v1/search for the syntax).", "border demarcation")
    )
    facets = Facets()


class ChangesQuerySchema(Schema):
    """The version a diff starts from."""

    from_ = fields.Integer(
        data_key="from", validate=validate.Range(min=1),
        metadata=describe("Diff against this version instead of the one before; lower than the version diffed.", 1),
    )  # fmt: skip


class ChangesFeedQuerySchema(Schema):
    """Where a poll of the changes feed starts, and how many changes it takes."""

    since = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata=describe("The next_since of the previous poll; omitted, from the first change.", "MTo4NmU1Mjk"),
    )  # fmt: skip
    per_page = fields.Integer(
        load_default=PER_PAGE_DEFAULT, validate=validate.Range(min=1, max=PER_PAGE_MAX),
        metadata=describe(f"Changes per poll, 1 to {PER_PAGE_MAX}.", PER_PAGE_DEFAULT),
    )  # fmt: skip


class SearchQuerySchema(PageQuerySchema):
    """A full-text search."""

    q = SearchText(
        required=True,
        metadata=describe("The query; see the operation's description for the syntax.", '"border demarcation"'),
    )
    type = HitType(metadata=describe("Only hits of this type.", "expectation"))
    brief = Slug(metadata=describe("Only hits in this brief.", "sochi-summit-2021"))
    actor = Slug(metadata=describe("Only hits that mention this actor.", "azerbaijan"))
    event = Slug(metadata=describe("Only hits that mention this event.", "sochi-meeting-2021"))
    published_from = Day(metadata=describe("Only hits in briefs published on or after this date.", "2021-01-01"))
    published_to = Day(metadata=describe("Only hits in briefs published on or before this date.", "2021-12-31"))
    facets = Facets()
