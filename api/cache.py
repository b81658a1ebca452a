"""Responses computed once per content version: the JSON bytes, a strong ETag and
the gzip bytes. A 304 is answered from the stored ETag without any work.

Single resources come stored in the artifact; collections and searches are
computed on first use. Either way the hot ones are kept in a small LRU per
process, bounded in bytes. The cache belongs to a :class:`api.store.Snapshot`,
so a new artifact replaces it together with the content, in one step.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import flask
from flask import Request, Response
from werkzeug.http import parse_etags
from werkzeug.wrappers import Response as BaseResponse

from briefs.responses import StoredResponse, store_response

LRU_BYTES = 16 * 1024 * 1024
"""Bytes of responses kept per process and content version."""
KEPT_HEADERS = ("Content-Type", "Link", "Content-Disposition", "Cache-Control")

Key = tuple[str, bytes, str]
CachedResponse = StoredResponse


def freeze(response: BaseResponse) -> StoredResponse:
    """Store a response's body, its ETag and its gzip form."""
    headers = tuple((name, response.headers[name]) for name in KEPT_HEADERS if name in response.headers)
    return store_response(response.get_data(), headers)


def cache_key(request: Request) -> Key:
    """Path, query string and the representation asked for (JSON or CSV)."""
    best = request.accept_mimetypes.best_match(["application/json", "text/csv"], default="application/json")
    return (request.path, request.query_string, best or "")


def serve(entry: StoredResponse, request: Request) -> Response:
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
    """The hot responses of one content version, least recently used first out, at most ``max_bytes``."""

    def __init__(self, max_bytes: int = LRU_BYTES) -> None:
        self._entries: OrderedDict[Key, StoredResponse] = OrderedDict()
        self._bytes = 0
        self._max_bytes = max_bytes
        self._lock = threading.Lock()

    def get(self, key: Key) -> StoredResponse | None:
        """The kept response, if any."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: Key, entry: StoredResponse) -> None:
        """Keep a response, dropping the least recently used ones past the byte bound."""
        size = _size(entry)
        if size > self._max_bytes // 4:
            return  # one huge answer (a whole CSV) would push out everything else
        with self._lock:
            old = self._entries.pop(key, None)
            self._bytes += size - (_size(old) if old else 0)
            self._entries[key] = entry
            while self._bytes > self._max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= _size(dropped)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        """Bytes held."""
        return self._bytes


def _size(entry: StoredResponse) -> int:
    return len(entry.body) + len(entry.gzipped or b"") + 200
