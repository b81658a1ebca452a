"""flask-smorest, customised once: the request hooks that apply the HTTP conventions (responses stored
and answered from the cache with ETag, 304 and gzip; unknown query parameters refused; Cache-Control,
CORS and security headers), the paging envelope with its Link header, and the Blueprint that documents
them on every operation. The conventions themselves are split by concern, as flask-smorest splits its
mixins: :mod:`api.headers`, :mod:`api.problems`, :mod:`api.spec` and :mod:`api.csvout`.

Views never build error bodies or headers; they look up, abort or return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import flask
import flask_smorest
from flask import Response, g, request
from flask.views import MethodView
from werkzeug.exceptions import HTTPException

from api.cache import cache_key, freeze, serve
from api.headers import CACHE_CONTROL, CORS_HEADERS, CSV, DOCS_CSP, JSON, PAGE_CSP, SECURITY_HEADERS
from api.paging import page_of
from api.problems import problem_response, register_problem_responses
from api.spec import Plugin, document_conventions
from api.store import current
from schemas.problems import ProblemSchema


class Api(flask_smorest.Api):
    """The API extension with this project's HTTP conventions."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app: flask.Flask | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("spec_kwargs", {})["marshmallow_plugin"] = Plugin()
        self._views: dict[tuple[str, str], _ViewInfo] = {}
        super().__init__(app, **kwargs)

    def init_app(self, app: flask.Flask, **kwargs: Any) -> None:
        """Set up the spec, then the request hooks that apply the conventions."""
        super().init_app(app, **kwargs)
        app.json.ensure_ascii = False  # type: ignore[attr-defined]
        app.json.sort_keys = False  # type: ignore[attr-defined]
        app.before_request(self._answer_from_cache)
        app.before_request(self._reject_unknown_parameters)
        app.after_request(self._apply_conventions)

    def _register_responses(self) -> None:
        """Error responses as problem+json (api.problems)."""
        register_problem_responses(self.spec, self.DEFAULT_ERROR_RESPONSE_NAME)

    def _register_etag_headers(self) -> None:
        """flask-smorest's ETag documentation is replaced by :meth:`Blueprint._document_conventions`."""

    def _register_pagination_header(self) -> None:
        """No X-Pagination header: paging lives in the body and the Link header."""

    def register_blueprint(self, blp: flask_smorest.Blueprint, **options: Any) -> None:
        """Register a resource family; an operation on a path with parameters may answer 404."""
        super().register_blueprint(blp, **options)
        for path, operations in self.spec._paths.items():
            if "{" in path:
                for operation in operations.values():
                    if isinstance(operation, dict) and "responses" in operation:
                        operation["responses"].setdefault("404", {"$ref": "#/components/responses/NOT_FOUND"})

    # -- errors -------------------------------------------------------------------

    def handle_http_exception(self, error: HTTPException) -> Response:  # type: ignore[override]
        """Every error as problem details (api.problems)."""
        return problem_response(error)

    # -- request hooks -----------------------------------------------------------

    def _view_info(self) -> _ViewInfo:
        key = (request.endpoint or "", request.method)
        if key not in self._views:
            self._views[key] = _describe_view(request.endpoint, request.method)
        return self._views[key]

    def _answer_from_cache(self) -> Response | None:
        if request.method not in ("GET", "HEAD") or request.routing_exception is not None:
            return None
        if self._view_info().uncached:
            return None
        snapshot = current()
        key = cache_key(request)
        entry = snapshot.responses.get(key)
        if entry is None and not request.query_string and key[2] == JSON:
            # Every single resource (and each collection's first page) was stored by the build.
            entry = snapshot.artifact.response(request.path)
            if entry is not None:
                snapshot.responses.put(key, entry)
        if entry is None:
            return None
        g.from_cache = True
        return serve(entry, request)

    def _reject_unknown_parameters(self) -> None:
        if request.routing_exception is not None:
            return  # a 404 or 405 is the better answer
        allowed = self._view_info().query
        unknown = [name for name in request.args if name not in allowed]
        if unknown:
            known = ", ".join(sorted(allowed)) or "none"
            flask_smorest.abort(
                422,
                message=f"Unknown query parameter {', '.join(repr(n) for n in unknown)}; known: {known}.",
                errors={"query": {name: [f"Unknown parameter. Known: {known}."] for name in unknown}},
            )
        # Every parameter takes one value (facets lists its names in one, comma-separated): a second one
        # would be dropped without a word, and q=Sochi&q=Brussels answer a search for Sochi alone.
        repeated = {name: len(values) for name, values in request.args.lists() if len(values) > 1}
        if repeated:
            flask_smorest.abort(
                422,
                message="; ".join(f"{_once(name, count)}" for name, count in repeated.items()) + ".",
                errors={"query": {name: [_once(name, count) + "."] for name, count in repeated.items()}},
            )

    def _apply_conventions(self, response: Response) -> Response:
        if (
            request.method in ("GET", "HEAD") and response.status_code == 200
            and not g.get("from_cache") and not response.direct_passthrough  # static files have their own validators
        ):  # fmt: skip
            response = self._store_and_serve(response)
        response.vary.update(("Accept", "Accept-Encoding"))
        response.headers.update(SECURITY_HEADERS)
        if request.endpoint == "api-docs.openapi_swagger_ui":
            response.headers["Content-Security-Policy"] = DOCS_CSP
        elif response.mimetype == "text/html":  # the reader pages, and their error pages
            response.headers["Content-Security-Policy"] = PAGE_CSP
        if request.method in ("GET", "HEAD", "OPTIONS"):
            response.headers.update(CORS_HEADERS)
        return response

    def _store_and_serve(self, response: Response) -> Response:
        """Freeze a fresh 200 into the snapshot's cache and answer from it (gzip, 304)."""
        link = g.pop("link_header", None)
        if link:
            response.headers["Link"] = link
        uncached = self._view_info().uncached
        response.headers.setdefault("Cache-Control", "no-cache" if uncached else CACHE_CONTROL)
        entry = freeze(response)
        if not uncached:
            current().responses.put(cache_key(request), entry)
        return serve(entry, request)


def _once(name: str, count: int) -> str:
    """Why a parameter given ``count`` times is refused."""
    hint = f" with its values comma-separated ({name}=actor,year)" if name == "facets" else ""
    return f"Query parameter {name!r} is given {count} times; give it once{hint}"


@dataclass(frozen=True, slots=True)
class _ViewInfo:
    query: frozenset[str]
    """Query parameters the view declares with ``@blp.arguments(..., location="query")``."""
    paginated: bool
    """Whether it answers a page of a collection."""
    uncached: bool = False
    """Whether every answer is computed afresh (probes): never stored, ``Cache-Control: no-cache``."""


def _describe_view(endpoint: str | None, method: str) -> _ViewInfo:
    view = flask.current_app.view_functions.get(endpoint or "")
    view_class = getattr(view, "view_class", None)
    func = getattr(view_class, "get" if method == "HEAD" else method.lower(), view) if view_class else view
    doc = getattr(func, "_apidoc", {})
    names: set[str] = set()
    for argument in doc.get("arguments", {}).get("parameters", []):
        if argument.get("in") == "query":
            schema = argument["schema"]
            schema = schema() if isinstance(schema, type) else schema
            names.update(field.data_key or name for name, field in schema.fields.items())
    return _ViewInfo(frozenset(names), bool(doc.get("paginated")), bool(doc.get("uncached")))


class Blueprint(flask_smorest.Blueprint):
    """A resource family; every GET is documented with ETag, 304, CORS and problem responses."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks.append(document_conventions)

    def csv(self, view: Any) -> Any:
        """Document that a collection also answers ``text/csv``, one row per item."""
        return self.alt_response(
            200, schema={"type": "string"}, content_type=CSV, success=True,
            description="CSV (Accept: text/csv or format=csv): a header row, then one row per item; not paged.",
        )(view)  # fmt: skip

    def uncached(self, view: Any) -> Any:
        """Mark a view whose answer must be computed on every request (a health probe)."""
        view._apidoc = {**getattr(view, "_apidoc", {}), "uncached": True}
        return view

    def paginated(self, view: Any) -> Any:
        """Mark a view as returning a page (documents the Link header)."""
        view._apidoc = {**getattr(view, "_apidoc", {}), "paginated": True}
        return view


def paginate(items: Sequence[Any], page: int, per_page: int) -> dict[str, Any]:
    """One page of ``items`` as the envelope; its RFC 8288 Link header goes on the response."""
    envelope, g.link_header = page_of(items, page, per_page, request.path, request.args.to_dict())
    return envelope


__all__ = ["Api", "Blueprint", "MethodView", "paginate"]
