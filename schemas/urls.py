"""Every path of the API, built in one place: schemas, views, the build and blueprints use these."""

from __future__ import annotations

from briefs.blocks import BLOCK_TYPES

API_PREFIX = "/v1"
BRIEFS = f"{API_PREFIX}/briefs"
ELEMENTS = f"{API_PREFIX}/elements"
ACTORS = f"{API_PREFIX}/actors"
EVENTS = f"{API_PREFIX}/events"
SEARCH = f"{API_PREFIX}/search"
COLLECTIONS = {"briefs": BRIEFS, "elements": ELEMENTS, "actors": ACTORS, "events": EVENTS, "search": SEARCH}
"""Every top-level collection by name, as ``GET /v1`` lists them."""


def brief_url(brief_id: str) -> str:
    """``/v1/briefs/{brief_id}``."""
    return f"{BRIEFS}/{brief_id}"


def sections_url(brief_id: str) -> str:
    """A brief's sections."""
    return f"{brief_url(brief_id)}/sections"


def section_url(brief_id: str, section_id: str) -> str:
    """One section of a brief."""
    return f"{sections_url(brief_id)}/{section_id}"


def elements_url(brief_id: str, element_type: str) -> str:
    """A brief's blocks of one type: ``/v1/briefs/{brief_id}/factors``."""
    return f"{brief_url(brief_id)}/{BLOCK_TYPES[element_type].collection}"


def element_url(brief_id: str, element_type: str, element_id: str) -> str:
    """One block of a brief: ``/v1/briefs/{brief_id}/factors/{element_id}``."""
    return f"{elements_url(brief_id, element_type)}/{element_id}"


def actor_url(actor_id: str) -> str:
    """``/v1/actors/{actor_id}``."""
    return f"{ACTORS}/{actor_id}"


def actor_mentions_url(actor_id: str) -> str:
    """Every mention of an actor."""
    return f"{actor_url(actor_id)}/mentions"


def event_url(event_id: str) -> str:
    """``/v1/events/{event_id}``."""
    return f"{EVENTS}/{event_id}"
