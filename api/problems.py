"""Errors as RFC 9457 problem details: how a view stops a request, how every HTTP error becomes a
problem+json answer (or, for a browser on a reader page, an HTML page), and how the OpenAPI document
describes them."""

from __future__ import annotations

import http
import logging
from typing import Any

import flask
import flask_smorest
from apispec import APISpec
from flask import Response, request
from werkzeug.exceptions import HTTPException, InternalServerError

from api.headers import PROBLEM_JSON
from schemas.problems import ProblemSchema

log = logging.getLogger(__name__)

DOCUMENTED_STATUS = {
    http.HTTPStatus(413): ("REQUEST_ENTITY_TOO_LARGE", "Request Entity Too Large"),
    http.HTTPStatus(414): ("REQUEST_URI_TOO_LONG", "Request-URI Too Long"),
    http.HTTPStatus(416): ("REQUESTED_RANGE_NOT_SATISFIABLE", "Requested Range Not Satisfiable"),
    http.HTTPStatus(422): ("UNPROCESSABLE_ENTITY", "Unprocessable Entity"),
}
"""The response components keep the names and phrases Python 3.11 gives these statuses:
Python 3.13 renamed them (RFC 9110, e.g. ``UNPROCESSABLE_CONTENT``), and the document, which
operations reference by name, must be the same whichever Python serves it."""


def abort(status: int, detail: str) -> None:
    """Stop the request with a problem+json answer."""
    flask_smorest.abort(status, message=detail)


def reject_parameter(location: str, name: str, message: str) -> None:
    """Stop the request with a 422 problem naming one parameter (``location`` is query or path)."""
    flask_smorest.abort(422, message=f"Invalid '{name}': {message}", errors={location: {name: [message]}})


def parameter_errors(messages: Any) -> list[dict[str, Any]]:
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


def problem_response(error: HTTPException) -> Response:
    """Every error as RFC 9457 problem details, keeping werkzeug's headers (``Allow``)."""
    status = error.code or 500
    if isinstance(error, InternalServerError) and error.original_exception is not None:
        log.error("unhandled error on %s %s", request.method, request.path, exc_info=error.original_exception)
    data = getattr(error, "data", None) or {}
    errors = parameter_errors(data.get("errors") or data.get("messages"))
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


def register_problem_responses(spec: APISpec, default_name: str) -> None:
    """Error responses (``NOT_FOUND``, ``UNPROCESSABLE_ENTITY``, …) as problem+json, registered lazily."""
    spec.components.schema("Problem", schema=ProblemSchema)
    problem = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for status in http.HTTPStatus:
        if status >= 400:
            # Every GET documents some of these, so they are always present.
            lazy = status not in (404, 422, 429)
            name, phrase = DOCUMENTED_STATUS.get(status, (status.name, status.phrase))
            spec.components.response(name, {"description": phrase, "content": problem}, lazy=lazy)
    spec.components.response(default_name, {"description": "An error, as problem details.", "content": problem})
