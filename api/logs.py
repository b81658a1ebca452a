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
    if not flask.current_app.config.get("BRIEFS_ACCESS_LOG", True):
        return response
    access_log.info(
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "request_id": request_id,
            "method": request.method,
            "path": request.path,
            "query": request.query_string.decode("latin-1"),
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 3),
            "content_version": version,
        },
    )
    return response
