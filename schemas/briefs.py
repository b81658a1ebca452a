"""Wire schemas of briefs, sections and typed elements (dump only)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from briefs.blocks import BLOCK_TYPES
from briefs.model import Brief, Element, Section
from schemas import urls
from schemas.common import (
    BriefSourceSchema,
    ComputedNested,
    ComputedString,
    MentionsSchema,
    SourceLinesSchema,
    describe,
)
from schemas.enums import ElementType
from schemas.urls import brief_url
from schemas.urls import element_url as element_path
from schemas.urls import section_url as section_path


def element_url(element: Element) -> str:
    """The path of a typed element, under its type's collection."""
    return element_path(element.brief_id, element.type, element.id)


def section_url(section: Section) -> str:
    """The path of a section."""
    return section_path(section.brief_id, section.id)


def _html(path_of: Any) -> Any:
    return lambda obj: urls.absolute(path_of(obj))


HTML_URL = "Its reader page (absolute when the server has a public URL)."


class _ElementFields(Schema):
    id = fields.String(required=True, metadata=describe("Unique within the brief.", "return-to-diplomacy"))
    type = ElementType(required=True, metadata=describe("The block type.", "factor"))
    brief_id = fields.String(required=True, metadata=describe("The brief that holds it.", "sochi-summit-2021"))
    section_id = fields.String(required=True, metadata=describe("The section that holds it.", "significance"))
    ordinal = fields.Integer(
        required=True,
        metadata=describe("1-based position among blocks of its type (scenarios: in their expectation).", 1),
    )
    title = fields.String(
        required=True, allow_none=True, metadata=describe("Its title, if the author gave one.", "A return to diplomacy")
    )
    text = fields.String(required=True, metadata=describe("Plain text: markup gone, words kept."))
    html = fields.String(required=True, metadata=describe("Safe HTML; raw HTML in the source is escaped."))
    mentions = fields.Nested(MentionsSchema, required=True)
    source = fields.Nested(SourceLinesSchema, required=True, metadata=describe("The block's fence lines, inclusive."))
    url = ComputedString(
        element_url,
        required=True,
        metadata=describe("Its own path.", "/v1/briefs/sochi-summit-2021/factors/return-to-diplomacy"),
    )
    html_url = ComputedString(
        _html(lambda e: urls.anchor_page(e.brief_id, e.id)), required=True,
        metadata=describe(
            HTML_URL + " The brief's page at its anchor.", "/briefs/sochi-summit-2021#return-to-diplomacy"
        ),
    )  # fmt: skip


class ScenarioSchema(_ElementFields):
    """One way an expectation may play out."""

    expectation_id = fields.String(
        required=True, metadata=describe("The expectation that holds it.", "border-demarcation")
    )


class ElementSchema(_ElementFields):
    """A typed block. Fields after ``url`` appear only on the types that have them."""

    horizon = fields.String(
        allow_none=True, metadata=describe("Expectations: free-text time horizon.", "coming months")
    )
    priority_for = fields.List(
        fields.String(), metadata=describe("Expectations: actor ids for whom it is a priority.", ["armenia"])
    )
    scenarios = fields.List(
        fields.Nested(ScenarioSchema), metadata=describe("Expectations: its scenarios in document order.")
    )
    expectation_id = fields.String(metadata=describe("Scenarios: the expectation that holds it.", "border-demarcation"))
    actor = fields.String(
        allow_none=True, metadata=describe("Strategy elements: the actor whose strategy it is.", "azerbaijan")
    )


class SectionSchema(Schema):
    """A section (``##``), subsection (``###``) or the ``lead`` before the first heading."""

    id = fields.String(required=True, metadata=describe("From {#id} or a slug of the heading.", "significance"))
    brief_id = fields.String(required=True, metadata=describe("The brief that holds it.", "sochi-summit-2021"))
    title = fields.String(
        required=True, allow_none=True, metadata=describe("Heading text; null for the lead.", "What to Expect Next")
    )
    level = fields.Integer(required=True, metadata=describe("2 for sections and the lead, 3 for subsections.", 2))
    parent_id = fields.String(
        required=True, allow_none=True, metadata=describe("The enclosing section of a subsection.", None)
    )
    ordinal = fields.Integer(
        required=True, metadata=describe("1-based position in the brief's flat list of sections.", 2)
    )
    text = fields.String(required=True, metadata=describe("Plain text of the body, typed blocks included."))
    html = fields.String(required=True, metadata=describe("Safe HTML of the body."))
    elements = fields.List(
        fields.Nested(ElementSchema), required=True, metadata=describe("Its typed blocks in document order.")
    )
    mentions = fields.Nested(MentionsSchema, required=True)
    source = fields.Nested(SourceLinesSchema, required=True)
    url = ComputedString(
        section_url, required=True, metadata=describe("Its own path.", "/v1/briefs/sochi-summit-2021/sections/outlook")
    )
    html_url = ComputedString(
        _html(lambda s: urls.anchor_page(s.brief_id, s.id)), required=True,
        metadata=describe(HTML_URL + " The brief's page at its heading.", "/briefs/sochi-summit-2021#outlook"),
    )  # fmt: skip


class AuthorSchema(Schema):
    """An author of a brief."""

    name = fields.String(required=True, metadata=describe("Name.", "Ana Díaz"))
    affiliation = fields.String(
        required=True, allow_none=True, metadata=describe("Organisation, if given.", "Example Institute")
    )


class CountsSchema(Schema):
    """How many sections and typed blocks a brief holds."""

    sections = fields.Integer(required=True, metadata=describe("Sections and subsections.", 4))
    factors = fields.Integer(required=True, metadata=describe("Factors.", 3))
    expectations = fields.Integer(required=True, metadata=describe("Expectations.", 2))
    scenarios = fields.Integer(required=True, metadata=describe("Scenarios.", 2))
    strategy_elements = fields.Integer(required=True, metadata=describe("Strategy elements.", 3))


def brief_counts(brief: Brief) -> dict[str, int]:
    """The ``counts`` object of a brief."""
    counts = {row.count_key: 0 for row in BLOCK_TYPES.values()}
    for element in brief.elements:
        counts[BLOCK_TYPES[element.type].count_key] += 1
    return {"sections": len(brief.sections), **counts}


class BriefSummarySchema(Schema):
    """A brief without its sections, as listed in collections."""

    id = fields.String(required=True, metadata=describe("Slug, equal to the file name.", "sochi-summit-2021"))
    title = fields.String(required=True, metadata=describe("Title.", "After Sochi: a return to diplomacy"))
    published = fields.Date(required=True, metadata=describe("Publication date.", "2021-11-29"))
    updated = fields.Date(required=True, allow_none=True, metadata=describe("Last update, if any.", None))
    revision = fields.Integer(required=True, metadata=describe("Revision number, from 1.", 1))
    version = fields.Integer(
        required=True, allow_none=True,
        metadata=describe(
            "The version of the brief's history this equals (see /versions); null for uncommitted edits, "
            "or when the content has no git history.", 1,
        ),
    )  # fmt: skip
    summary = fields.String(required=True, allow_none=True, metadata=describe("One-sentence summary."))
    authors = fields.List(fields.Nested(AuthorSchema), required=True)
    publisher = fields.String(required=True, allow_none=True, metadata=describe("Publisher.", None))
    language = fields.String(required=True, metadata=describe("BCP 47 language tag.", "en"))
    tags = fields.List(fields.String(), required=True, metadata=describe("Tag slugs.", ["armenia", "diplomacy"]))
    about = fields.List(
        fields.String(), required=True, metadata=describe("Ids of the events it assesses.", ["sochi-meeting-2021"])
    )
    counts = ComputedNested(
        brief_counts, CountsSchema, required=True, metadata=describe("Sections and typed blocks it holds.")
    )
    word_count = fields.Integer(required=True, metadata=describe("Words in its plain text.", 989))
    source = fields.Nested(BriefSourceSchema, required=True)
    url = ComputedString(
        lambda brief: brief_url(brief.id),
        required=True,
        metadata=describe("Its own path.", "/v1/briefs/sochi-summit-2021"),
    )
    html_url = ComputedString(
        _html(lambda brief: urls.brief_page(brief.id)), required=True,
        metadata=describe(HTML_URL, "/briefs/sochi-summit-2021"),
    )  # fmt: skip


class BriefSchema(BriefSummarySchema):
    """A whole brief: front matter, counts, and sections with their typed elements."""

    sections = fields.List(
        fields.Nested(SectionSchema), required=True, metadata=describe("Every section in document order.")
    )


def dump_brief(brief: Brief) -> dict[str, Any]:
    """The JSON object of ``GET /v1/briefs/{brief_id}``."""
    return BriefSchema().dump(brief)


class FactorSchema(_ElementFields):
    """A factor: one reason or driver the analysis names."""


class ExpectationSchema(_ElementFields):
    """Something the analysis expects to happen, with the scenarios it may take."""

    horizon = fields.String(
        required=True, allow_none=True, metadata=describe("Free-text time horizon.", "coming months")
    )
    priority_for = fields.List(
        fields.String(), required=True, metadata=describe("Actor ids for whom it is a priority.", ["armenia"])
    )
    scenarios = fields.List(
        fields.Nested(ScenarioSchema), required=True, metadata=describe("Its scenarios in document order.")
    )


class StrategyElementSchema(_ElementFields):
    """One element of an actor's strategy."""

    actor = fields.String(
        required=True, allow_none=True, metadata=describe("The actor whose strategy it is.", "azerbaijan")
    )


ELEMENT_SCHEMAS: dict[str, type[Schema]] = {
    "factor": FactorSchema,
    "expectation": ExpectationSchema,
    "scenario": ScenarioSchema,
    "strategy-element": StrategyElementSchema,
}
"""The wire schema of each block type, keyed like :data:`briefs.blocks.BLOCK_TYPES`."""
