"""Search as the views use it: hits with citations, the query as read, and facets."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import request

from api.rest import paginate
from api.store import reader
from briefs import search as fts
from briefs.citations import PinnedQuote
from briefs.facets import Facet
from briefs.names import NamedEntity


@dataclass(frozen=True, slots=True)
class CitedHit:
    """A search hit with the citation of its first matched words."""

    hit: fts.SearchHit
    """The hit."""
    citation: PinnedQuote | None
    """Where its first match stands; None when only a title or summary matched."""


@dataclass(frozen=True, slots=True)
class QueryReading:
    """What a search made of ``q``: the ``query`` object of its answer."""

    as_read: str
    syntax: str
    dropped_characters: tuple[str, ...]
    entities: tuple[NamedEntity, ...]
    notes: tuple[str, ...]
    suggestion: str | None
    suggestion_total: int | None
    suggestion_url: str | None


def search_page(q: str, filters: fts.SearchFilters, facets: Sequence[str], page: int, per_page: int) -> dict[str, Any]:
    """One page of a search: cited hits, the paging envelope, the query as read and the facets asked for."""
    artifact = reader()
    # The facets are counted with the hits, in one statement.
    result = artifact.search.search(q, filters=filters, limit=per_page, offset=(page - 1) * per_page, facets=facets)
    envelope = paginate(range(result.total), page, per_page)
    envelope["items"] = cite_hits(result.hits)
    envelope["query"] = _query_reading(result, _filter_notes(filters))
    if result.facets is not None:
        envelope.update(facet_fields(result.facets))
    return envelope


def _query_reading(result: fts.SearchResult, notes: tuple[str, ...] = ()) -> QueryReading:
    return query_reading(result.reading, result.suggestion, notes)


def _filter_notes(filters: fts.SearchFilters) -> tuple[str, ...]:
    """Why the filters alone let no hit through, when they do: an id that names nothing (a typo, most
    often), or a date range that ends before it starts. The answer is still a page (with no hits)."""
    artifact = reader()
    notes = []
    if filters.brief is not None and artifact.brief_title(filters.brief) is None:  # without unpickling it
        notes.append(f"No brief has the id '{filters.brief}' (brief=): nothing can match.")
    if filters.actor is not None and filters.actor not in artifact.actors:
        notes.append(f"No actor has the id '{filters.actor}' (actor=): nothing can match.")
    if filters.event is not None and filters.event not in artifact.entities.events:
        notes.append(f"No event has the id '{filters.event}' (event=): nothing can match.")
    if filters.published_from and filters.published_to and filters.published_from > filters.published_to:
        notes.append("published_from is after published_to: nothing can match.")
    return tuple(notes)


def query_reading(reading: fts.Reading, suggestion: fts.Suggestion | None, notes: tuple[str, ...] = ()) -> QueryReading:
    """The ``query`` object of an answer: ``q`` as read, and a respelling that finds hits (or None).

    :param notes: sentences about the request to add to the reading's own
    """
    url = None
    if suggestion is not None:
        args = {name: value for name, value in request.args.items() if name != "page"}
        url = f"{request.path}?{urlencode({**args, 'q': suggestion.text})}"
    return QueryReading(
        reading.as_read, reading.syntax, reading.dropped, reading.entities, reading.notes + notes,
        suggestion.text if suggestion else None, suggestion.total if suggestion else None, url,
    )  # fmt: skip


def with_match(filters: dict[str, Any], q: str | None) -> tuple[dict[str, Any] | None, fts.Reading | None]:
    """The filters of the briefs or elements list with ``q`` read as a ``match`` expression (see
    :meth:`briefs.search.SearchIndex.read`), None when ``q`` has nothing to look for, so nothing matches;
    and ``q`` as read (None without ``q``)."""
    if q is None:
        return filters, None
    reading = reader().search.read(q)
    return (None if reading.match is None else {**filters, "match": reading.match}), reading


def list_query(
    reading: fts.Reading, total: int, filters: dict[str, Any], count: Callable[[dict[str, Any]], int]
) -> dict[str, Any]:
    """The ``query`` field of the briefs or elements list, as /v1/search answers it: ``q`` as read, and a
    respelling that finds items under the same filters.

    :param total: the items ``q`` found
    :param filters: the list's filters, without ``q``
    :param count: the number of items the filters find (with a ``match`` expression)
    """
    index = reader().search

    def items(text: str) -> int:
        match = index.read(text).match
        return 0 if match is None else count({**filters, "match": match})

    return {"query": query_reading(reading, index.suggest(reading, total, items))}


def list_facets(
    names: Sequence[str], filters: dict[str, Any] | None, count: Callable[..., Mapping[str, Facet]]
) -> dict[str, Any]:
    """The ``facets`` and ``facet_totals`` of the briefs or elements list, as :func:`with_match` gave its filters.

    :param count: :meth:`briefs.reader.Artifact.brief_facets` or :meth:`~briefs.reader.Artifact.element_facets`
    """
    return facet_fields(count(names, **filters) if filters is not None else names)


def facet_fields(facets: Mapping[str, Facet] | Sequence[str]) -> dict[str, Any]:
    """The ``facets`` and ``facet_totals`` of an envelope; facet names alone give empty ones."""
    if not isinstance(facets, Mapping):
        facets = {name: Facet((), 0) for name in facets}
    return {
        "facets": {name: facet.values for name, facet in facets.items()},
        "facet_totals": {name: facet.total for name, facet in facets.items()},
    }


def cite_hits(hits: list[fts.SearchHit]) -> list[CitedHit]:
    """Each hit with the citation of its first matched words."""
    return [CitedHit(hit, citation) for hit, citation in zip(hits, reader().search.cite(hits), strict=True)]
