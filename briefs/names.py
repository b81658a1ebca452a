"""The names and aliases of the actors and events, as a search query may contain them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from briefs.model import Entities
from briefs.words import name_key, split_words


@dataclass(frozen=True, slots=True)
class NamedEntity:
    """An actor or event, as a query can name it."""

    kind: str
    """``actor`` or ``event``."""
    id: str
    """Its id."""
    name: str
    """Its name (an actor's name, an event's title)."""
    names: tuple[str, ...]
    """Its name and every alias."""

    @property
    def token(self) -> str:
        """The token that stands for it in the ``refs`` column of the index."""
        return ref_token(self.id)


class EntityNames:
    """Every name and alias of the actors and events, as a query may contain them."""

    def __init__(self, entities: Entities | None = None) -> None:
        self._by_key: dict[tuple[str, ...], tuple[NamedEntity, ...]] = {}
        actors = entities.actors if entities is not None else {}
        events = entities.events if entities is not None else {}
        named = [NamedEntity("actor", a.id, a.name, (a.name, *a.aliases)) for _, a in sorted(actors.items())]
        named += [NamedEntity("event", e.id, e.title, (e.title, *e.aliases)) for _, e in sorted(events.items())]
        self._ids = {kind: {e.id for e in named if e.kind == kind} for kind in ("actor", "event")}
        for entity in named:
            for name in entity.names:
                key = name_key(name)
                if key and entity not in self._by_key.get(key, ()):
                    self._by_key[key] = (*self._by_key.get(key, ()), entity)
        self.longest = max((len(key) for key in self._by_key), default=0)
        """Words in the longest name."""

    def is_entity(self, kind: str, entity_id: str) -> bool:
        """True if an actor (``kind`` "actor") or event of this id exists."""
        return entity_id in self._ids[kind]

    def names(self) -> list[tuple[str, ...]]:
        """Every name and alias, as folded words."""
        return list(self._by_key)

    def find(self, key: tuple[str, ...]) -> tuple[NamedEntity, ...]:
        """The entities with this name (folded words), if any."""
        return self._by_key.get(key, ())

    def words(self) -> Iterator[str]:
        """Every word of every name, as written."""
        for entities in self._by_key.values():
            for entity in entities:
                for name in entity.names:
                    yield from split_words(name)


def ref_token(entity_id: str) -> str:
    """The single index token that stands for an entity: longer than 64 characters, so that the
    porter stemmer leaves it alone, and made of letters and digits no text contains."""
    return ("zzref" + entity_id.encode().hex()).ljust(66, "z")
