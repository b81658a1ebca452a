"""Content errors are values: collected, never raised, printed as ``path:line: message``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True, order=True)
class ContentError:
    """One problem found in a content file."""

    path: str
    """The file, as the author would open it (``content/briefs/x.md``)."""
    line: int
    """1-based line of the problem."""
    message: str
    """What is wrong, and where it helps, how to fix it."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class HasMap(Protocol):
    """A markdown-it token: ``map`` holds 0-based ``[first, past-last]`` lines."""

    map: list[int] | None


def line_span(token: HasMap, *, fenced: bool = False) -> tuple[int, int]:
    """The 1-based first and last lines of a block token.

    This is the only place where markdown-it's 0-based, end-exclusive
    ``token.map`` becomes the 1-based, inclusive lines that authors see.
    A fenced div's map ends on its closing fence line (``fenced=True``).
    """
    if token.map is None:
        return (1, 1)
    first, past_last = token.map
    return (first + 1, max(first + 1, past_last + (1 if fenced else 0)))


class ErrorSink:
    """Collects the errors of one file."""

    __slots__ = ("errors", "path")

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[ContentError] = []

    def add(self, line: int, message: str) -> None:
        """Record a problem at a 1-based line."""
        self.errors.append(ContentError(self.path, max(1, line), message))
