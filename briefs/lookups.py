"""Cross-brief lookups, computed once per corpus: who is mentioned where, what
happened when, and which blocks concern which actor or event."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from briefs.citations import Citation, cite_mention
from briefs.loader import Corpus
from briefs.model import Actor, Brief, Element, Event, Mention


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


@dataclass(frozen=True, slots=True)
class Lookups:
    """Indexes over a :class:`Corpus`; as immutable as the corpus itself."""

    briefs_of: Mapping[str, frozenset[str]]
    """Entity id to the ids of briefs that mention it (events: or are about it)."""
    elements: tuple[tuple[Brief, Element], ...]
    """Every typed block of every brief: briefs newest first, blocks in document order."""
    element_of: Mapping[tuple[str, str], Element]
    """(brief id, element id) to the element."""
    element_actors: Mapping[tuple[str, str], frozenset[str]]
    """(brief id, element id) to the actors it mentions, plus a strategy element's own actor."""
    citations_of: Mapping[str, tuple[Citation, ...]]
    """Entity id to the citation of every mention of it."""
    actors: Mapping[str, ActorEntry]
    """Actors by id, in order of name."""
    timeline: Mapping[str, EventEntry]
    """Events by id, oldest first; a partial date sorts at its start."""


def build_lookups(corpus: Corpus) -> Lookups:
    """Walk the corpus once and index it."""
    mentions: dict[str, list[tuple[Brief, Mention]]] = defaultdict(list)
    briefs_of: dict[str, set[str]] = defaultdict(set)
    elements: list[tuple[Brief, Element]] = []
    element_actors: dict[tuple[str, str], frozenset[str]] = {}
    element_of: dict[tuple[str, str], Element] = {}
    for brief in corpus.briefs.values():
        for mention in brief.mentions:
            mentions[mention.ref].append((brief, mention))
            briefs_of[mention.ref].add(brief.id)
        for event_id in brief.about:
            briefs_of[event_id].add(brief.id)
        for element in brief.elements:
            elements.append((brief, element))
            element_of[(brief.id, element.id)] = element
            own = getattr(element, "actor", None)
            element_actors[(brief.id, element.id)] = frozenset(element.mentions.actors) | ({own} if own else set())
    brief_order = {brief_id: index for index, brief_id in enumerate(corpus.briefs)}

    def briefs_about(entity_id: str) -> tuple[str, ...]:
        return tuple(sorted(briefs_of.get(entity_id, ()), key=brief_order.__getitem__))

    actors = sorted(corpus.entities.actors.values(), key=lambda actor: (actor.name.casefold(), actor.id))
    events = sorted(corpus.entities.events.values(), key=lambda event: event.sort_key)
    citations = {
        ref: tuple(cite_mention(b, m, element_of.get((b.id, m.element_id or ""))) for b, m in found)
        for ref, found in mentions.items()
    }
    return Lookups(
        briefs_of=MappingProxyType({key: frozenset(value) for key, value in briefs_of.items()}),
        elements=tuple(elements),
        element_of=MappingProxyType(element_of),
        element_actors=MappingProxyType(element_actors),
        citations_of=MappingProxyType(citations),
        actors=MappingProxyType(
            {a.id: ActorEntry(a, len(mentions.get(a.id, ())), len(briefs_of.get(a.id, ()))) for a in actors}
        ),
        timeline=MappingProxyType({e.id: EventEntry(e, briefs_about(e.id)) for e in events}),
    )
