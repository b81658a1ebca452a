"""The fast path answers exactly as the Flask path: same status, headers and body, on every cached route."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import flask
import pytest
from werkzeug.test import Client, TestResponse

from api import create_app
from api.fastpath import FastPath
from api.logs import JsonFormatter, access_log, log_access
from tests.conftest import ROOT

SOCHI = "/v1/briefs/sochi-summit-2021"
_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
TIMED = ("X-RateLimit-Reset", "Retry-After")
"""Seconds counted from the start of each app's window, started by a first request to each, one right after
the other: they may differ by one."""
LISTS_AND_SEARCHES = [
    "/v1/briefs?per_page=5", "/v1/briefs?tag=diplomacy&sort=title", "/v1/briefs?q=border",
    f"{SOCHI}/factors?per_page=1&page=2", "/v1/elements?type=expectation", "/v1/elements?format=csv",
    "/v1/actors?kind=person", "/v1/events?from=2021", "/v1/actors/russia/mentions?per_page=3",
    "/v1/search?q=border+demarcation", "/v1/search?q=Sochi&type=section",
    # The reader pages, cached on first use like the lists.
    "/", "/briefs/sochi-summit-2021", "/briefs/sochi-summit-2021/versions", "/briefs/sochi-summit-2021/versions/1",
    "/briefs/sochi-summit-2021/versions/1/changes", "/actors/russia", "/events", "/search?q=border", "/search",
]  # fmt: skip
VARIANTS: list[tuple[str, dict[str, str]]] = [
    ("GET", {}),
    ("GET", {"Accept-Encoding": "gzip, deflate"}),
    ("HEAD", {"Accept-Encoding": "gzip"}),
    ("GET", {"Accept": "text/csv"}),
    ("GET", {"Accept": "application/json;q=0.5, text/csv;q=0.4", "Accept-Encoding": "br, gzip;q=0.5"}),
    ("GET", {"If-None-Match": "{tag}"}),
    ("GET", {"If-None-Match": '"other", W/{gz_tag}', "Accept-Encoding": "gzip"}),
    ("HEAD", {"If-None-Match": "*"}),
]


def _app(**config: Any) -> flask.Flask:
    return create_app({"BRIEFS_CONTENT_DIR": str(ROOT / "content"), "BRIEFS_RATELIMIT": "100000 per day", **config})


def _cached_urls(app: flask.Flask) -> list[str]:
    """A URL of every ``/v1`` route (each path parameter filled with a real id), and more lists and
    searches: the build stored some of them, the Flask path caches the others on first use."""
    client = app.test_client()
    urls = []
    for rule in sorted(r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/v1") and r.rule != "/v1/search"):
        url = rule
        while (match := _PARAM.search(url)) is not None:
            items = client.get(url[: match.start()].rstrip("/")).get_json()["items"]
            value = str(items[0]["version"]) if "version" in match.group(0) else items[0]["id"]
            url = url[: match.start()] + value + url[match.end() :]
        urls.append(url)
    return urls + LISTS_AND_SEARCHES


def _comparable(response: TestResponse) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = [(name, value) for name, value in response.headers.items() if name not in TIMED]
    return response.status_code, headers, response.get_data()


def _assert_timed_headers_agree(fast: TestResponse, slow: TestResponse) -> None:
    for name in TIMED:
        assert abs(int(fast.headers[name]) - int(slow.headers[name])) <= 1, name


class _Guard:
    """Stands for the Flask application behind the fast path, counting the requests that reach it."""

    def __init__(self, fast_path: FastPath) -> None:
        self.fast_path, self.flask_app, self.calls = fast_path, fast_path.wsgi_app, 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.calls += 1
        return self.flask_app(environ, start_response)

    def __enter__(self) -> _Guard:
        self.fast_path.wsgi_app = self
        return self

    def __exit__(self, *_: object) -> None:
        self.fast_path.wsgi_app = self.flask_app


@pytest.fixture(scope="module")
def pair() -> Iterator[tuple[flask.Flask, flask.Flask]]:
    fast_app, flask_app = _app(), _app(BRIEFS_FAST_PATH=False)
    for app in (fast_app, flask_app):
        app.test_client().get("/v1")  # each rate-limit window starts now
    yield fast_app, flask_app


def _requests(app: flask.Flask) -> Iterator[tuple[str, str, dict[str, str]]]:
    """Every cached URL in every variant, with the tags filled in from a plain GET."""
    client = app.test_client()
    for url in _cached_urls(app):
        tag = client.get(url).headers["ETag"]
        gz_tag = tag[:-1] + '-gz"'
        for method, headers in VARIANTS:
            filled = {name: value.format(tag=tag, gz_tag=gz_tag) for name, value in headers.items()}
            yield url, method, {**filled, "X-Request-ID": "compare-1"}


def test_every_cached_route_answers_the_same_on_both_paths(pair: tuple[flask.Flask, flask.Flask]) -> None:
    fast_app, flask_app = pair
    fast, slow = Client(fast_app), Client(flask_app)
    requests = list(_requests(flask_app))
    list(_requests(fast_app))  # the same warm-up requests: the rate limit counts alike
    for url, method, headers in requests:  # the Flask path caches each variant on first use
        fast.open(url, method=method, headers=headers)
        slow.open(url, method=method, headers=headers)
    assert isinstance(fast_app.wsgi_app, FastPath)
    seen: set[int] = set()
    with _Guard(fast_app.wsgi_app) as guard:
        for url, method, headers in requests:
            answered, expected = (
                fast.open(url, method=method, headers=headers),
                slow.open(url, method=method, headers=headers),
            )
            assert _comparable(answered) == _comparable(expected), (url, method, headers)
            _assert_timed_headers_agree(answered, expected)
            seen.add(answered.status_code)
        assert guard.calls == 0, "every one of those requests was answered by the fast path"
    assert seen == {200, 304}
    assert len(requests) >= 30 * len(VARIANTS)


def test_the_urls_cover_every_v1_route_and_page(pair: tuple[flask.Flask, flask.Flask]) -> None:
    fast_app, _ = pair
    adapter = fast_app.url_map.bind("localhost")
    covered = {adapter.match(url.split("?")[0])[0] for url in _cached_urls(fast_app)}
    routes = {
        rule.endpoint for rule in fast_app.url_map.iter_rules()
        if rule.rule.startswith("/v1") or rule.endpoint.startswith("pages.")
    }  # fmt: skip
    assert routes == covered


def test_the_rate_limit_and_its_429_are_the_same() -> None:
    fast_app, flask_app = (
        _app(BRIEFS_RATELIMIT="3 per minute"),
        _app(BRIEFS_RATELIMIT="3 per minute", BRIEFS_FAST_PATH=False),
    )
    answers = []
    for app in (fast_app, flask_app):
        client = Client(app)
        answers.append([client.open(SOCHI, method=m, headers={"X-Request-ID": "r"}) for m in ("GET",) * 4 + ("HEAD",)])
    assert [a.status_code for a in answers[0]] == [200, 200, 200, 429, 429]
    for answered, expected in zip(*answers, strict=True):
        assert _comparable(answered) == _comparable(expected)
        _assert_timed_headers_agree(answered, expected)
    problem = json.loads(answers[0][3].get_data())
    assert problem["status"] == 429 and "3 per 1 minute" in problem["detail"]


def test_the_limit_is_counted_in_flask_limiters_storage_and_keys() -> None:
    app = _app(BRIEFS_RATELIMIT="5 per minute")
    client = app.test_client()
    client.get("/v1/search?q=border")  # the Flask path (a miss), then the fast path
    remaining = [client.get(path).headers["X-RateLimit-Remaining"] for path in (SOCHI, "/v1/search?q=border")]
    assert remaining == ["3", "2"]
    (limiter,) = app.extensions["limiter"]
    assert limiter.storage.get("LIMITER/briefs/127.0.0.1/global/5/1/minute") == 3


@pytest.mark.parametrize(
    ("method", "url", "headers", "data"),
    [
        ("POST", SOCHI, {}, None), ("GET", "/healthz", {}, None), ("GET", "/openapi.json", {}, None),
        ("GET", f"{SOCHI}?bogus=1", {}, None), ("GET", "/v1/briefs/nope", {}, None),
        ("GET", SOCHI, {}, b"a body"), ("GET", SOCHI, {"X-Big": "x" * 20000}, None),
        ("GET", "/v1/briefs?tag=" + "a" * 9000, {}, None), ("GET", "/v1/briefs/s\u00f6chi", {}, None),
        ("GET", "/v1//briefs", {}, None), ("OPTIONS", SOCHI, {}, None),
    ],
)  # fmt: skip
def test_every_other_request_reaches_flask_unchanged(
    pair: tuple[flask.Flask, flask.Flask], method: str, url: str, headers: dict[str, str], data: bytes | None
) -> None:
    fast_app, flask_app = pair
    assert isinstance(fast_app.wsgi_app, FastPath)
    with _Guard(fast_app.wsgi_app) as guard:
        answered = Client(fast_app).open(url, method=method, headers={**headers, "X-Request-ID": "x"}, data=data)
    expected = Client(flask_app).open(url, method=method, headers={**headers, "X-Request-ID": "x"}, data=data)
    assert guard.calls == 1
    assert answered.status_code == expected.status_code
    assert answered.get_data() == expected.get_data()


@contextmanager
def _json_log(stream: io.StringIO) -> Iterator[None]:
    """The ``api`` loggers as :func:`api.logs.configure_logging` leaves them, writing to ``stream``
    (pytest attaches capture handlers of its own, which turn the direct line off)."""
    logger = logging.getLogger("api")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    saved = logger.handlers[:]
    logger.handlers[:] = [handler]
    try:
        yield
    finally:
        logger.handlers[:] = saved


def test_a_fast_answer_is_logged_as_one_json_line_with_its_request_id(pair: tuple[flask.Flask, flask.Flask]) -> None:
    fast_app, _ = pair
    client = fast_app.test_client()
    client.get(SOCHI + "/factors")
    stream = io.StringIO()
    assert isinstance(fast_app.wsgi_app, FastPath)
    with _json_log(stream), _Guard(fast_app.wsgi_app) as guard:
        client.get(SOCHI + "/factors", headers={"X-Request-ID": "trace-7", "Authorization": "Bearer s3cret"})
    assert guard.calls == 0
    (line,) = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert list(entry) == ["time", "level", "logger", "message", "request_id", "method", "path", "query", "status",
                           "duration_ms", "content_version"]  # fmt: skip
    assert entry["request_id"] == "trace-7" and entry["status"] == 200 and entry["path"] == SOCHI + "/factors"
    assert entry["message"] == f"GET {SOCHI}/factors 200" and "s3cret" not in line


def test_the_direct_line_is_what_the_json_formatter_writes() -> None:
    direct, through_logging = io.StringIO(), io.StringIO()
    fields = ("id-1", "GET", '/v1/x"\\\u00e9\n', 'q="a"', 404)
    with _json_log(direct):
        log_access(*fields, started=0.0, version="v1")
    extra = logging.StreamHandler(through_logging)
    extra.setFormatter(JsonFormatter())
    access_log.addHandler(extra)  # any handler of its own sends the access log through logging
    try:
        with _json_log(io.StringIO()):
            log_access(*fields, started=0.0, version="v1")
    finally:
        access_log.removeHandler(extra)
    lines = [json.loads(stream.getvalue()) for stream in (direct, through_logging)]
    for line in lines:
        del line["time"], line["duration_ms"]
    assert list(lines[0].items()) == list(lines[1].items())
    assert lines[0]["path"] == '/v1/x"\\\u00e9\n' and lines[0]["status"] == 404
