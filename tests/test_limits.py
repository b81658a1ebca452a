"""Limits answer with 4xx problems; request ids and JSON logs; security headers."""

from __future__ import annotations

import io
import json
import logging
import threading
import time
from unittest.mock import patch

import pytest
from flask.testing import FlaskClient

from api import create_app
from api.limits import SweptMemoryStorage
from api.logs import JsonFormatter
from tests.conftest import ROOT


def _problem(response: object) -> dict:
    assert response.mimetype == "application/problem+json"  # type: ignore[attr-defined]
    return response.get_json(force=True)  # type: ignore[attr-defined,no-any-return]


def test_rate_limit_is_a_429_problem_with_retry_after() -> None:
    client = create_app({"BRIEFS_CONTENT_DIR": str(ROOT / "content"), "BRIEFS_RATELIMIT": "3 per minute"}).test_client()
    statuses = [client.get("/v1/briefs").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    response = client.get("/v1/briefs")
    assert _problem(response)["status"] == 429 and int(response.headers["Retry-After"]) > 0
    assert client.get("/readyz").status_code == 200, "probes are never limited"


def test_the_rate_limit_counts_every_path_of_a_client_together() -> None:
    client = create_app({"BRIEFS_CONTENT_DIR": str(ROOT / "content"), "BRIEFS_RATELIMIT": "4 per minute"}).test_client()
    paths = ["/v1", "/v1/briefs", "/v1/briefs/sochi-summit-2021", "/v1/search?q=border", "/v1/events"]
    answers = [client.get(path) for path in paths]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["3", "2", "1", "0", "0"]


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [("/v1/briefs?tag=" + "a" * 9000, {}, 414), ("/v1/briefs", {"X-Big": "x" * 20000}, 431),
     ("/v1/briefs?q=" + "a" * 501, {}, 422), ("/v1/briefs?per_page=1000", {}, 422)],
)  # fmt: skip
def test_size_limits_are_4xx_problems(client: FlaskClient, path: str, headers: dict, status: int) -> None:
    response = client.get(path, headers=headers)
    assert response.status_code == status
    assert _problem(response)["status"] == status


def test_a_get_with_a_body_is_refused(client: FlaskClient) -> None:
    response = client.get("/v1/briefs", data=b"x" * 10)
    assert response.status_code == 400 and "no body" in _problem(response)["detail"]


def test_request_id_is_echoed_or_made(client: FlaskClient) -> None:
    assert client.get("/v1", headers={"X-Request-ID": "trace-42"}).headers["X-Request-ID"] == "trace-42"
    made = client.get("/v1", headers={"X-Request-ID": "bad id <script>"}).headers["X-Request-ID"]
    assert made != "bad id <script>" and made != client.get("/v1").headers["X-Request-ID"], "a new id each time"


def test_each_request_is_logged_as_one_json_line(client: FlaskClient) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("api.access")
    logger.addHandler(handler)
    try:
        client.get("/v1/briefs?tag=x", headers={"X-Request-ID": "abc", "Authorization": "Bearer secret-token"})
    finally:
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert {k: line[k] for k in ("request_id", "method", "path", "status")} == {
        "request_id": "abc", "method": "GET", "path": "/v1/briefs", "status": 200,
    }  # fmt: skip
    assert line["duration_ms"] >= 0 and line["content_version"]
    assert "secret-token" not in stream.getvalue()


def test_security_headers(client: FlaskClient) -> None:
    assert client.get("/v1").headers["X-Content-Type-Options"] == "nosniff"
    csp = client.get("/docs").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-eval" not in csp and "unsafe-inline" not in csp and "http" not in csp
    page = client.get("/docs").get_data(as_text=True)
    assert "<script>" not in page and "cdn" not in page.lower(), "no inline script, nothing from a CDN"


def test_behind_a_trusted_proxy_each_client_has_its_own_limit() -> None:
    app = create_app(
        {"BRIEFS_CONTENT_DIR": str(ROOT / "content"), "BRIEFS_RATELIMIT": "2 per minute", "BRIEFS_TRUSTED_PROXIES": 1}
    )
    client = app.test_client()
    first = [client.get("/v1", headers={"X-Forwarded-For": "203.0.113.1"}).status_code for _ in range(3)]
    second = [client.get("/v1", headers={"X-Forwarded-For": "203.0.113.2"}).status_code for _ in range(3)]
    assert first == second == [200, 200, 429]


def test_the_in_memory_limit_counts_without_starting_a_thread_per_request() -> None:
    # limits' MemoryStorage starts a timer thread on nearly every count; the storage used for memory:// does not.
    app = create_app({"BRIEFS_CONTENT_DIR": str(ROOT / "content"), "BRIEFS_RATELIMIT": "100 per minute"})
    (limiter,) = app.extensions["limiter"]
    assert isinstance(limiter.storage, SweptMemoryStorage)
    client = app.test_client()
    client.get("/v1/search?q=border")
    started = threading.Thread.start
    with patch.object(threading.Thread, "start", autospec=True, side_effect=started) as start:
        answers = [client.get(f"/v1/search?q=border&page={page}") for page in (1, 2, 3)]
        answers += [client.get("/v1/briefs/sochi-summit-2021") for _ in range(3)]  # the fast path
    assert start.call_count == 0
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["98", "97", "96", "95", "94", "93"]


def test_the_in_memory_storage_sweeps_expired_counts_away(monkeypatch: pytest.MonkeyPatch) -> None:
    storage = SweptMemoryStorage()
    storage.incr("gone", 1)
    storage.incr("kept", 60)
    storage.expirations["gone"] -= 2  # its window ended
    assert "gone" in storage.storage  # until the next sweep is due
    monkeypatch.setattr(time, "monotonic", lambda: storage._next_sweep + 1)
    assert storage.incr("kept", 60) == 2
    assert "gone" not in storage.storage and storage.get("kept") == 2
