"""W3C text fragments (https://wicg.github.io/scroll-to-text-fragment/): ``#:~:text=prefix-,start,end,-suffix``
that makes a browser scroll to a quote and highlight it.

A browser matches each part on word boundaries, within one block of text (a paragraph), so the parts are
cut here on the same terms:

- the quote is widened to whole words (a quote ``ummit`` becomes ``summit``): a part that starts or ends
  inside a word never matches;
- the prefix and suffix are a few whole words of context taken from the same paragraph only: a quote at the
  start of a paragraph has no prefix (the text before it is another block on the page, with a heading or a
  control between);
- a long quote is given as its first and last words (``start,end``), which also spans paragraphs;
- ``-``, ``,`` and ``&`` have meanings in the directive and ``#``, ``%`` and spaces in the URL: every
  character outside the unreserved set is percent-encoded as UTF-8, and ``-`` too (curly quotes and letters
  outside ASCII are encoded and match as written).
"""

from __future__ import annotations

import re
from urllib.parse import quote

CONTEXT_WORDS = 3
"""Whole words of prefix and of suffix, at most."""
LONG_QUOTE_WORDS = 10
"""A quote of more words is given as its first and last :data:`EDGE_WORDS` words."""
EDGE_WORDS = 4

_WORD = re.compile(r"\w", re.UNICODE)
_WORD_RUN = re.compile(r"\S+")


_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~")
_ASCII_ENCODED = {code: chr(code) if chr(code) in _UNRESERVED else f"%{code:02X}" for code in range(128)}
"""What :func:`encode_part` makes of each ASCII character, as one ``str.translate`` table."""


def encode_part(text: str) -> str:
    """One part of a text directive, percent-encoded: everything but ASCII letters, digits, ``.``, ``_``
    and ``~``; ``-`` (the prefix and suffix marker) included."""
    if text.isascii():
        return text.translate(_ASCII_ENCODED)  # quote() as below, a third of the time (three parts a citation)
    return quote(text, safe="").replace("-", "%2D")


def _is_word_char(char: str) -> bool:
    return bool(_WORD.match(char))


def widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``start`` and ``end`` moved outwards to the nearest word boundaries, and inwards past spaces."""
    while start > 0 and start < len(text) and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
        start -= 1
    while 0 < end < len(text) and _is_word_char(text[end - 1]) and _is_word_char(text[end]):
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the paragraph (or paragraphs) holding ``text[start:end]`` begins and ends: blocks are separated by
    line breaks in a brief's plain text."""
    before = text.rfind("\n", 0, start)
    after = text.find("\n", end)
    return before + 1, len(text) if after == -1 else after


def _take_words(runs: list[re.Match[str]], words: int) -> tuple[list[re.Match[str]], int]:
    """The first runs holding ``words`` words (runs of punctuation alone, such as ``&`` or ``“``, come along),
    and how many words they hold (fewer if ``runs`` ran out)."""
    taken: list[re.Match[str]] = []
    counted = 0
    for run in runs:
        if counted == words:
            break
        taken.append(run)
        counted += bool(_WORD.search(run.group()))
    return taken, counted


_WINDOW_CHARS = 120
"""Characters around a quote that :func:`prefix_words` and :func:`suffix_words` look at first (doubled until
they hold enough words or reach the paragraph's edge): listing every word of a long paragraph cost more than
the rest of a citation."""


def prefix_words(text: str, start: int, words: int = CONTEXT_WORDS) -> str:
    """Up to ``words`` whole words just before ``start``, in the same paragraph, as they stand."""
    begin, _ = _paragraph_bounds(text, start, start)
    size = _WINDOW_CHARS
    while True:
        low = max(begin, start - size)
        runs = list(_WORD_RUN.finditer(text, low, start))[::-1]
        if low > begin and runs:
            runs.pop()  # the earliest run may be a word cut by the window
        taken, counted = _take_words(runs, words)
        if low == begin or counted == words:
            return text[taken[-1].start() : start].strip() if taken else ""
        size *= 2


def suffix_words(text: str, end: int, words: int = CONTEXT_WORDS) -> str:
    """Up to ``words`` whole words just after ``end``, in the same paragraph, as they stand."""
    _, finish = _paragraph_bounds(text, end, end)
    size = _WINDOW_CHARS
    while True:
        high = min(finish, end + size)
        runs = list(_WORD_RUN.finditer(text, end, high))
        if high < finish and runs:
            runs.pop()  # the last run may be a word cut by the window
        taken, counted = _take_words(runs, words)
        if high == finish or counted == words:
            return text[end : taken[-1].end()].strip() if taken else ""
        size *= 2


def text_directive(text: str, start: int, end: int) -> str:
    """The ``text=...`` directive of ``text[start:end]`` in a plain text whose paragraphs are lines.

    >>> text_directive("An important “mini-summit” convened by Putin.", 14, 25)
    'text=An%20important%20%E2%80%9C-,mini%2Dsummit,-%E2%80%9D%20convened%20by%20Putin.'
    """
    start, end = widen_to_words(text, start, end)
    quoted = text[start:end]
    words = quoted.split()
    if len(words) > LONG_QUOTE_WORDS or "\n" in quoted:
        # Each of start and end lies within one paragraph: a browser matches each within one block.
        head = " ".join(quoted.split("\n", 1)[0].split()[:EDGE_WORDS])
        tail = " ".join(quoted.rsplit("\n", 1)[-1].split()[-EDGE_WORDS:])
        parts = [encode_part(head), encode_part(tail)]
    else:
        parts = [encode_part(" ".join(words))]
    prefix = prefix_words(text, start)
    suffix = suffix_words(text, end)
    if prefix:
        parts.insert(0, encode_part(prefix) + "-")
    if suffix:
        parts.append("-" + encode_part(suffix))
    return "text=" + ",".join(parts)


def fragment(anchor: str | None, text: str, start: int, end: int) -> str:
    """A URL fragment that scrolls to ``anchor`` (an element id) in browsers without text fragments, and to
    the quote in those with: ``#anchor:~:text=...``."""
    return f"#{anchor or ''}:~:{text_directive(text, start, end)}"
