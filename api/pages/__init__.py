"""The reader pages: every brief, element, actor, version and search as a page a person can open, cite and
share, rendered by Jinja2 from the same artifact and the same wire schemas as the JSON.

Pages follow the API's conventions (api/rest.py): each answer is stored once per content version with a
strong ETag (304, gzip), ``Cache-Control``, a strict CSP (:data:`api.headers.PAGE_CSP`), unknown query parameters are
a 422, and errors are HTML pages with the status the API gives (:func:`render_problem`).
"""

from __future__ import annotations

from typing import Any

import flask
from flask import render_template, request

from api.headers import JSON, PROBLEM_JSON
from api.pages import views

HTML = "text/html"

blp = flask.Blueprint("pages", __name__)
views.register(blp)


def wants_html_problem() -> bool:
    """Whether an error is answered as a page: on a page path unless the client prefers JSON, and on any
    other path outside the API when the client prefers HTML (a browser)."""
    accept = request.accept_mimetypes
    html, json = accept[HTML], max(accept[JSON], accept[PROBLEM_JSON])
    if request.blueprint == "pages" or (request.endpoint is None and views.is_page_path(request.path)):
        return not accept or html >= json  # a page path answers HTML unless JSON is preferred
    if request.path.startswith(("/v1", "/openapi")):  # the API and its document: JSON, whoever asks
        return False
    return html > json


def render_problem(problem: dict[str, Any]) -> flask.Response | None:
    """The problem as an HTML page with its status, or None when the client should get problem+json."""
    if not wants_html_problem():
        return None
    body = render_template("pages/error.html", problem=problem)
    return flask.current_app.response_class(body, status=problem["status"], mimetype=HTML)


__all__ = ["blp", "render_problem"]
