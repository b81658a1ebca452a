"""Request limits: a rate limit per client (Flask-Limiter) and bounds on URL,
headers and GET bodies, each answered with a 4xx problem.

:class:`ClientLimit` counts the same limit for :mod:`api.fastpath` without a
Flask request: the same ``limits`` strategy and storage, the same keys.
:class:`SweptMemoryStorage` is the ``memory://`` storage, registered with
``limits`` as a storage of its own (its documented way to add one).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import flask
from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from api.problems import abort

UNLIMITED_ENDPOINTS = ("health.Health", "health.Readiness")
"""Probes are never rate limited: a load balancer must always reach them."""
KEY_PREFIX = "briefs"
SCOPE = "global"
"""Flask-Limiter's scope of an application-wide limit: one count per client, whatever the endpoint."""
SWEEP_EVERY_S = 10.0
"""How often :class:`SweptMemoryStorage` sweeps expired counts away."""
MEMORY_URI = "memory://"
SWEPT_MEMORY_URI = "briefs-memory://"
"""What ``memory://`` (the default ``BRIEFS_RATELIMIT_STORAGE_URI``) is given to Flask-Limiter as."""


class SweptMemoryStorage(MemoryStorage):
    """limits' in-memory storage, counting exactly as it does, whose sweep of expired counts runs at most once
    per :data:`SWEEP_EVERY_S`, in the request that finds it due.

    :class:`MemoryStorage` starts a timer thread to sweep them on every ``incr()`` that finds the previous one
    finished (10 ms after it started): about one thread per request at a search's pace, 2 to 3% of a search's
    CPU, and under load the wait for each thread to start cost more than the rest of a cached answer. The
    counts themselves need no sweep: ``get()`` and ``incr()`` drop an expired count when they meet it; the sweep
    only bounds the memory held by clients that have gone.
    """

    STORAGE_SCHEME = ["briefs-memory"]  # noqa: RUF012 - what limits' registry of storages reads

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str) -> None:
        self._next_sweep = 0.0
        self._sweeping = threading.Lock()
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    def _MemoryStorage__schedule_expiry(self) -> None:  # the name by which MemoryStorage calls it
        now = time.monotonic()
        if now < self._next_sweep or not self._sweeping.acquire(blocking=False):
            return
        try:
            self._next_sweep = now + SWEEP_EVERY_S
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]
        finally:
            self._sweeping.release()


def init_limits(app: flask.Flask) -> Limiter:
    """Install the rate limiter and the size checks; call before the Api registers its hooks.

    The limit counts every request of one client address, whatever the endpoint (an
    application-wide limit: Flask-Limiter's default limits would count per endpoint).
    With the default ``memory://`` storage each gunicorn worker counts on its
    own, so a client may get up to (workers x limit); set
    ``BRIEFS_RATELIMIT_STORAGE_URI=redis://host:6379`` to share counts between
    workers and replicas.
    """
    app.before_request(_check_sizes)
    storage_uri = app.config["BRIEFS_RATELIMIT_STORAGE_URI"]
    limiter = Limiter(
        get_remote_address,
        app=app,
        application_limits=[app.config["BRIEFS_RATELIMIT"]],
        storage_uri=SWEPT_MEMORY_URI if storage_uri == MEMORY_URI else storage_uri,
        headers_enabled=True,
        application_limits_exempt_when=lambda: request.endpoint in UNLIMITED_ENDPOINTS,
        key_prefix=KEY_PREFIX,
    )
    return limiter


def _check_sizes() -> None:
    config = flask.current_app.config
    url_bytes = len(request.full_path.encode())
    if url_bytes > config["BRIEFS_MAX_URL_BYTES"]:
        abort(414, f"The URL is {url_bytes} bytes long; the limit is {config['BRIEFS_MAX_URL_BYTES']}.")
    header_bytes = sum(len(name) + len(value) + 4 for name, value in request.headers.items())
    if header_bytes > config["BRIEFS_MAX_HEADER_BYTES"]:
        abort(431, f"The headers take {header_bytes} bytes; the limit is {config['BRIEFS_MAX_HEADER_BYTES']}.")
    if request.method in ("GET", "HEAD") and (request.content_length or request.headers.get("Transfer-Encoding")):
        abort(400, "A GET or HEAD request takes no body.")


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the rate limit says of one request."""

    allowed: bool
    """False when a limit is exceeded: the answer is a 429."""
    breached: str
    """The exceeded limit as Flask-Limiter describes it (``600 per 1 minute``), or empty."""
    headers: tuple[tuple[str, str], ...]
    """``X-RateLimit-Limit``, ``-Remaining``, ``-Reset`` and ``Retry-After``, as Flask-Limiter sends them."""


class ClientLimit:
    """The application's rate limit, counted outside Flask exactly as Flask-Limiter counts it.

    :param limiter: the application's limiter: its storage and strategy are used
    :param limits: the limit text it was given (``BRIEFS_RATELIMIT``)
    """

    def __init__(self, limiter: Limiter, limits: str) -> None:
        self._limiter = limiter
        self._items: list[RateLimitItem] = sorted(parse_many(limits))  # Flask-Limiter checks the shortest first

    def hit(self, client: str) -> Verdict:
        """Count one request of ``client`` (its address) against every limit, as Flask-Limiter's
        ``_check_request_limit`` and its headers hook do, stopping at the first exceeded.

        :raises Exception: whatever the storage raises (an unreachable Redis)
        """
        if not (self._limiter.enabled and self._limiter.initialized):
            return Verdict(True, "", ())
        strategy = self._limiter.limiter  # follows Flask-Limiter's fallback storage when it uses one
        args = (KEY_PREFIX, client, SCOPE)
        shown = self._items[0]
        breached = ""
        remaining = reset = None
        for item in self._items:
            if type(strategy) is FixedWindowRateLimiter:
                # One round trip fewer than hit() then get_window_stats(): incr() returns the count.
                key = item.key_for(*args)
                count = strategy.storage.incr(key, item.get_expiry())
                allowed = count <= item.amount
                if item is shown or not allowed:
                    remaining, reset = max(0, item.amount - count), strategy.storage.get_expiry(key)
            else:
                allowed = strategy.hit(item, *args)
            if not allowed:
                shown, breached = item, str(item)
                break
        if remaining is None or reset is None:
            reset, remaining = strategy.get_window_stats(shown, *args)
        reset_at = int(reset + 1)
        headers = (
            ("X-RateLimit-Limit", str(shown.amount)), ("X-RateLimit-Remaining", str(remaining)),
            ("X-RateLimit-Reset", str(reset_at)), ("Retry-After", str(int(reset_at - time.time()))),
        )  # fmt: skip
        return Verdict(not breached, breached, headers)
