"""Request limits: a rate limit per client (Flask-Limiter) and bounds on URL,
headers and GET bodies, each answered with a 4xx problem."""

from __future__ import annotations

import flask
from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from api.rest import abort

UNLIMITED_ENDPOINTS = ("health.Health", "health.Readiness")
"""Probes are never rate limited: a load balancer must always reach them."""


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
    limiter = Limiter(
        get_remote_address,
        app=app,
        application_limits=[app.config["BRIEFS_RATELIMIT"]],
        storage_uri=app.config["BRIEFS_RATELIMIT_STORAGE_URI"],
        headers_enabled=True,
        application_limits_exempt_when=lambda: request.endpoint in UNLIMITED_ENDPOINTS,
        key_prefix="briefs",
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
