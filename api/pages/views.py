"""The reader pages' views: look up as the JSON views do (same 404, 410 and 422), dump with the same wire
schemas, render a template."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import nullcontext
from typing import Any

import flask
from flask import g, render_template, request
from marshmallow import Schema, pre_load
from webargs.flaskparser import FlaskParser

from api.pages import metadata
from api.pages.citing import Cite, cite_element, cite_quote, cite_title, context_parts
from api.pages.markup import rewrite_section
from api.paging import page_of
from api.search import search_page
from api.store import reader
from api.v1.actors import find_actor
from api.v1.briefs import find_brief
from api.v1.versions import find_version
from briefs.citations import Citation, PinnedQuote
from briefs.diff import diff_briefs
from briefs.model import Brief, Element
from briefs.search import SearchFilters
from schemas import urls
from schemas.briefs import BriefSchema, BriefSummarySchema
from schemas.entities import ActorSchema, EventSchema, MentionSchema
from schemas.facets import faceted_page_schema
from schemas.paging import PageQuerySchema
from schemas.queries import ChangesQuerySchema, SearchQuerySchema, SearchText
from schemas.search import SearchHitSchema, SearchQueryReadingSchema
from schemas.versions import BriefChangesSchema, VersionSchema

PER_PAGE = {"briefs": 20, "mentions": 50, "versions": 50}
SEARCH_FACETS = ("type", "brief", "actor", "event", "year")
"""Facets the search page shows as filters (each value a link that adds the filter)."""
PAGE_PREFIXES = ("/briefs", "/actors", "/events", "/search")

_parser = FlaskParser()


def is_page_path(path: str) -> bool:
    """Whether a path is the reader's (the home page or under one of its prefixes)."""
    return path == "/" or any(path == p or path.startswith(p + "/") for p in PAGE_PREFIXES)


class SearchPageQuerySchema(SearchQuerySchema):
    """The search page's query: as /v1/search, but an empty form (no ``q``) shows the form alone."""

    q = SearchText(load_default=None)

    @pre_load
    def _empty_field_is_the_empty_form(self, data: Mapping[str, Any], **_: Any) -> Mapping[str, Any]:
        """``q=`` (the field sent empty) shows the form alone, as no ``q`` does; /v1/search keeps its 422."""
        return {key: data[key] for key in data if key != "q"} if data.get("q") == "" else data


def accepts(schema: type[Schema]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a page's query parameters (any other is a 422, as on the API)."""

    def declare(view: Callable[..., Any]) -> Callable[..., Any]:
        view._apidoc = {"arguments": {"parameters": [{"in": "query", "schema": schema}]}}  # type: ignore[attr-defined]
        return view

    return declare


def _query(schema: type[Schema]) -> dict[str, Any]:
    parsed: dict[str, Any] = _parser.parse(schema(), request, location="query")
    return parsed


def _paging(kind: str) -> tuple[int, int, dict[str, int]]:
    """The page number and size a paged page shows, and the arguments its pager's links keep: the size is
    ``per_page`` when the address gives it (as on the API), else the page's own (:data:`PER_PAGE`)."""
    args = _query(PageQuerySchema)
    given = "per_page" in request.args
    per_page = args["per_page"] if given else PER_PAGE[kind]
    return args["page"], per_page, {"per_page": per_page} if given else {}


def page(template: str, alternate: str | None, **context: Any) -> flask.Response:
    """A rendered page; ``alternate`` is its JSON (a ``Link`` header and a ``<link rel="alternate">``)."""
    links = [f'<{alternate}>; rel="alternate"; type="application/json"'] if alternate else []
    paging = g.pop("link_header", None)  # search_page pages through api.rest.paginate
    g.link_header = ", ".join([*links, *([paging] if paging else [])]) or None
    body = render_template(template, alternate=alternate, **context)
    return flask.current_app.response_class(body, mimetype="text/html")


def _committed(brief_id: str) -> dict[int, str]:
    return {v["version"]: v["committed_at"] for v in reader().versions(brief_id)}


def _names() -> dict[str, Callable[[str], str]]:
    artifact = reader()

    def actor(actor_id: str) -> str:
        entry = artifact.actors.get(actor_id)
        return entry.actor.name if entry else actor_id

    def event(event_id: str) -> str:
        found = artifact.entities.events.get(event_id)
        return found.title if found else event_id

    def brief(brief_id: str) -> str:
        return artifact.brief_title(brief_id) or brief_id

    return {"actor_name": actor, "event_title": event, "brief_title": brief}


def register(blp: flask.Blueprint) -> None:
    """Add every page to the blueprint."""
    blp.add_url_rule("/", "home", home)
    blp.add_url_rule("/briefs/<brief_id>", "brief", brief)
    blp.add_url_rule("/briefs/<brief_id>/versions", "versions", versions)
    blp.add_url_rule("/briefs/<brief_id>/versions/<version:version>", "version", version)
    blp.add_url_rule("/briefs/<brief_id>/versions/<version:version>/changes", "changes", changes)
    blp.add_url_rule("/actors/<actor_id>", "actor", actor)
    blp.add_url_rule("/events", "events", events)
    blp.add_url_rule("/search", "search", search)


@accepts(PageQuerySchema)
def home() -> flask.Response:
    """Briefs, newest first, with search."""
    number, per_page, paging = _paging("briefs")
    artifact = reader()
    envelope, _ = page_of(artifact.brief_ids(sort="-published"), number, per_page, "/")
    items = BriefSummarySchema(many=True).dump(artifact.briefs(envelope["items"]))
    return page("pages/home.html", urls.BRIEFS, briefs=items, pagination=envelope["pagination"], paging=paging)


def brief(brief_id: str) -> flask.Response:
    """A brief as it is now."""
    return _brief_page(find_brief(brief_id), pinned=False)


def version(brief_id: str, version: str) -> flask.Response:
    """A brief as it was at one version."""
    return _brief_page(find_version(brief_id, version), pinned=True)


def _brief_page(brief: Brief, *, pinned: bool) -> flask.Response:
    committed = _committed(brief.id)
    with urls.pinned(brief.id, brief.version or 0) if pinned else nullcontext():
        data = BriefSchema().dump(brief)
        sections = _sections(brief, committed)
    latest = reader().latest_version(brief.id)
    alternate = urls.version_url(brief.id, brief.version or 0) if pinned else urls.brief_url(brief.id)
    names = _names()
    return page(
        "pages/brief.html", alternate, brief=data, sections=sections, pinned=pinned, latest=latest,
        committed=committed, json_ld=metadata.json_ld(metadata.report(data, committed, names)), **names,
    )  # fmt: skip


def _sections(brief: Brief, committed: dict[int, str]) -> list[dict[str, Any]]:
    """Each section with its HTML as the page shows it (blocks marked and citable, mentions linked)."""
    elements = {e.id: e for e in brief.elements}
    block_open = flask.get_template_attribute("pages/_blocks.html", "block_open")
    block_close = flask.get_template_attribute("pages/_blocks.html", "block_close")
    names = _names()

    def opening(element: Element, level: int) -> str:
        return str(block_open(element, level, element.type.replace("-", " ").capitalize(), names["actor_name"]))

    def closing(element: Element, level: int) -> str:
        return str(block_close(element, cite_element(brief, element, committed)))

    return [
        {
            "id": section.id,
            "anchor": f"section-{section.id}" if section.id in elements else section.id,
            "title": section.title,
            "level": section.level,
            "html": rewrite_section(section.html, elements, section.level, opening, closing),
        }
        for section in brief.sections
    ]


@accepts(PageQuerySchema)
def versions(brief_id: str) -> flask.Response:
    """A brief's history."""
    number, per_page, paging = _paging("versions")
    artifact = reader()
    current = artifact.brief(brief_id)
    latest = artifact.latest_version(brief_id)
    if current is None and latest is None:
        find_brief(brief_id)  # the 404 (or 410) the API answers
    title = current.title if current else artifact.version_brief(brief_id, latest or 1).title  # type: ignore[union-attr]
    envelope, _ = page_of(artifact.versions(brief_id), number, per_page, request.path)
    items = VersionSchema(many=True).dump(envelope["items"])
    return page(
        "pages/versions.html", urls.versions_url(brief_id), brief_id=brief_id, title=title, versions=items,
        pagination=envelope["pagination"], paging=paging, withdrawn=current is None,
    )  # fmt: skip


@accepts(ChangesQuerySchema)
def changes(brief_id: str, version: str) -> flask.Response:
    """What changed in a version, word by word."""
    from api.problems import reject_parameter  # noqa: PLC0415 - api.problems imports this package

    from_ = _query(ChangesQuerySchema).get("from_")
    newer = find_version(brief_id, version)
    number = newer.version or 1
    if from_ is not None and from_ >= number:
        reject_parameter("query", "from", f"Must be a version lower than {number}, the one diffed.")
    older = number - 1 if from_ is None else from_
    before = find_version(brief_id, str(older)) if older >= 1 else None
    diff = BriefChangesSchema().dump(diff_briefs(before, newer, older if before else None, number))
    return page(
        "pages/changes.html", urls.version_changes_url(brief_id, number), diff=diff, title=newer.title,
        committed=_committed(brief_id),
    )  # fmt: skip


@accepts(PageQuerySchema)
def actor(actor_id: str) -> flask.Response:
    """Who an actor is, and every mention with its quote."""
    number, per_page, paging = _paging("mentions")
    entry = find_actor(actor_id)
    envelope, _ = page_of(reader().citations(actor_id), number, per_page, request.path)
    mentions = list(_cited(envelope["items"], MentionSchema(many=True).dump(envelope["items"])))
    names = _names()
    return page(
        "pages/actor.html", urls.actor_url(actor_id), actor=ActorSchema().dump(entry), mentions=mentions,
        pagination=envelope["pagination"], paging=paging, **names,
    )  # fmt: skip


Context = tuple[str, str, str]
"""A quote in context: the words before, the mention or match, the words after."""


def _cited(
    citations: Iterable[Citation | None], dumped: Iterable[Any]
) -> Iterable[tuple[Any, Cite | None, Context | None]]:
    """Each dumped item with the Cite control of its citation and the quote in context (to mark its middle)."""
    committed: dict[str, dict[int, str]] = {}
    for citation, item in zip(citations, dumped, strict=True):
        brief_id = citation.brief.id if citation else item["brief_id"]
        if brief_id not in committed:
            committed[brief_id] = _committed(brief_id)
        if citation is None:
            yield item, _title_cite(item, committed[brief_id]), None
            continue
        parts = context_parts(citation)
        yield item, cite_quote(citation, committed[brief_id], "".join(parts)), parts


def _title_cite(hit: dict[str, Any], committed: dict[int, str]) -> Cite | None:
    """A search hit whose title alone matched is cited by that title (a brief hit by its title too)."""
    brief = reader().brief(hit["brief_id"])
    title = hit.get("title") or (brief.title if brief else None)
    if brief is None or not title:
        return None
    return cite_title(brief, hit.get("element_id") or hit.get("section_id"), title, committed)


def _with_brief(quote: PinnedQuote | None) -> Citation | None:
    """A search hit's citation (plain values read from the index) with the brief it quotes, as a page's
    Cite control shows it: the brief's title, version and the words around the quote."""
    brief = None if quote is None else reader().brief(quote.brief_id)
    if quote is None or brief is None:
        return None
    element = next((e for e in brief.elements if e.id == quote.element_id), None)
    lines = quote.source
    return Citation(brief, quote.section_id, element, quote.start, quote.end, lines.line_start, lines.line_end)


def events() -> flask.Response:
    """Every event in time order, with the briefs about it: one page, so that ``/events#{event_id}`` (an
    event's ``html_url``) always finds it (entity files are curated lists, not a corpus)."""
    artifact = reader()
    items = EventSchema(many=True).dump([artifact.must_event_entry(e.id) for e in artifact.events])
    return page("pages/events.html", urls.EVENTS, events=items, **_names())


@accepts(SearchPageQuerySchema)
def search() -> flask.Response:
    """Hits with highlighted snippets, facets as filters, and the suggestion when there is one."""
    args = _query(SearchPageQuerySchema)
    q = args.pop("q")
    context: dict[str, Any] = {"q": q or "", "filters": {k: v for k, v in request.args.items() if k != "page"}}
    if q:
        kind = args.pop("type", None)
        page_number, per_page = args.pop("page"), args.pop("per_page")
        args.pop("facets", None)
        envelope = search_page(q, SearchFilters(frozenset({kind}) if kind else None, **args), SEARCH_FACETS,
                               page_number, per_page)  # fmt: skip
        citations = [_with_brief(cited.citation) for cited in envelope["items"]]
        dumped = faceted_page_schema(SearchHitSchema, SearchQueryReadingSchema)().dump(envelope)
        context.update(result=dumped, hits=list(_cited(citations, dumped["items"])))
    alternate = f"{urls.SEARCH}?{request.query_string.decode()}" if q else None
    return page("pages/search.html", alternate, **context, **_names())
