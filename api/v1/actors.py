"""Actors, and every place a brief mentions one."""

from __future__ import annotations

from typing import Any

from api.csvout import csv_response, wants_csv
from api.problems import abort
from api.rest import Blueprint, MethodView, paginate
from api.store import reader
from briefs.lookups import ActorEntry
from briefs.query import clean, folded_words, parse
from briefs.words import fold
from schemas import urls
from schemas.entities import MENTION_CSV_COLUMNS, ActorSchema, MentionSchema, mention_row
from schemas.paging import page_schema
from schemas.queries import ActorQuerySchema, CsvQuerySchema

blp = Blueprint("actors", __name__, url_prefix=urls.ACTORS, description="People, states, organisations and places.")


def find_actor(actor_id: str) -> ActorEntry:
    """The actor, or a 404 problem."""
    entry = reader().actors.get(actor_id)
    if entry is None:
        abort(404, f"No actor '{actor_id}'.")
    return entry  # type: ignore[return-value]


def query_words(q: str) -> list[str]:
    """The words of ``q`` as search reads them, folded: ``Putin’s`` gives putin, ``Nagorno-Karabakh``
    nagorno and karabakh (punctuation and quotes are not words; control characters are dropped)."""
    text, _ = clean(q)
    return [word for group in parse(text) for term in group.terms for word in folded_words(term.words)]


def _matches(entry: ActorEntry, kind: str | None, q: list[str] | None) -> bool:
    actor = entry.actor
    words = fold(" ".join((actor.id, actor.name, *actor.aliases, actor.description or ""))) if q else ""
    return (kind is None or actor.kind == kind) and (q is None or (bool(q) and all(w in words for w in q)))


@blp.route("")
class Actors(MethodView):
    @blp.doc(operationId="listActors")
    @blp.arguments(ActorQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, page_schema(ActorSchema))
    @blp.paginated
    def get(self, page: int, per_page: int, kind: str | None = None, q: str | None = None) -> dict[str, Any]:
        """List actors by name, with how often briefs mention them."""
        words = None if q is None else query_words(q)
        entries = [e for e in reader().actors.values() if _matches(e, kind, words)]
        return paginate(entries, page, per_page)


@blp.route("/<actor_id>")
class ActorsById(MethodView):
    @blp.doc(operationId="getActor")
    @blp.response(200, ActorSchema)
    def get(self, actor_id: str) -> ActorEntry:
        """Get an actor, with counts of its mentions and of the briefs that mention it."""
        return find_actor(actor_id)


@blp.route("/<actor_id>/mentions")
class ActorMentions(MethodView):
    @blp.doc(operationId="listActorMentions")
    @blp.arguments(CsvQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, page_schema(MentionSchema))
    @blp.csv
    @blp.paginated
    def get(self, actor_id: str, page: int, per_page: int, format: str | None = None) -> Any:
        """List every place a brief mentions the actor, each with a citation to paste."""
        find_actor(actor_id)
        citations = reader().citations(actor_id)
        if wants_csv(format):
            return csv_response(map(mention_row, citations), MENTION_CSV_COLUMNS, f"{actor_id}-mentions")
        return paginate(citations, page, per_page)
