"""Search hits, and how a search read its query."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from schemas.citations import CitationSchema
from schemas.common import ComputedNested, ComputedString, describe
from schemas.enums import EntityKind, HitType, QuerySyntax
from schemas.urls import API_PREFIX, actor_url, brief_url, element_url, event_url, section_url


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


class QueryEntitySchema(Schema):
    """An actor or event that the query names, by its name or an alias: hits also include the passages
    that mention it, whatever words they use."""

    kind = EntityKind(required=True, metadata=describe("Actor or event.", "actor"))
    id = fields.String(required=True, metadata=describe("Its id.", "nakhichevan"))
    name = fields.String(required=True, metadata=describe("Its name.", "Nakhichevan"))
    url = ComputedString(
        lambda entity: actor_url(entity.id) if entity.kind == "actor" else event_url(entity.id),
        required=True, metadata=describe("Its own path.", f"{API_PREFIX}/actors/nakhichevan"),
    )  # fmt: skip


class SearchQueryReadingSchema(Schema):
    """How the search read `q`, and a better spelling when a word of it is in no brief."""

    as_read = fields.String(
        required=True,
        metadata=describe(
            "The query as understood: in the search syntax, with dropped characters, possessives and the punctuation "
            "that joined words left out; searching for it gives the same hits.",
            "Putin border demarcation",
        ),
    )
    syntax = QuerySyntax(required=True, metadata=describe("How it was read.", "words"))
    dropped_characters = fields.List(
        fields.String(), required=True,
        metadata=describe("Control characters that were dropped from q, as U+XXXX code points.", ["U+0000"]),
    )  # fmt: skip
    entities = fields.List(
        fields.Nested(QueryEntitySchema), required=True,
        metadata=describe("The actors and events the query names; their mentions are hits too."),
    )  # fmt: skip
    notes = fields.List(
        fields.String(), required=True,
        metadata=describe(
            "Sentences for a person: why FTS5 syntax was read as words, which common words were not required.",
            ["Not required, as common words: the; they still rank the exact phrase first."],
        ),
    )  # fmt: skip
    suggestion = fields.String(
        required=True, allow_none=True,
        metadata=describe(
            "The query with each word that is in no brief respelt as the closest word (or entity name) that is; "
            "null when there is none, or when it would find nothing. Never applied on its own: the hits are those "
            "of q as read.",
            "border demarcation",
        ),
    )  # fmt: skip
    suggestion_total = fields.Integer(
        required=True, allow_none=True,
        metadata=describe("Hits the suggestion finds, with the same filters (at least 1); null without one.", 4),
    )  # fmt: skip
    suggestion_url = fields.String(
        required=True, allow_none=True,
        metadata=describe(
            "This search with q set to the suggestion; null without one.", f"{API_PREFIX}/search?q=border+demarcation"
        ),
    )  # fmt: skip
