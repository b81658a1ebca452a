"""Responses computed once per corpus version: the JSON bytes, a strong ETag and
the gzip bytes. A 304 is answered from the stored ETag without any work.

The cache belongs to a :class:`api.store.Snapshot`, so a reload replaces it
together with the corpus, in one step.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

import flask
from flask import Request, Response
from werkzeug.http import parse_etags

LRU_SIZE = 2048
"""Collections and searches kept per corpus version (single resources are all kept)."""
GZIP_MIN_BYTES = 512
"""Smaller bodies are not worth compressing."""
KEPT_HEADERS = ("Content-Type", "Link", "Content-Disposition", "Cache-Control")

Key = tuple[str, bytes, str]


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """A 200 response, ready to send again."""

    body: bytes
    """The identity-encoded body."""
    gzipped: bytes | None
    """The gzip-encoded body, if worth sending."""
    etag: str
    """Opaque tag of the identity body, without quotes; the gzip body's is ``<etag>-gz``."""
    headers: tuple[tuple[str, str], ...]
    """Headers that belong to the representation (type, Link, disposition)."""


def freeze(response: Response) -> CachedResponse:
    """Store a response's body, its ETag and its gzip form."""
    body = response.get_data()
    gzipped = gzip.compress(body, compresslevel=6, mtime=0) if len(body) >= GZIP_MIN_BYTES else None
    headers = tuple((name, response.headers[name]) for name in KEPT_HEADERS if name in response.headers)
    return CachedResponse(body, gzipped, hashlib.sha256(body).hexdigest()[:32], headers)


def cache_key(request: Request) -> Key:
    """Path, query string and the representation asked for (JSON or CSV)."""
    best = request.accept_mimetypes.best_match(["application/json", "text/csv"], default="application/json")
    return (request.path, request.query_string, best or "")


def serve(entry: CachedResponse, request: Request) -> Response:
    """The stored response, gzip-encoded if the client accepts it, or a 304 if its tag still matches."""
    use_gzip = entry.gzipped is not None and request.accept_encodings["gzip"] > 0
    etag = f"{entry.etag}-gz" if use_gzip else entry.etag
    response = flask.current_app.response_class(status=200)
    response.headers.update(entry.headers)
    response.headers["ETag"] = f'"{etag}"'
    response.vary.update(("Accept", "Accept-Encoding"))
    if_none_match = parse_etags(request.headers.get("If-None-Match"))
    if if_none_match and (if_none_match.contains_weak(entry.etag) or if_none_match.contains_weak(f"{entry.etag}-gz")):
        response.status_code = 304
        return response
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.set_data(entry.gzipped if use_gzip and entry.gzipped is not None else entry.body)
    return response


class ResponseCache:
    """Responses of one corpus version: single resources for the version's life, the rest in an LRU."""

    def __init__(self, lru_size: int = LRU_SIZE) -> None:
        self._resources: dict[Key, CachedResponse] = {}
        self._lru: OrderedDict[Key, CachedResponse] = OrderedDict()
        self._lru_size = lru_size
        self._lock = threading.Lock()

    def get(self, key: Key) -> CachedResponse | None:
        """The stored response, if any."""
        entry = self._resources.get(key)
        if entry is not None:
            return entry
        with self._lock:
            entry = self._lru.get(key)
            if entry is not None:
                self._lru.move_to_end(key)
            return entry

    def put(self, key: Key, entry: CachedResponse, *, single_resource: bool) -> None:
        """Keep a response: a single resource always, a collection or search until the LRU is full."""
        if single_resource:
            self._resources[key] = entry
            return
        with self._lock:
            self._lru[key] = entry
            self._lru.move_to_end(key)
            while len(self._lru) > self._lru_size:
                self._lru.popitem(last=False)

    def __len__(self) -> int:
        return len(self._resources) + len(self._lru)
