"""Section ids: an explicit ``{#id}`` or a slug of the heading, made unique."""

from __future__ import annotations

import re
from collections.abc import Container

from anyascii import anyascii

from briefs.fields import SLUG_MAX

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_APOSTROPHE = re.compile(r"(?<=[a-z0-9])['’](?=[a-z0-9])")
"""An apostrophe inside a word, dropped as Pandoc and GitHub drop it: ``Russia’s`` gives ``russias``."""

LEAD = "lead"
"""The id of the section formed by text before the first ``##`` heading."""


def slugify(text: str) -> str:
    """A slug of heading text: transliterated to ASCII, lowercase, words joined by hyphens.

    >>> slugify("What to Expect Next")
    'what-to-expect-next'
    >>> slugify("Zürich: «Talks»")
    'zurich-talks'
    >>> slugify("Russia’s Position")
    'russias-position'
    >>> slugify("Naxçıvan and Əliyev")
    'naxcivan-and-eliyev'
    >>> slugify("Переговоры")
    'peregovory'
    """
    ascii_text = anyascii(text).lower()
    slug = _NON_ALNUM.sub("-", _APOSTROPHE.sub("", ascii_text)).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


class SectionIds:
    """Hands out section ids within one brief."""

    __slots__ = ("chosen", "used")

    def __init__(self) -> None:
        self.used: dict[str, int] = {}
        """Every id handed out, and the line of its heading."""
        self.chosen: set[str] = set()
        """The ids an author wrote (``{#id}``), not derived from a heading's text."""

    def claim(self, section_id: str, line: int, *, chosen: bool = True) -> int | None:
        """Take an explicit id; returns the line that used it first, if taken.

        :param chosen: whether the author wrote it (not so for :data:`LEAD`)
        """
        if section_id in self.used:
            return self.used[section_id]
        self.used[section_id] = line
        if chosen:
            self.chosen.add(section_id)
        return None

    def derive(self, title: str, line: int, taken: Container[str] = ()) -> str:
        """A free id from the heading text: ``slug``, then ``slug-2``, ``slug-3`` …

        :param taken: other ids the section may not take (the brief's block ids so far)
        """
        base = slugify(title) or "section"
        candidate, number = base, 1
        while candidate in self.used or candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        self.used[candidate] = line
        return candidate
