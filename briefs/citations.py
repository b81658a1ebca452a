"""Citations: a quote pinned to its place in a brief, in the manner of W3C Web
Annotation selectors (TextQuoteSelector and TextPositionSelector)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from briefs.model import Brief, Element, Mention, Section, SourceLines
from briefs.textfragment import text_directive

CONTEXT_CHARS = 32
"""Characters of ``prefix`` and ``suffix`` around a quote."""


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a quote stands: brief, section, block, text offsets and file lines."""

    brief: Brief
    """The brief quoted (its id, revision and sha256 pin the text)."""
    section_id: str
    """The section that holds the quote."""
    element: Element | None
    """The innermost typed block that holds it, if any."""
    start: int
    """Offset of the quote in :attr:`Brief.text`."""
    end: int
    """Offset just past the quote."""
    line_start: int
    """First file line of the quote (or of the block or section that holds it)."""
    line_end: int
    """Last file line."""

    @property
    def brief_id(self) -> str:
        """The brief's id."""
        return self.brief.id

    @property
    def element_id(self) -> str | None:
        """The block's id, if the quote is inside one."""
        return self.element.id if self.element else None

    @property
    def element_type(self) -> str | None:
        """The block's type, if the quote is inside one."""
        return self.element.type if self.element else None

    @property
    def version(self) -> int | None:
        """The version of the brief quoted; None for uncommitted text or without history."""
        return self.brief.version

    @property
    def revision(self) -> int:
        """The brief's revision."""
        return self.brief.revision

    @property
    def sha256(self) -> str:
        """SHA-256 of the brief's file, which pins the text."""
        return self.brief.source.sha256

    @property
    def source(self) -> SourceLines:
        """The file lines of the quote."""
        return SourceLines(self.brief.source.path, self.line_start, self.line_end)

    @property
    def exact(self) -> str:
        """The quoted text, exactly as it stands at ``start``."""
        return self.brief.text[self.start : self.end]

    @property
    def prefix(self) -> str:
        """Up to :data:`CONTEXT_CHARS` characters before the quote."""
        return self.brief.text[max(0, self.start - CONTEXT_CHARS) : self.start]

    @property
    def suffix(self) -> str:
        """Up to :data:`CONTEXT_CHARS` characters after the quote."""
        return self.brief.text[self.end : self.end + CONTEXT_CHARS]

    @property
    def directive(self) -> str:
        """The W3C text directive (``text=prefix-,exact,-suffix``) that finds the quote on the brief's page."""
        return text_directive(self.brief.text, self.start, self.end)


class Cited(Protocol):
    """What a citation shows: a :class:`Citation`, or a :class:`PinnedQuote` read from the search index."""

    @property
    def brief_id(self) -> str: ...
    @property
    def section_id(self) -> str: ...
    @property
    def element_id(self) -> str | None: ...
    @property
    def element_type(self) -> str | None: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def exact(self) -> str: ...
    @property
    def prefix(self) -> str: ...
    @property
    def suffix(self) -> str: ...
    @property
    def source(self) -> SourceLines: ...
    @property
    def version(self) -> int | None: ...
    @property
    def revision(self) -> int: ...
    @property
    def sha256(self) -> str: ...
    @property
    def directive(self) -> str: ...


@dataclass(frozen=True, slots=True)
class PinnedQuote:
    """A citation as plain values, without the brief and block it quotes: what search hits carry, read
    from the index's tables (see :mod:`briefs.hit_citations`). Shown exactly as the :class:`Citation` of
    the same words."""

    brief_id: str
    section_id: str
    element_id: str | None
    element_type: str | None
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    source: SourceLines
    version: int | None
    revision: int
    sha256: str
    directive: str


def cite_mention(brief: Brief, mention: Mention, element: Element | None) -> Citation:
    """The citation of one mention span."""
    return Citation(brief, mention.section_id, element, mention.start, mention.end, mention.line, mention.line_end)


def cite_range(brief: Brief, section: Section, element: Element | None, start: int, end: int) -> Citation:
    """The citation of a run of text inside a section or block, with that block's lines."""
    lines = (element or section).source
    return Citation(brief, section.id, element, start, end, lines.line_start, lines.line_end)


def cite_match(brief: Brief, start: int, end: int) -> Citation:
    """The citation of a run of the brief's text, in the innermost block (else the section) that holds it."""
    # A heading stands just before its section's text, so the first section ending at or after the start holds it.
    section = next((s for s in brief.sections if s.start + len(s.text) >= start), brief.sections[-1])
    inside = [e for e in brief.elements if e.start <= start and end <= e.start + len(e.text)]
    element = min(inside, key=lambda e: len(e.text)) if inside else None
    return cite_range(brief, section, element, start, end)
