"""Structured logs: one JSON object a line, with the request id, method, path,
status, duration and content version of every request. No headers, cookies or
bodies are logged."""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import secrets
import sys
import time
from json.encoder import encode_basestring  # type: ignore[attr-defined]  # the C encoder json.dumps uses

import flask
from flask import Response, g, request

from api.store import current

REQUEST_ID_HEADER = "X-Request-ID"
_ACCEPTED_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({})))
access_log = logging.getLogger("api.access")


class JsonFormatter(logging.Formatter):
    """A log record as one JSON line, with any ``extra`` fields it carries."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _RECORD_FIELDS and not k.startswith("_")})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging() -> None:
    """Send the ``api`` loggers to stderr as JSON lines (once per process)."""
    logger = logging.getLogger("api")
    if any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def init_request_logging(app: flask.Flask) -> None:
    """Give every request an id (taken from X-Request-ID when it is sane), echo it, and log the request."""
    configure_logging()
    app.before_request(_start)
    app.after_request(_finish)


_ID_PREFIX = secrets.token_hex(6)
_ID_COUNTER = itertools.count()


def new_request_id() -> str:
    """A unique id without a system call per request: random per start, then process id and a counter."""
    return f"{_ID_PREFIX}{os.getpid():x}-{next(_ID_COUNTER):x}"


def _start() -> None:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = offered if _ACCEPTED_REQUEST_ID.fullmatch(offered) else new_request_id()
    g.started = time.perf_counter()


def _finish(response: Response) -> Response:
    request_id = g.get("request_id") or new_request_id()
    version = current().artifact.version
    response.headers[REQUEST_ID_HEADER] = request_id
    response.headers["X-Content-Version"] = version
    if flask.current_app.config.get("BRIEFS_ACCESS_LOG", True):
        log_access(
            request_id, request.method, request.path, request.query_string.decode("latin-1"),
            response.status_code, started=g.get("started", time.perf_counter()), version=version,
        )  # fmt: skip
    return response


def log_access(
    request_id: str, method: str, path: str, query: str, status: int, *, started: float, version: str
) -> None:
    """Log one request on ``api.access``.

    When the ``api`` loggers are configured as :func:`configure_logging` leaves them (one
    JSON handler, nothing attached to ``api.access``), the line is formatted directly,
    without a log record: the same JSON that :class:`JsonFormatter` writes, at a fraction
    of the cost. Any other configuration (a handler a test or an operator added) gets the
    record through :mod:`logging` as usual.
    """
    if not access_log.isEnabledFor(logging.INFO):
        return
    duration_ms = round((time.perf_counter() - started) * 1000, 3)
    handler = _plain_json_handler()
    if handler is None:
        access_log.info(
            "%s %s %s", method, path, status,
            extra={"request_id": request_id, "method": method, "path": path, "query": query, "status": status,
                   "duration_ms": duration_ms, "content_version": version},
        )  # fmt: skip
        return
    line = (
        f'{{"time": "{_now_text()}", "level": "info", "logger": "api.access", '
        f'"message": {encode_basestring(f"{method} {path} {status}")}, "request_id": {encode_basestring(request_id)}, '
        f'"method": {encode_basestring(method)}, "path": {encode_basestring(path)}, '
        f'"query": {encode_basestring(query)}, "status": {status}, "duration_ms": {duration_ms!r}, '
        f'"content_version": {encode_basestring(version)}}}\n'
    )
    with handler.lock:  # type: ignore[union-attr]  # a StreamHandler always has its lock
        handler.stream.write(line)
        handler.flush()


def _plain_json_handler() -> logging.StreamHandler | None:  # type: ignore[type-arg]
    """The one JSON stream handler of the ``api`` logger, if the access log goes there and nowhere else."""
    if access_log.handlers or access_log.filters or not access_log.propagate:
        return None
    parent = logging.getLogger("api")
    if len(parent.handlers) != 1 or parent.filters or parent.propagate:
        return None
    handler = parent.handlers[0]
    if type(handler) is not logging.StreamHandler or type(handler.formatter) is not JsonFormatter or handler.filters:
        return None
    if handler.level > logging.INFO:
        return None
    return handler


_clock: tuple[int, str] = (-1, "")
"""The second last formatted and its text: formatting the time is the costly part of a line."""


def _now_text() -> str:
    global _clock  # noqa: PLW0603 - one tuple, replaced whole, so threads never see half an update
    now = int(time.time())
    second, text = _clock
    if second != now:
        text = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(now))
        _clock = (now, text)
    return text
