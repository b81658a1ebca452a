"""Actors, events and mentions."""

from __future__ import annotations

from marshmallow import Schema, fields

from briefs.citations import Citation
from schemas.citations import CitationSchema
from schemas.common import ComputedNested, ComputedString, Ids, describe
from schemas.enums import ActorKind, DatePrecision
from schemas.urls import absolute, actor_page, actor_url, event_page, event_url


class ActorSchema(Schema):
    """A person, state, organisation, territory or place that briefs mention."""

    id = fields.String(attribute="actor.id", required=True, metadata=describe("Slug.", "vladimir-putin"))
    name = fields.String(attribute="actor.name", required=True, metadata=describe("Display name.", "Vladimir Putin"))
    kind = ActorKind(attribute="actor.kind", required=True, metadata=describe("What kind of actor.", "person"))
    description = fields.String(
        attribute="actor.description", required=True, allow_none=True,
        metadata=describe("Short description.", "President of Russia"),
    )  # fmt: skip
    affiliation = fields.String(
        attribute="actor.affiliation", required=True, allow_none=True,
        metadata=describe("Id of the actor it belongs to.", "russia"),
    )  # fmt: skip
    aliases = fields.List(
        fields.String(), attribute="actor.aliases", required=True,
        metadata=describe("Other names it goes by; search finds its mentions by any of them.", ["Putin"]),
    )  # fmt: skip
    mention_count = fields.Integer(required=True, metadata=describe("Mentions across all briefs.", 7))
    brief_count = fields.Integer(required=True, metadata=describe("Briefs that mention it.", 1))
    url = ComputedString(lambda entry: actor_url(entry.actor.id), required=True,
                         metadata=describe("Its own path.", "/v1/actors/vladimir-putin"))  # fmt: skip
    html_url = ComputedString(
        lambda entry: absolute(actor_page(entry.actor.id)), required=True,
        metadata=describe("Its reader page: who it is and every mention with its quote.", "/actors/vladimir-putin"),
    )  # fmt: skip


PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class EventSchema(Schema):
    """Something that happened, dated to the year, month or day."""

    id = fields.String(attribute="event.id", required=True, metadata=describe("Slug.", "sochi-meeting-2021"))
    title = fields.String(
        attribute="event.title", required=True, metadata=describe("What happened.", "Trilateral meeting in Sochi")
    )
    date = fields.String(
        attribute="event.date",
        required=True,
        metadata=describe("As written: YYYY, YYYY-MM or YYYY-MM-DD.", "2021-11-26", pattern=PARTIAL_DATE_PATTERN),
    )
    date_precision = DatePrecision(
        attribute="event.date_precision", required=True, metadata=describe("Precision.", "day")
    )
    place = fields.String(attribute="event.place", required=True, allow_none=True, metadata=describe("Where.", "Sochi"))
    participants = fields.List(fields.String(), attribute="event.participants", required=True,
                               metadata=describe("Actor ids.", ["vladimir-putin"]))  # fmt: skip
    aliases = fields.List(
        fields.String(), attribute="event.aliases", required=True,
        metadata=describe("Other names it goes by; search finds its mentions by any of them.", ["Sochi summit"]),
    )  # fmt: skip
    briefs = Ids(required=True, metadata=describe("Briefs about it or mentioning it.", ["sochi-summit-2021"]))
    url = ComputedString(lambda entry: event_url(entry.event.id), required=True,
                         metadata=describe("Its own path.", "/v1/events/sochi-meeting-2021"))  # fmt: skip
    html_url = ComputedString(
        lambda entry: absolute(event_page(entry.event.id)), required=True,
        metadata=describe("Its place on the reader's timeline page.", "/events#sochi-meeting-2021"),
    )  # fmt: skip


class MentionSchema(Schema):
    """One place where a brief names an entity, with a citation to paste."""

    brief_id = fields.String(required=True, metadata=describe("The brief.", "sochi-summit-2021"))
    brief_title = ComputedString(lambda c: c.brief.title, required=True, metadata=describe("The brief's title."))
    exact = fields.String(required=True, metadata=describe("The words of the mention.", "Vladimir Putin"))
    citation = ComputedNested(lambda c: c, CitationSchema, required=True)


MENTION_CSV_COLUMNS = ("brief_id", "section_id", "element_id", "exact", "prefix", "suffix", "start", "end",
                       "line_start", "line_end", "url", "revision", "sha256")  # fmt: skip


def mention_row(citation: Citation) -> dict[str, object]:
    """A CSV row of a mention."""
    dumped = CitationSchema().dump(citation)
    return {
        **{key: dumped[key] for key in ("brief_id", "section_id", "element_id", "url", "revision", "sha256")},
        **dumped["quote"], **dumped["position"],
        "line_start": dumped["source"]["line_start"], "line_end": dumped["source"]["line_end"],
    }  # fmt: skip
