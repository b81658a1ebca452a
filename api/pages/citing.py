"""What a "Cite" control copies: the quote, the brief's title, the version and its date, and the pinned
permalink to the quote on the brief's page (a W3C text fragment in it scrolls to the quote)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefs.citations import Citation, cite_range
from briefs.model import Brief, Element
from briefs.textfragment import encode_part, fragment, widen_to_words
from schemas import urls

QUOTE_WORDS = 40
"""A block is quoted by its first sentence, cut at this many words."""
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)|\n")
_WORDS = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Cite:
    """One citation, as the page shows it and the clipboard receives it."""

    quote: str
    """The quoted words ("…" where a long passage was cut)."""
    title: str
    """The brief's title."""
    version: str
    """Which text is quoted: "version 3, 2021-11-29", or the revision and date without history."""
    link: str
    """The pinned permalink to the quote: absolute under BRIEFS_PUBLIC_URL, else a path (the script copies
    it absolute)."""


def version_label(brief: Brief, committed: dict[int, str]) -> str:
    """ "version N, DATE" (the commit's day), or "revision R, DATE" (updated, else published) without history."""
    if brief.version is not None and brief.version in committed:
        return f"version {brief.version}, {committed[brief.version][:10]}"
    return f"revision {brief.revision}, {(brief.updated or brief.published).isoformat()}"


def cite_quote(citation: Citation, committed: dict[int, str], quote: str | None = None) -> Cite:
    """The citation of a quote; the link is pinned to the version when the brief has one."""
    brief = citation.brief
    anchor = citation.element_id or citation.section_id
    page = urls.brief_page(brief.id, brief.version)
    link = urls.absolute(page + fragment(anchor, brief.text, citation.start, citation.end))
    return Cite(quote or citation.exact, brief.title, version_label(brief, committed), link)


def cite_title(brief: Brief, anchor: str | None, title: str, committed: dict[int, str]) -> Cite:
    """The citation of a title that matched a search where no text did: the title is the quote, and the
    permalink's text fragment finds the heading that shows it."""
    page = urls.brief_page(brief.id, brief.version)
    link = urls.absolute(f"{page}#{anchor or ''}:~:text={encode_part(title)}")
    return Cite(title, brief.title, version_label(brief, committed), link)


def cite_element(brief: Brief, element: Element, committed: dict[int, str]) -> Cite:
    """The citation of a typed block: its first sentence (at most :data:`QUOTE_WORDS` words)."""
    text = element.text
    end_match = _SENTENCE_END.search(text)
    end = end_match.end() if end_match and end_match.group() != "\n" else len(text.split("\n", 1)[0])
    words = list(_WORDS.finditer(text, 0, end))
    cut = len(words) > QUOTE_WORDS
    if cut:
        end = words[QUOTE_WORDS - 1].end()
    start, end = widen_to_words(brief.text, element.start, element.start + end)
    section = next(s for s in brief.sections if s.id == element.section_id)
    citation = cite_range(brief, section, element, start, end)
    return cite_quote(citation, committed, citation.exact + ("…" if cut else ""))


def context_parts(citation: Citation, words: int = 12) -> tuple[str, str, str]:
    """A mention or match with up to ``words`` words of context each side, within its paragraph, in three
    parts: the words before, the mention or match itself, the words after (a page marks the middle one)."""
    text = citation.brief.text
    begin = text.rfind("\n", 0, citation.start) + 1
    finish = text.find("\n", citation.end)
    finish = len(text) if finish == -1 else finish
    before = list(_WORDS.finditer(text, begin, citation.start))
    after = list(_WORDS.finditer(text, citation.end, finish))
    first = before[-words].start() if len(before) >= words else begin
    last = after[words - 1].end() if len(after) >= words else finish
    head = "…" if first > begin else ""
    tail = "…" if last < finish else ""
    exact = text[citation.start : citation.end]
    return f"{head}{text[first : citation.start].lstrip()}", exact, f"{text[citation.end : last].rstrip()}{tail}"
