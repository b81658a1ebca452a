"""Citations on mentions and search hits: paste one into an article and it still points at the words."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from briefs.citations import Cited
from schemas import urls
from schemas.common import ComputedInteger, ComputedNested, ComputedString, SourceLinesSchema, describe
from schemas.urls import section_url


def citation_url(citation: Cited, version: int | None = None) -> str:
    """Path of the block that holds the quote, else of its section, as the brief is now (or in ``version``)."""
    if citation.element_id is not None and citation.element_type is not None:
        return urls.element_url(citation.brief_id, citation.element_type, citation.element_id, version)
    return section_url(citation.brief_id, citation.section_id, version)


def citation_permalink(citation: Cited) -> str | None:
    """The same path pinned to the version quoted; None when the quoted text is in no version."""
    return None if citation.version is None else citation_url(citation, citation.version)


def dump_citation(citation: Cited) -> dict[str, Any]:
    """What :class:`CitationSchema` dumps, built directly (a page of search hits dumps twenty of them):
    the same keys in the same order, held to it by a test."""
    source = citation.source
    return {
        "brief_id": citation.brief_id, "section_id": citation.section_id, "element_id": citation.element_id,
        "quote": {"exact": citation.exact, "prefix": citation.prefix, "suffix": citation.suffix},
        "position": {"start": citation.start, "end": citation.end},
        "source": {"path": source.path, "line_start": source.line_start, "line_end": source.line_end},
        "url": citation_url(citation), "version": citation.version, "permalink": citation_permalink(citation),
        "html_url": citation_html_url(citation), "html_permalink": citation_html_permalink(citation),
        "revision": citation.revision, "sha256": citation.sha256,
    }  # fmt: skip


def citation_html_url(citation: Cited, version: int | None = None) -> str:
    """The brief's page at the block (else the section) holding the quote, with a text fragment that scrolls to
    the quote and highlights it; absolute under ``BRIEFS_PUBLIC_URL``."""
    anchor = citation.element_id or citation.section_id
    return urls.absolute(f"{urls.brief_page(citation.brief_id, version)}#{anchor}:~:{citation.directive}")


def citation_html_permalink(citation: Cited) -> str | None:
    """:func:`citation_html_url` pinned to the version quoted; None when the quoted text is in no version."""
    return None if citation.version is None else citation_html_url(citation, citation.version)


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
        lambda c: c.version, required=True, allow_none=True,
        metadata=describe("The version of the brief quoted; null for uncommitted text or without history.", 1),
    )  # fmt: skip
    permalink = ComputedString(
        citation_permalink, required=True, allow_none=True,
        metadata=describe(
            "The block or section pinned to that version: the same bytes for as long as the history exists.",
            "/v1/briefs/sochi-summit-2021/versions/1/sections/lead",
        ),
    )  # fmt: skip
    html_url = ComputedString(
        citation_html_url, required=True,
        metadata=describe(
            "The brief's page at the block or section, as it is now, with a W3C text fragment that scrolls to the "
            "quote and highlights it; absolute when the server has a public URL.",
            "/briefs/sochi-summit-2021#lead:~:text=convened%20by%20Russian%20President-,Vladimir%20Putin,-.",
        ),
    )  # fmt: skip
    html_permalink = ComputedString(
        citation_html_permalink, required=True, allow_none=True,
        metadata=describe(
            "The page of the version quoted, at the quote (a text fragment): what to paste into an article. "
            "Null when permalink is null.",
            "/briefs/sochi-summit-2021/versions/1#lead:~:text=convened%20by%20Russian%20President-,Vladimir%20Putin,-.",
        ),
    )  # fmt: skip
    revision = ComputedInteger(lambda c: c.revision, required=True, metadata=describe("The brief's revision.", 1))
    sha256 = ComputedString(
        lambda c: c.sha256,
        required=True,
        metadata=describe("SHA-256 of the brief's file, pinning the text.", "3df07add7a08..."),
    )
