"""Actors and events from ``content/entities/*.yaml``, shared by every brief."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from briefs.errors import ContentError, ErrorSink
from briefs.fields import FieldReader, date_precision
from briefs.model import Actor, Entities, Event
from briefs.words import name_key
from briefs.yamldata import Located, LocatedList, line_of, load_yaml

ACTOR_KINDS = ("person", "state", "organization", "territory", "place")
ACTOR_KEYS = ("id", "name", "kind", "description", "affiliation", "aliases")
EVENT_KEYS = ("id", "title", "date", "place", "participants", "aliases")
FILE_KEYS = ("actors", "events")

_Seen = dict[str, tuple[Actor | Event, int, ErrorSink]]
"""Entities kept so far by id, each with its line and the sink of its file."""
_Aliases = dict[str, tuple[tuple[str, int], ...]]
"""The aliases of each entity as written, each with its line."""


def load_entities(files: Iterable[tuple[str, str]]) -> tuple[Entities, list[ContentError]]:
    """Read every entity file and check the references between entities.

    :param files: pairs of the path to show in errors and the file's text
    :returns: the entities that passed their checks, and every problem found
    """
    seen: _Seen = {}
    aliases: _Aliases = {}
    sinks = []
    for path, text in files:
        sink = ErrorSink(path)
        sinks.append(sink)
        data = load_yaml(text, sink)
        if data is None:
            continue  # empty, or not YAML (already reported)
        if not isinstance(data, Located):
            sink.add(1, "an entity file is a mapping with 'actors:' and/or 'events:' lists")
            continue
        FieldReader(data, sink, "entity file").check_keys(FILE_KEYS, ())
        for item, line in _items(data, "actors", sink):
            _keep_unique(seen, aliases, _read_actor(item, sink), line, sink)
        for item, line in _items(data, "events", sink):
            _keep_unique(seen, aliases, _read_event(item, sink), line, sink)
    _check_aliases(seen, aliases)
    actors = {key: (e, line, sink) for key, (e, line, sink) in seen.items() if isinstance(e, Actor)}
    events = {key: (e, line, sink) for key, (e, line, sink) in seen.items() if isinstance(e, Event)}
    for actor, line, sink in actors.values():
        if actor.affiliation and actor.affiliation not in actors:
            sink.add(line, f"actor '{actor.id}' has unknown affiliation '{actor.affiliation}'")
    for event, line, sink in events.values():
        for participant in event.participants:
            if participant not in actors:
                sink.add(line, f"event '{event.id}' has unknown participant '{participant}'")
    entities = Entities(
        actors=MappingProxyType({key: value[0] for key, value in actors.items()}),
        events=MappingProxyType({key: value[0] for key, value in events.items()}),
    )
    return entities, [error for sink in sinks for error in sorted(sink.errors, key=lambda e: e.line)]


def _items(data: Located, key: str, sink: ErrorSink) -> Iterable[tuple[Located, int]]:
    items = data.get(key)
    if items is None:
        return
    if not isinstance(items, LocatedList):
        sink.add(line_of(data, key), f"'{key}' must be a list of mappings")
        return
    for index, item in enumerate(items):
        line = line_of(items, index)
        if isinstance(item, Located):
            yield item, line
        else:
            sink.add(line, f"each of '{key}' must be a mapping with an 'id'")


def _keep_unique(
    seen: _Seen,
    aliases: _Aliases,
    read: tuple[Actor | Event | None, tuple[tuple[str, int], ...]],
    line: int,
    sink: ErrorSink,
) -> None:
    """Keep an entity unless its id is taken: ids are unique across actors, events and files."""
    entity, entity_aliases = read
    if entity is None:
        return
    if entity.id in seen:
        _, first_line, first_sink = seen[entity.id]
        sink.add(line, f"duplicate entity id '{entity.id}' (first in {first_sink.path}:{first_line})")
        return
    seen[entity.id] = (entity, line, sink)
    aliases[entity.id] = entity_aliases


def _describe(entity: Actor | Event) -> str:
    return f"{'actor' if isinstance(entity, Actor) else 'event'} '{entity.id}'"


def _check_aliases(seen: _Seen, aliases: _Aliases) -> None:
    """Give every entity the aliases that name it alone.

    Names and aliases are compared as search compares words (case, diacritics and punctuation
    aside). An alias that is another entity's name, or an alias met before of another entity,
    is an error at its line and is left out; one that repeats the entity's own name is dropped.
    """
    owners: dict[tuple[str, ...], tuple[Actor | Event, str, str]] = {}
    for entity, line, sink in seen.values():
        name = entity.name if isinstance(entity, Actor) else entity.title
        owners.setdefault(name_key(name), (entity, "the name", f"{sink.path}:{line}"))
    for entity_id, (entity, line, sink) in list(seen.items()):
        kept = []
        for alias, alias_line in aliases.get(entity_id, ()):
            key = name_key(alias)
            owner, role, where = owners.get(key, (None, "", ""))
            if not key:
                sink.add(alias_line, f"alias {alias!r} of {_describe(entity)} has no letter or digit to search for")
            elif owner is None:
                owners[key] = (entity, "an alias", f"{sink.path}:{alias_line}")
                kept.append(alias)
            elif owner.id != entity_id:
                sink.add(
                    alias_line,
                    f"alias {alias!r} of {_describe(entity)} is already {role} of {_describe(owner)} ({where}); "
                    "a search for it could not tell which is meant",
                )
        if kept:
            seen[entity_id] = (dataclasses.replace(entity, aliases=tuple(kept)), line, sink)


def _read_actor(item: Located, sink: ErrorSink) -> tuple[Actor | None, tuple[tuple[str, int], ...]]:
    fields = FieldReader(item, sink, f"actor '{item.get('id', '?')}'")
    fields.check_keys(ACTOR_KEYS, ("id", "name", "kind"))
    actor_id, name, kind = fields.slug("id"), fields.string("name"), item.get("kind")
    if kind is not None and kind not in ACTOR_KINDS:
        fields.error("kind", f"unknown actor kind {kind!r} (known: {', '.join(ACTOR_KINDS)})")
        kind = None
    affiliation = fields.slug("affiliation")
    aliases = fields.string_list("aliases")
    if actor_id is None or name is None or kind is None:
        return None, ()
    return Actor(actor_id, name, kind, fields.string("description", optional_text=True), affiliation), aliases


def _read_event(item: Located, sink: ErrorSink) -> tuple[Event | None, tuple[tuple[str, int], ...]]:
    fields = FieldReader(item, sink, f"event '{item.get('id', '?')}'")
    fields.check_keys(EVENT_KEYS, ("id", "title", "date"))
    event_id, title = fields.slug("id"), fields.string("title")
    date = item.get("date")
    if isinstance(date, int) and not isinstance(date, bool):
        date = str(date)
    precision = date_precision(date) if isinstance(date, str) else None
    if date is not None and precision is None:
        fields.error("date", f"event date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    participants = fields.slug_list("participants")
    aliases = fields.string_list("aliases")
    if event_id is None or title is None or precision is None:
        return None, ()
    place = fields.string("place", optional_text=True)
    return Event(event_id, title, str(date), precision, place, participants), aliases


def meant_id(table: Mapping[str, Actor] | Mapping[str, Event], ref: str) -> str | None:
    """The id of the one entity of ``table`` that ``ref``, an unknown id, names, if any: a name or an
    alias written where the id belongs (``ref=Putin``), or the id in another case or spelling of its
    words (``ref=Vladimir_Putin``). Compared as search compares names. Only called for an error."""
    key = name_key(ref)
    if not key:
        return None
    found = {
        entity.id
        for entity in table.values()
        for name in (entity.id, entity.name if isinstance(entity, Actor) else entity.title, *entity.aliases)
        if name_key(name) == key
    }
    return found.pop() if len(found) == 1 else None


def unknown_id_hint(table: Mapping[str, Actor] | Mapping[str, Event], ref: str, write: str) -> str:
    """``; did you mean ...?`` for an error about the unknown id ``ref``, or nothing.

    :param write: how the fix is written, with ``{id}`` for the id, e.g. ``ref={id}``
    """
    meant = meant_id(table, ref)
    if meant is None:
        return ""
    return f"; did you mean {write.format(id=meant)}? References use ids, not names or aliases"
