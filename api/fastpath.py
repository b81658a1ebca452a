"""A WSGI layer that answers cache hits before Flask builds a request.

Most requests ask again for a response already computed: a single resource
stored by the build, or a list or search kept in the process's response cache.
Answering those through Flask costs far more than the answer itself (the
request object, routing, the hooks, Flask-Limiter, the log record), so
:class:`FastPath` answers them from the WSGI environ directly, with the same
status, headers and body as the Flask path (``tests/test_fastpath.py`` compares
the two on every cached route):

- GET and HEAD of a ``/v1`` path, or of a reader page (api/pages), whose response is cached, as JSON or CSV
  (``Accept``), gzip-encoded or not (``Accept-Encoding``), or a 304 when
  ``If-None-Match`` names its tag (weak comparison);
- the same rate limit as Flask-Limiter, counted by the same ``limits`` strategy
  in the same storage under the same key, with its ``X-RateLimit-*`` and
  ``Retry-After`` headers, and its 429 problem;
- the conventions' headers (``Vary``, CORS, security headers), the content
  version, the request id, and one JSON access-log line.

Anything else (another method or path, a cache miss, a body, an oversized URL
or header, a path that is not plain ASCII) goes to Flask, untouched.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import flask
from werkzeug.datastructures import Accept, MIMEAccept
from werkzeug.http import HTTP_STATUS_CODES, parse_accept_header, parse_etags

from api.cache import Key
from api.headers import CORS_HEADERS, CSV, JSON, PAGE_CSP, PROBLEM_JSON, SECURITY_HEADERS
from api.limits import ClientLimit, Verdict
from api.logs import _ACCEPTED_REQUEST_ID, log_access, new_request_id
from api.pages.views import is_page_path
from api.store import EXTENSION, ArtifactStore
from briefs.responses import StoredResponse

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

VARY = ("Vary", "Accept, Accept-Encoding")
CONVENTION_HEADERS = (*SECURITY_HEADERS.items(), *CORS_HEADERS.items())
"""Added to every answer, in the order the Flask path adds them."""
PAGE_CONVENTION_HEADERS = tuple(
    (name, PAGE_CSP if name == "Content-Security-Policy" else value) for name, value in CONVENTION_HEADERS
)
"""The same for an HTML answer (a reader page), whose CSP lets it load its own script and style files."""
STATUS = {code: f"{code} {HTTP_STATUS_CODES[code].upper()}" for code in (200, 304, 429)}
_MEMO_SIZE = 256
"""Distinct Accept and Accept-Encoding values remembered, parsed; clients send few."""


class FastPath:
    """Wraps the Flask application's ``wsgi_app``; see the module docstring.

    :param app: the application, for its settings and its artifact store
    :param wsgi_app: what to call for every request the fast path does not answer
    :param limit: the application's rate limit, as Flask-Limiter counts it
    """

    def __init__(self, app: flask.Flask, wsgi_app: WSGIApplication, limit: ClientLimit) -> None:
        self.wsgi_app = wsgi_app
        self._app = app
        self._limit = limit
        self._max_url = int(app.config["BRIEFS_MAX_URL_BYTES"])
        self._max_headers = int(app.config["BRIEFS_MAX_HEADER_BYTES"])
        self._log = bool(app.config.get("BRIEFS_ACCESS_LOG", True))
        self._types: dict[str | None, str] = {}
        self._gzip: dict[str | None, bool] = {}

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        answer = self._answer(environ, started)
        if answer is None:
            return self.wsgi_app(environ, start_response)
        status, headers, body = answer
        start_response(STATUS[status], headers)
        return body

    def _answer(
        self, environ: WSGIEnvironment, started: float
    ) -> tuple[int, list[tuple[str, str]], list[bytes]] | None:
        method = environ["REQUEST_METHOD"]
        path: str = environ.get("PATH_INFO", "")
        query: str = environ.get("QUERY_STRING", "")
        api = path.startswith("/v1") and (len(path) == 3 or path[3] == "/")
        if (
            (method != "GET" and method != "HEAD")  # noqa: PLR1714 - two comparisons beat a tuple here
            or not (api or is_page_path(path))
            or not self._plain(environ, path, query)
        ):  # fmt: skip
            return None
        store: ArtifactStore = self._app.extensions[EXTENSION]  # looked up each time: it may be replaced
        snapshot = store.snapshot()
        key: Key = (path, query.encode("latin-1"), self._type(environ.get("HTTP_ACCEPT")))
        entry = snapshot.responses.get(key)
        if entry is None and api and not query and key[2] == JSON:
            entry = snapshot.artifact.response(path)  # the build stored it; the Flask path does the same
            if entry is not None:
                snapshot.responses.put(key, entry)
        if entry is None:
            return None
        try:
            verdict = self._limit.hit(environ.get("REMOTE_ADDR") or "127.0.0.1")
        except Exception:  # the storage is unreachable: Flask-Limiter decides what that means
            return None
        if not verdict.allowed and not api:
            # A page's 429 is a page (api/pages): Flask answers it. The fixed window it counts once more in is
            # already spent, so that extra count changes nothing.
            return None
        offered = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = offered if _ACCEPTED_REQUEST_ID.fullmatch(offered) else new_request_id()
        version = snapshot.artifact.version
        if verdict.allowed:
            status, headers, body = self._serve(entry, environ)
        else:
            status, headers, body = self._too_many(verdict, path)
        html = any(name == "Content-Type" and value.startswith("text/html") for name, value in entry.headers)
        headers += PAGE_CONVENTION_HEADERS if html else CONVENTION_HEADERS
        headers += verdict.headers
        headers += (("X-Request-ID", request_id), ("X-Content-Version", version))
        if self._log:
            log_access(request_id, method, path, query, status, started=started, version=version)
        return status, headers, [] if method == "HEAD" else body

    def _plain(self, environ: WSGIEnvironment, path: str, query: str) -> bool:
        """Whether Flask would take the request as it is: ASCII URL within the limit, headers within theirs,
        no body (each exception is Flask's to answer)."""
        if not (path.isascii() and query.isascii()) or len(path) + 1 + len(query) > self._max_url:
            return False
        if environ.get("CONTENT_LENGTH") or environ.get("CONTENT_TYPE") or "HTTP_TRANSFER_ENCODING" in environ:
            return False
        # Flask counts each header as len(name) + len(value) + 4; a name is its key without "HTTP_".
        size = sum(len(name) + len(value) - 1 for name, value in environ.items() if name.startswith("HTTP_"))
        return size <= self._max_headers

    def _serve(self, entry: StoredResponse, environ: WSGIEnvironment) -> tuple[int, list[tuple[str, str]], list[bytes]]:
        """What :func:`api.cache.serve` answers, with the headers in the same order."""
        use_gzip = entry.gzipped is not None and self._accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING"))
        etag = f'"{entry.etag}-gz"' if use_gzip else f'"{entry.etag}"'
        if _matches(environ.get("HTTP_IF_NONE_MATCH"), entry.etag):
            # werkzeug drops the entity headers (Content-Type among them) from a 304.
            headers = [(name, value) for name, value in entry.headers if name != "Content-Type"]
            headers += (("ETag", etag), VARY)
            return 304, headers, []
        body = entry.gzipped if use_gzip and entry.gzipped is not None else entry.body
        headers = [*entry.headers, ("ETag", etag), VARY]
        if use_gzip:
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        return 200, headers, [body]

    @staticmethod
    def _too_many(verdict: Verdict, path: str) -> tuple[int, list[tuple[str, str]], list[bytes]]:
        """The problem :func:`api.problems.problem_response` makes of Flask-Limiter's 429."""
        problem = {
            "type": "about:blank", "title": HTTP_STATUS_CODES[429], "status": 429,
            "detail": f"Rate limit exceeded ({verdict.breached}); retry after the seconds given in Retry-After.",
            "instance": path,
        }  # fmt: skip
        body = json.dumps(problem, ensure_ascii=False).encode()
        return 429, [("Content-Type", PROBLEM_JSON), ("Content-Length", str(len(body))), VARY], [body]

    def _type(self, accept: str | None) -> str:
        """The representation asked for, as :func:`api.cache.cache_key` computes it."""
        best = self._types.get(accept)
        if best is None:
            best = parse_accept_header(accept, MIMEAccept).best_match([JSON, CSV], default=JSON) or ""
            _remember(self._types, accept, best)
        return best

    def _accepts_gzip(self, accept_encoding: str | None) -> bool:
        accepts = self._gzip.get(accept_encoding)
        if accepts is None:
            accepts = parse_accept_header(accept_encoding, Accept)["gzip"] > 0
            _remember(self._gzip, accept_encoding, accepts)
        return accepts


def _matches(if_none_match: str | None, etag: str) -> bool:
    """Whether ``If-None-Match`` names the tag of either encoding (weak comparison), as :func:`api.cache.serve`."""
    if not if_none_match:
        return False
    if if_none_match == f'"{etag}"' or if_none_match == f'"{etag}-gz"':  # noqa: PLR1714 - the common case, cheaply
        return True
    tags = parse_etags(if_none_match)
    return tags.contains_weak(etag) or tags.contains_weak(f"{etag}-gz")


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> None:
    if len(memo) >= _MEMO_SIZE:
        memo.clear()  # a client sending ever new values costs a parse each, never memory
    memo[key] = value
