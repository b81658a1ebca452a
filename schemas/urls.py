"""Every path of the API, built in one place: schemas, views, the build and blueprints use these."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from briefs.blocks import BLOCK_TYPES

API_PREFIX = "/v1"
BRIEFS = f"{API_PREFIX}/briefs"
ELEMENTS = f"{API_PREFIX}/elements"
ACTORS = f"{API_PREFIX}/actors"
EVENTS = f"{API_PREFIX}/events"
SEARCH = f"{API_PREFIX}/search"
COLLECTIONS = {"briefs": BRIEFS, "elements": ELEMENTS, "actors": ACTORS, "events": EVENTS, "search": SEARCH}
"""Every top-level collection by name, as ``GET /v1`` lists them."""
CHANGES = f"{API_PREFIX}/changes"

_pinned: ContextVar[tuple[str, int] | None] = ContextVar("pinned", default=None)


@contextmanager
def pinned(brief_id: str, version: int) -> Iterator[None]:
    """While dumping a brief as it was at ``version``, every path of that brief is pinned to the version."""
    token = _pinned.set((brief_id, version))
    try:
        yield
    finally:
        _pinned.reset(token)


def _version_of(brief_id: str, version: int | None) -> int | None:
    """``version``, else the version :func:`pinned` holds for this brief, else None (the brief as it is now)."""
    if version is not None:
        return version
    pin = _pinned.get()
    return pin[1] if pin is not None and pin[0] == brief_id else None


def brief_url(brief_id: str, version: int | None = None) -> str:
    """``/v1/briefs/{brief_id}``, or ``.../versions/{version}`` when pinned (explicitly, or by :func:`pinned`)."""
    version = _version_of(brief_id, version)
    return f"{BRIEFS}/{brief_id}" if version is None else version_url(brief_id, version)


def versions_url(brief_id: str) -> str:
    """A brief's history."""
    return f"{BRIEFS}/{brief_id}/versions"


def version_url(brief_id: str, version: int) -> str:
    """A brief as it was at one version."""
    return f"{versions_url(brief_id)}/{version}"


def version_changes_url(brief_id: str, version: int) -> str:
    """What changed in a version."""
    return f"{version_url(brief_id, version)}/changes"


def sections_url(brief_id: str, version: int | None = None) -> str:
    """A brief's sections."""
    return f"{brief_url(brief_id, version)}/sections"


def section_url(brief_id: str, section_id: str, version: int | None = None) -> str:
    """One section of a brief."""
    return f"{sections_url(brief_id, version)}/{section_id}"


def elements_url(brief_id: str, element_type: str, version: int | None = None) -> str:
    """A brief's blocks of one type: ``/v1/briefs/{brief_id}/factors``."""
    return f"{brief_url(brief_id, version)}/{BLOCK_TYPES[element_type].collection}"


def element_url(brief_id: str, element_type: str, element_id: str, version: int | None = None) -> str:
    """One block of a brief: ``/v1/briefs/{brief_id}/factors/{element_id}``."""
    return f"{elements_url(brief_id, element_type, version)}/{element_id}"


def actor_url(actor_id: str) -> str:
    """``/v1/actors/{actor_id}``."""
    return f"{ACTORS}/{actor_id}"


def actor_mentions_url(actor_id: str) -> str:
    """Every mention of an actor."""
    return f"{actor_url(actor_id)}/mentions"


def event_url(event_id: str) -> str:
    """``/v1/events/{event_id}``."""
    return f"{EVENTS}/{event_id}"


# -- the reader pages (api/pages.py): one human page for each resource --------------------------

PUBLIC_URL_ENV = "BRIEFS_PUBLIC_URL"
"""Where the server is reached from outside (``https://briefs.example.org``): ``html_url`` and
``html_permalink`` are absolute under it, and paths without it."""
PAGE_SEARCH = "/search"
PAGE_EVENTS = "/events"


def public_base() -> str:
    """``BRIEFS_PUBLIC_URL`` without its final slash, or "" when unset (links are then paths).

    Read from the environment at each call: the build's worker processes and the server read the same
    value, and the artifact's fingerprint includes it (api/prerender.py), so stored JSON follows a change."""
    return os.environ.get(PUBLIC_URL_ENV, "").rstrip("/")


def absolute(page_path: str) -> str:
    """A page path, absolute under :func:`public_base` when that is set."""
    return public_base() + page_path


def brief_page(brief_id: str, version: int | None = None) -> str:
    """``/briefs/{brief_id}``, or ``.../versions/{version}`` when pinned (explicitly, or by :func:`pinned`)."""
    version = _version_of(brief_id, version)
    return f"/briefs/{brief_id}" if version is None else version_page(brief_id, version)


def versions_page(brief_id: str) -> str:
    """A brief's history as a page."""
    return f"/briefs/{brief_id}/versions"


def version_page(brief_id: str, version: int) -> str:
    """A brief as it was at one version, as a page."""
    return f"{versions_page(brief_id)}/{version}"


def version_changes_page(brief_id: str, version: int) -> str:
    """What changed in a version, as a page."""
    return f"{version_page(brief_id, version)}/changes"


def anchor_page(brief_id: str, anchor: str, version: int | None = None) -> str:
    """A section or typed block on its brief's page: ``/briefs/{brief_id}#{anchor}`` (sections and blocks keep
    their ids as anchors)."""
    return f"{brief_page(brief_id, version)}#{anchor}"


def actor_page(actor_id: str) -> str:
    """``/actors/{actor_id}``."""
    return f"/actors/{actor_id}"


def event_page(event_id: str) -> str:
    """An event on the timeline: ``/events#{event_id}``."""
    return f"{PAGE_EVENTS}#{event_id}"
