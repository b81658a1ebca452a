"""Sections and typed blocks while they are being read, before they are frozen."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from briefs.blocks import BlockType
from briefs.model import Mentions

NO_CHUNK = 1 << 30
"""``first_chunk`` of a span that holds no text yet."""


@dataclass(slots=True)
class Span:
    """What sections and blocks share while they are being read.

    ``first_chunk``..``last_chunk`` index the plain-text chunks inside it.
    """

    line_start: int
    first_token: int
    first_chunk: int
    last_chunk: int
    actors: dict[str, None] = field(default_factory=dict)
    events: dict[str, None] = field(default_factory=dict)

    def mentions(self) -> Mentions:
        """The entities mentioned so far, in order of first mention."""
        return Mentions(tuple(self.actors), tuple(self.events))


@dataclass(slots=True)
class SectionDraft(Span):
    id: str = ""
    title: str | None = None
    level: int = 2
    parent_id: str | None = None
    line_end: int = 0
    elements: list[Any] = field(default_factory=list)
    """Its blocks, as :class:`briefs.blockattrs.PendingElement` until the section closes."""


@dataclass(slots=True)
class BlockDraft(Span):
    type: BlockType | None = None
    type_name: str = "untyped"
    valid: bool = False
    id: str = ""
    attrs: dict[str, str] = field(default_factory=dict)
    ordinal: int = 0
    scenarios: list[Any] = field(default_factory=list)
    """Its scenarios, as pending elements."""
