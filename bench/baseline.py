"""The ceiling for Python: a bare Flask app that answers captured responses.

``bench/http.py`` first captures the project's responses (body bytes,
Content-Type and ETag of each benchmarked path) into a JSON file, then serves
this app with the same gunicorn settings::

    BENCH_CAPTURE=capture.json gunicorn --config gunicorn.conf.py --pythonpath bench 'baseline:create_app()'

Each captured path (query string included) gets exactly those bytes; a request
whose ``If-None-Match`` names the captured ETag gets a bare 304 with that ETag.
Anything else is a 404. No routing beyond one catch-all rule, no serialisation,
no hooks: what is left is Flask, werkzeug and gunicorn.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path

import flask

CAPTURE_ENV = "BENCH_CAPTURE"


@dataclass(frozen=True, slots=True)
class Captured:
    """One response of the project, as captured."""

    body: bytes
    """The identity-encoded body."""
    content_type: str
    """Its Content-Type header."""
    etag: str
    """Its ETag header, quotes included."""


def read_capture(path: str | os.PathLike[str]) -> dict[str, Captured]:
    """Captured responses by path and query (``/v1/search?q=x``), from the file ``bench/http.py`` writes."""
    entries = json.loads(Path(path).read_text(encoding="utf-8"))
    return {
        target: Captured(base64.b64decode(entry["body"]), entry["content_type"], entry["etag"])
        for target, entry in entries.items()
    }


def create_app(capture_path: str | None = None) -> flask.Flask:
    """A Flask app serving the captured responses.

    :param capture_path: the capture file; default ``$BENCH_CAPTURE``
    """
    responses = read_capture(capture_path or os.environ[CAPTURE_ENV])
    app = flask.Flask("baseline")

    @app.get("/<path:path>")
    def captured(path: str) -> flask.Response:
        query = flask.request.query_string.decode("latin-1")
        entry = responses.get(f"/{path}?{query}" if query else f"/{path}")
        if entry is None:
            flask.abort(404)
        if flask.request.headers.get("If-None-Match") == entry.etag:
            return flask.Response(status=304, headers={"ETag": entry.etag})
        return flask.Response(entry.body, content_type=entry.content_type, headers={"ETag": entry.etag})

    return app
