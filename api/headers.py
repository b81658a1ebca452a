"""The media types and the headers every answer carries: caching, CORS, and the security headers with the
Content-Security-Policy of the JSON, of the reader pages and of /docs."""

from __future__ import annotations

PROBLEM_JSON = "application/problem+json"
JSON = "application/json"
CSV = "text/csv"
CACHE_CONTROL = "public, max-age=60"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Encoding, If-None-Match, X-Request-ID",
    "Access-Control-Expose-Headers": "ETag, Link, Cache-Control, Retry-After, X-Content-Version, X-Request-ID",
}
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
"""The reader pages (api/pages) load their script and style files from this server only: no inline script
or style. Their JSON-LD is a data block, which a browser never runs, so script-src does not apply to it."""
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""/docs runs Swagger UI 5 from same-origin files only: no inline script or style, no eval
(its inline styles are set through the DOM, which style-src does not govern)."""
