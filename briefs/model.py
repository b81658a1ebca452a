"""The typed corpus: frozen dataclasses built once at load time, then only read.

Nothing here imports flask, werkzeug or marshmallow; the HTTP layer reads
these objects and the wire schemas in :mod:`schemas` turn them into JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from operator import attrgetter
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class SourceLines:
    """Where a section or block stands in its file."""

    path: str
    """The file, relative to the content directory (``briefs/x.md``)."""
    line_start: int
    """First line, 1-based."""
    line_end: int
    """Last line, 1-based, inclusive."""


@dataclass(frozen=True, slots=True)
class BriefSource:
    """The file a brief was read from."""

    path: str
    """The file, relative to the content directory."""
    sha256: str
    """Hex SHA-256 of the file's bytes, pinning citations to this text."""


@dataclass(frozen=True, slots=True)
class Mentions:
    """Ids of the entities a piece of text mentions, in order of first mention."""

    actors: tuple[str, ...] = ()
    """Actor ids."""
    events: tuple[str, ...] = ()
    """Event ids."""


@dataclass(frozen=True, slots=True)
class Mention:
    """One bracketed span that ties words of a brief to an entity."""

    kind: str
    """``actor`` or ``event``."""
    ref: str
    """The entity id."""
    exact: str
    """The span's words, as they read in the brief's plain text."""
    start: int
    """Offset of the first character in :attr:`Brief.text`."""
    end: int
    """Offset just past the last character in :attr:`Brief.text`."""
    line: int
    """The 1-based line of the file on which the span starts."""
    line_end: int
    """The 1-based line of the file on which the span ends."""
    section_id: str
    """The section that holds the span."""
    element_id: str | None
    """The innermost typed block that holds the span, if any."""


@dataclass(frozen=True, slots=True)
class Element:
    """A typed block: the fields every block type shares."""

    id: str
    """Unique within the brief, across all block types."""
    type: str
    """The block type's name, a key of :data:`briefs.blocks.BLOCK_TYPES`."""
    brief_id: str
    """The brief that holds the block."""
    section_id: str
    """The section that holds the block."""
    ordinal: int
    """1-based position among blocks of the same type (scenarios: within their expectation)."""
    title: str | None
    """The ``title`` attribute, if given."""
    text: str
    """Plain text, with markup and mention brackets gone and their words kept."""
    html: str
    """Safe HTML of the block's content (raw HTML in the source is escaped)."""
    mentions: Mentions
    """Entities mentioned inside the block."""
    source: SourceLines
    """The fence lines that open and close the block, inclusive."""
    start: int
    """Offset of the block's text in :attr:`Brief.text`."""


@dataclass(frozen=True, slots=True)
class Factor(Element):
    """A factor: one reason or driver an analysis names."""


@dataclass(frozen=True, slots=True)
class Scenario(Element):
    """One way an expectation may play out; only inside an expectation."""

    expectation_id: str
    """The expectation that holds the scenario."""


@dataclass(frozen=True, slots=True)
class Expectation(Element):
    """Something the analysis expects to happen."""

    horizon: str | None
    """Free-text time horizon, such as "coming months"."""
    priority_for: tuple[str, ...]
    """Actor ids for whom the outcome is a priority."""
    scenarios: tuple[Scenario, ...]
    """Its scenarios, in document order."""


@dataclass(frozen=True, slots=True)
class StrategyElement(Element):
    """One element of an actor's strategy."""

    actor: str | None
    """The actor id whose strategy it is."""


@dataclass(frozen=True, slots=True)
class Section:
    """A ``##`` section, a ``###`` subsection, or the ``lead`` before the first heading."""

    id: str
    """From a ``{#id}`` heading attribute, else a slug of the heading text."""
    brief_id: str
    """The brief that holds the section."""
    title: str | None
    """The heading text; None for the lead."""
    level: int
    """2 for a section (and the lead), 3 for a subsection."""
    parent_id: str | None
    """The enclosing ``##`` section of a subsection; None at the top level."""
    ordinal: int
    """1-based position in the brief's flat list of sections."""
    text: str
    """Plain text of the section's body, typed blocks included, heading excluded."""
    html: str
    """Safe HTML of the section's body."""
    elements: tuple[Element, ...]
    """Typed blocks directly in the section, in document order."""
    mentions: Mentions
    """Entities mentioned in the section's body."""
    source: SourceLines
    """From the heading line to the section's last non-blank line."""
    start: int
    """Offset of the section's text in :attr:`Brief.text`."""


@dataclass(frozen=True, slots=True)
class Author:
    """An author named in the front matter."""

    name: str
    """The author's name."""
    affiliation: str | None = None
    """Their organisation, if given."""


@dataclass(frozen=True, slots=True)
class Brief:
    """One parsed brief."""

    id: str
    """Slug, equal to the file stem."""
    title: str
    """The title from the front matter."""
    published: dt.date
    """Publication date."""
    updated: dt.date | None
    """Date of the last update, if any."""
    revision: int
    """Revision number, 1 and up."""
    summary: str | None
    """One-paragraph summary."""
    authors: tuple[Author, ...]
    """The authors, in the order given."""
    publisher: str | None
    """The publishing organisation."""
    language: str
    """BCP 47 language tag."""
    tags: tuple[str, ...]
    """Tag slugs."""
    about: tuple[str, ...]
    """Ids of the events the brief assesses."""
    sections: tuple[Section, ...]
    """Every section in document order, subsections after their parent."""
    text: str
    """The brief's plain text: headings and paragraphs, separated by blank lines."""
    word_count: int
    """Words in :attr:`text`."""
    mentions: tuple[Mention, ...]
    """Every mention span, in document order."""
    source: BriefSource
    """The file it was read from."""
    elements: tuple[Element, ...] = field(default=())
    """Every typed block in document order, scenarios included."""
    version: int | None = field(default=None, kw_only=True)
    """The version of the brief's history these bytes equal; None for uncommitted edits or no history."""

    def elements_of_type(self, type_name: str) -> tuple[Element, ...]:
        """The brief's blocks of one type, in document order."""
        return tuple(e for e in self.elements if e.type == type_name)


@dataclass(frozen=True, slots=True)
class Actor:
    """A person, state, organisation, territory or place that briefs mention."""

    id: str
    """Slug, unique across entity files."""
    name: str
    """Display name."""
    kind: str
    """person, state, organization, territory or place."""
    description: str | None
    """A short description."""
    affiliation: str | None
    """Id of the actor it belongs to, if any."""
    aliases: tuple[str, ...] = ()
    """Other names it goes by, which search also knows it by."""


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened, dated to the year, month or day."""

    id: str
    """Slug, unique across entity files."""
    title: str
    """What happened."""
    date: str
    """As written: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    date_precision: str
    """``year``, ``month`` or ``day``."""
    place: str | None
    """Where it happened."""
    participants: tuple[str, ...]
    """Actor ids."""
    aliases: tuple[str, ...] = ()
    """Other names it goes by, which search also knows it by."""

    @property
    def sort_key(self) -> tuple[str, int, str]:
        """Timeline order: a partial date sorts at its start, before finer dates within it."""
        return (self.date, len(self.date), self.id)


@dataclass(frozen=True, slots=True)
class Entities:
    """The actors and events shared by every brief."""

    actors: Mapping[str, Actor] = field(default_factory=lambda: MappingProxyType({}))
    """Actors by id."""
    events: Mapping[str, Event] = field(default_factory=lambda: MappingProxyType({}))
    """Events by id."""


def _pickle_by_slots(cls: type) -> None:
    """Pickle ``cls`` as the tuple of its fields, read and set straight through its slots.

    A ``slots=True`` dataclass pickles through functions that call :func:`dataclasses.fields` for
    every object; a brief holds a hundred or more of them, pickled once in a build's worker and
    unpickled wherever the artifact's model is read. This is about twice as fast both ways.
    """
    names = tuple(f.name for f in fields(cls))
    read = attrgetter(*names)
    setters = tuple(getattr(cls, name).__set__ for name in names)  # the slots' descriptors: frozen or not

    def getstate(self: object) -> tuple[object, ...]:
        values = read(self)
        return values if len(names) > 1 else (values,)

    def setstate(self: object, state: tuple[object, ...]) -> None:
        for set_slot, value in zip(setters, state, strict=True):
            set_slot(self, value)

    setattr(cls, "__getstate__", getstate)  # noqa: B010 - replaces what @dataclass(slots=True) set
    setattr(cls, "__setstate__", setstate)  # noqa: B010


for _cls in (SourceLines, BriefSource, Mentions, Mention, Element, Factor, Scenario, Expectation, StrategyElement,
             Section, Author, Brief, Actor, Event):  # fmt: skip
    _pickle_by_slots(_cls)
