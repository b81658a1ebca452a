"""Citations on mentions and search hits: paste one into an article and it still points at the words."""

from __future__ import annotations

from marshmallow import Schema, fields

from briefs.citations import Citation
from schemas import urls
from schemas.briefs import element_url
from schemas.common import ComputedInteger, ComputedNested, ComputedString, SourceLinesSchema, describe
from schemas.urls import section_url


def citation_url(citation: Citation) -> str:
    """Path of the block that holds the quote, else of its section, as the brief is now."""
    if citation.element is not None:
        return element_url(citation.element)
    return section_url(citation.brief.id, citation.section_id)


def citation_permalink(citation: Citation) -> str | None:
    """The same path pinned to the version quoted; None when the quoted text is in no version."""
    version = citation.brief.version
    if version is None:
        return None
    element = citation.element
    if element is not None:
        return urls.element_url(element.brief_id, element.type, element.id, version)
    return section_url(citation.brief.id, citation.section_id, version)


class QuoteSchema(Schema):
    """The quoted words with their context (a W3C TextQuoteSelector)."""

    exact = fields.String(required=True, metadata=describe("The quoted text.", "Vladimir Putin"))
    prefix = fields.String(
        required=True, metadata=describe("Up to 32 characters before it.", "convened by Russian President ")
    )
    suffix = fields.String(
        required=True, metadata=describe("Up to 32 characters after it.", ". The following is a brief")
    )


class PositionSchema(Schema):
    """Character offsets of the quote in the brief's plain text (a W3C TextPositionSelector)."""

    start = fields.Integer(required=True, metadata=describe("Offset of the first character.", 262))
    end = fields.Integer(required=True, metadata=describe("Offset just past the last character.", 276))


class CitationSchema(Schema):
    """Where quoted words stand, pinned to the revision and bytes of the brief."""

    brief_id = fields.String(required=True, metadata=describe("The brief.", "sochi-summit-2021"))
    section_id = fields.String(required=True, metadata=describe("The section.", "lead"))
    element_id = fields.String(
        required=True, allow_none=True, metadata=describe("The innermost typed block, or null.", None)
    )
    quote = ComputedNested(lambda c: c, QuoteSchema, required=True)
    position = ComputedNested(lambda c: c, PositionSchema, required=True)
    source = fields.Nested(SourceLinesSchema, required=True, metadata=describe("File lines of the quote."))
    url = ComputedString(
        citation_url,
        required=True,
        metadata=describe(
            "Path of the block or section as the brief is now.", "/v1/briefs/sochi-summit-2021/sections/lead"
        ),
    )
    version = ComputedInteger(
        lambda c: c.brief.version, required=True, allow_none=True,
        metadata=describe("The version of the brief quoted; null for uncommitted text or without history.", 1),
    )  # fmt: skip
    permalink = ComputedString(
        citation_permalink, required=True, allow_none=True,
        metadata=describe(
            "The block or section pinned to that version: the same bytes for as long as the history exists.",
            "/v1/briefs/sochi-summit-2021/versions/1/sections/lead",
        ),
    )  # fmt: skip
    revision = ComputedInteger(lambda c: c.brief.revision, required=True, metadata=describe("The brief's revision.", 1))
    sha256 = ComputedString(
        lambda c: c.brief.source.sha256,
        required=True,
        metadata=describe("SHA-256 of the brief's file, pinning the text.", "3df07add7a08..."),
    )
