"""Collections as CSV: when a client asks for it, and the document itself."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import flask
from flask import Response, request

from api.headers import CSV, JSON


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
