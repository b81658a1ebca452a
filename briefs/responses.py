"""A response body stored ready to send again: its bytes, a strong ETag and its gzip form.

The build stores one for every single resource; the HTTP layer keeps the hot ones in memory.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass

GZIP_MIN_BYTES = 512
"""Smaller bodies are not worth compressing."""


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """A 200 response, ready to send again."""

    body: bytes
    """The identity-encoded body."""
    gzipped: bytes | None
    """The gzip-encoded body, if worth sending."""
    etag: str
    """Opaque tag of the identity body, without quotes; the gzip body's is ``<etag>-gz``."""
    headers: tuple[tuple[str, str], ...]
    """Headers that belong to the representation (type, Link, disposition, caching)."""


def store_response(body: bytes, headers: tuple[tuple[str, str], ...]) -> StoredResponse:
    """Compute the ETag and the gzip form of a body: the same bytes give the same tag on every machine."""
    gzipped = gzip.compress(body, compresslevel=6, mtime=0) if len(body) >= GZIP_MIN_BYTES else None
    return StoredResponse(body, gzipped, hashlib.sha256(body).hexdigest()[:32], headers)
