"""flask-smorest, customised once: problem+json errors, the paging envelope with
its Link header, ETag and 304, Cache-Control, CORS, strict query parameters,
named enum components and the conventions documented on every operation.

Views never build error bodies or headers; they look up, abort or return.
"""

from __future__ import annotations

import csv
import http
import io
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import flask
import flask_smorest
from apispec.ext.marshmallow import MarshmallowPlugin, OpenAPIConverter
from flask import Response, g, request
from flask.views import MethodView
from marshmallow import fields
from werkzeug.exceptions import HTTPException, InternalServerError

from api.cache import cache_key, freeze, serve
from api.paging import page_of
from api.store import current
from schemas.enums import NamedEnum
from schemas.problems import ProblemSchema

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
JSON = "application/json"
CSV = "text/csv"
CACHE_CONTROL = "public, max-age=60"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Encoding, If-None-Match, X-Request-ID",
    "Access-Control-Expose-Headers": "ETag, Link, Cache-Control, Retry-After, X-Content-Version, X-Request-ID",
}
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
"""The reader pages (api/pages) load their script and style files from this server only: no inline script
or style. Their JSON-LD is a data block, which a browser never runs, so script-src does not apply to it."""
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""/docs runs Swagger UI 5 from same-origin files only: no inline script or style, no eval
(its inline styles are set through the DOM, which style-src does not govern)."""
_DOCUMENTED_STATUS = {
    http.HTTPStatus(413): ("REQUEST_ENTITY_TOO_LARGE", "Request Entity Too Large"),
    http.HTTPStatus(414): ("REQUEST_URI_TOO_LONG", "Request-URI Too Long"),
    http.HTTPStatus(416): ("REQUESTED_RANGE_NOT_SATISFIABLE", "Requested Range Not Satisfiable"),
    http.HTTPStatus(422): ("UNPROCESSABLE_ENTITY", "Unprocessable Entity"),
}
"""The response components keep the names and phrases Python 3.11 gives these statuses:
Python 3.13 renamed them (RFC 9110, e.g. ``UNPROCESSABLE_CONTENT``), and the document, which
operations reference by name, must be the same whichever Python serves it."""
_HEADER_DOCS = {
    "ETag": {"description": "Strong entity tag of the representation.", "schema": {"type": "string"}},
    "Cache-Control": {"description": f"Caching policy, e.g. '{CACHE_CONTROL}'.", "schema": {"type": "string"}},
    "Link": {
        "description": "RFC 8288 links to the first, prev, next and last pages.",
        "schema": {"type": "string"},
    },
}


def abort(status: int, detail: str) -> None:
    """Stop the request with a problem+json answer."""
    flask_smorest.abort(status, message=detail)


def reject_parameter(location: str, name: str, message: str) -> None:
    """Stop the request with a 422 problem naming one parameter (``location`` is query or path)."""
    flask_smorest.abort(422, message=f"Invalid '{name}': {message}", errors={location: {name: [message]}})


class _Converter(OpenAPIConverter):
    """Documents :class:`NamedEnum` fields as references to one component per enum,
    and takes a schema's description from its docstring."""

    def schema2jsonschema(self, schema: Any) -> dict[str, Any]:
        jsonschema: dict[str, Any] = super().schema2jsonschema(schema)
        doc = (type(schema) if not isinstance(schema, type) else schema).__doc__
        if doc and "description" not in jsonschema:
            jsonschema["description"] = " ".join(doc.strip().split("\n\n")[0].split())
        return jsonschema

    def field2property(self, field: fields.Field) -> dict[str, Any]:
        if not isinstance(field, NamedEnum):
            return super().field2property(field)  # type: ignore[no-any-return]
        if field.component not in self.spec.components.schemas:
            component = {"type": "string", "enum": list(field.values), "description": field.doc}
            if field.names:
                component["x-enum-varnames"] = list(field.names)
            self.spec.components.schema(field.component, component=component)
        ref = {"$ref": f"#/components/schemas/{field.component}"}
        return {"anyOf": [ref, {"type": "null"}]} if field.allow_none else ref


class _Plugin(MarshmallowPlugin):
    Converter = _Converter


class Api(flask_smorest.Api):
    """The API extension with this project's HTTP conventions."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app: flask.Flask | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("spec_kwargs", {})["marshmallow_plugin"] = _Plugin()
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
        """Error responses (``NOT_FOUND``, ``UNPROCESSABLE_ENTITY``, …) as problem+json, registered lazily."""
        self.spec.components.schema("Problem", schema=ProblemSchema)
        problem = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for status in http.HTTPStatus:
            if status >= 400:
                # Every GET documents some of these, so they are always present.
                lazy = status not in (404, 422, 429)
                name, phrase = _DOCUMENTED_STATUS.get(status, (status.name, status.phrase))
                self.spec.components.response(name, {"description": phrase, "content": problem}, lazy=lazy)
        self.spec.components.response(
            self.DEFAULT_ERROR_RESPONSE_NAME, {"description": "An error, as problem details.", "content": problem}
        )

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
        """Every error as RFC 9457 problem details, keeping werkzeug's headers (``Allow``)."""
        status = error.code or 500
        if isinstance(error, InternalServerError) and error.original_exception is not None:
            log.error("unhandled error on %s %s", request.method, request.path, exc_info=error.original_exception)
        data = getattr(error, "data", None) or {}
        errors = _parameter_errors(data.get("errors") or data.get("messages"))
        detail = data.get("message") or (error.description if status != 500 else "The server failed to answer.")
        if status == 429:
            detail = f"Rate limit exceeded ({error.description}); retry after the seconds given in Retry-After."
        if errors and "message" not in data:
            detail = "Invalid " + "; ".join(f"'{e['name']}': {' '.join(e['messages'])}" for e in errors)
        problem: dict[str, Any] = {
            "type": "about:blank", "title": error.name, "status": status,
            "detail": detail, "instance": request.path,
        }  # fmt: skip
        if errors:
            problem["errors"] = errors
        from api.pages import render_problem  # noqa: PLC0415 - the pages import the views, which import this module

        response = render_problem(problem) or flask.current_app.response_class(
            flask.json.dumps(problem), status=status, mimetype=PROBLEM_JSON
        )
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        response.headers.update(data.get("headers") or {})
        return response

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


def _parameter_errors(messages: Any) -> list[dict[str, Any]]:
    """webargs' ``{location: {name: [message]}}`` as a list of named parameter errors."""
    if not isinstance(messages, dict):
        return []
    errors = []
    for location, by_name in messages.items():
        if not isinstance(by_name, dict):
            continue
        for name, texts in by_name.items():
            if isinstance(texts, dict):  # a list parameter (facets=a,b) reports each item by its index
                listed = [f"item {index + 1}: {text}" for index, item in sorted(texts.items()) for text in item]
            else:
                listed = texts if isinstance(texts, list) else [texts]
            errors.append({"name": name, "in": location, "messages": [str(t) for t in listed]})
    return errors


class Blueprint(flask_smorest.Blueprint):
    """A resource family; every GET is documented with ETag, 304, CORS and problem responses."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks.append(self._document_conventions)

    @staticmethod
    def _document_conventions(
        doc: dict[str, Any], doc_info: dict[str, Any], *, method: str, **_: Any
    ) -> dict[str, Any]:
        if method != "get":
            return doc
        responses = doc.setdefault("responses", {})
        headers = {"ETag": _HEADER_DOCS["ETag"], "Cache-Control": _HEADER_DOCS["Cache-Control"]}
        if doc_info.get("paginated"):
            headers["Link"] = _HEADER_DOCS["Link"]
        for status, response in responses.items():
            if str(status).startswith("2"):
                response.setdefault("headers", {}).update(headers)
        responses["304"] = {
            "description": "Not Modified: the If-None-Match tag still matches.",
            "headers": dict(headers),
        }
        # Any GET may meet an unknown or invalid query parameter, or the rate limit.
        responses.setdefault("422", "UNPROCESSABLE_ENTITY")
        responses.setdefault("429", "TOO_MANY_REQUESTS")
        doc.setdefault("parameters", []).append(
            {
                "name": "If-None-Match", "in": "header", "required": False,
                "description": "Answer 304 if the representation still has one of these entity tags (or '*').",
                "schema": {"type": "string"},
            }
        )  # fmt: skip
        return doc

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


def wants_csv(response_format: str | None) -> bool:
    """True when ``format=csv`` is asked, or the Accept header prefers text/csv to JSON."""
    if response_format:
        return response_format == "csv"
    return request.accept_mimetypes.best_match([JSON, CSV], default=JSON) == CSV


def csv_response(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], name: str) -> Response:
    """A UTF-8 CSV document with a header row and one row per item."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    response = flask.current_app.response_class(buffer.getvalue(), mimetype=CSV)
    response.headers["Content-Disposition"] = f'inline; filename="{name}.csv"'
    return response


def paginate(items: Sequence[Any], page: int, per_page: int) -> dict[str, Any]:
    """One page of ``items`` as the envelope; its RFC 8288 Link header goes on the response."""
    envelope, g.link_header = page_of(items, page, per_page, request.path, request.args.to_dict())
    return envelope


__all__ = ["Api", "Blueprint", "MethodView", "abort", "csv_response", "paginate", "wants_csv"]
