"""Entities as served: an actor with how often it is mentioned, an event with the briefs
about it. The artifact's tables hold the cross-brief indexes they are computed from."""

from __future__ import annotations

from dataclasses import dataclass

from briefs.model import Actor, Event


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """An actor with how often the corpus mentions it."""

    actor: Actor
    """The actor."""
    mention_count: int
    """Mention spans naming it, across all briefs."""
    brief_count: int
    """Briefs that mention it."""


@dataclass(frozen=True, slots=True)
class EventEntry:
    """An event with the briefs that concern it."""

    event: Event
    """The event."""
    briefs: tuple[str, ...]
    """Ids of briefs about it or mentioning it, newest first."""
