"""Search hits."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from schemas.citations import CitationSchema
from schemas.common import ComputedNested, ComputedString, describe
from schemas.enums import HitType
from schemas.urls import API_PREFIX, brief_url, element_url, section_url


def hit_url(cited: Any) -> str:
    """The path of what was hit."""
    hit = cited.hit
    if hit.element_id:
        return element_url(hit.brief_id, hit.type, hit.element_id)
    if hit.section_id:
        return section_url(hit.brief_id, hit.section_id)
    return brief_url(hit.brief_id)


class SearchHitSchema(Schema):
    """A brief, section or typed block that matches the query."""

    type = HitType(attribute="hit.type", required=True, metadata=describe("What was hit.", "expectation"))
    brief_id = fields.String(
        attribute="hit.brief_id", required=True, metadata=describe("The brief.", "sochi-summit-2021")
    )
    section_id = fields.String(
        attribute="hit.section_id",
        required=True,
        allow_none=True,
        metadata=describe("The section, unless a whole brief was hit.", "outlook"),
    )
    element_id = fields.String(
        attribute="hit.element_id",
        required=True,
        allow_none=True,
        metadata=describe("The typed block, if one was hit.", "border-demarcation"),
    )
    title = fields.String(
        attribute="hit.title",
        required=True,
        allow_none=True,
        metadata=describe("Its title.", "A framework for border demarcation"),
    )
    snippet = fields.String(
        attribute="hit.snippet", required=True,
        metadata=describe(
            "HTML-escaped text around the match; matched terms are wrapped in <mark>…</mark>, and … marks cut text.",
            "…the issue of <mark>border</mark> <mark>demarcation</mark>. While…",
        ),
    )  # fmt: skip
    score = fields.Float(attribute="hit.score", required=True, metadata=describe("Relevance; higher is better.", 7.25))
    url = ComputedString(
        hit_url,
        required=True,
        metadata=describe(
            "Path of what was hit.", f"{API_PREFIX}/briefs/sochi-summit-2021/expectations/border-demarcation"
        ),
    )
    citation = ComputedNested(
        lambda cited: cited.citation, CitationSchema, required=True, allow_none=True,
        metadata=describe("Where the first matched words stand; null when only a title or summary matched."),
    )  # fmt: skip
