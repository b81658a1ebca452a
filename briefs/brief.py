"""parse_brief: the bytes of one brief and the entities in; a Brief or its errors out.

Reading files is the loader's job; this module only parses.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from markdown_it.token import Token

from briefs.errors import ContentError, ErrorSink
from briefs.frontmatter import FrontMatter, parse_front_matter
from briefs.model import Brief, BriefSource, Entities
from briefs.syntax import DIV, create_parser
from briefs.walker import Walker

FILE_MAX_BYTES = 1024 * 1024
WORD_RE = re.compile(r"\w+(?:['’\-]\w+)*")
_FENCE = re.compile(r" {0,3}(:{3,})(.*)")
_PARSER = create_parser()
_LINE_ENDS = re.compile(rb"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What parsing one brief gives: the brief, or None and every error found."""

    brief: Brief | None
    """The brief, when the file has no errors."""
    errors: tuple[ContentError, ...]
    """Every problem found, in line order."""


def parse_brief(data: bytes, entities: Entities, path: str, shown_path: str | None = None) -> ParseResult:
    """Parse one brief.

    :param data: the file's bytes
    :param entities: the actors and events mentions may name
    :param path: the file relative to the content directory, ``briefs/<id>.md``
    :param shown_path: the path errors name; defaults to ``path``
    """
    sink = ErrorSink(shown_path or path)
    if len(data) > FILE_MAX_BYTES:
        sink.add(1, f"file is larger than {FILE_MAX_BYTES // (1024 * 1024)} MB; split the brief")
        return ParseResult(None, tuple(sink.errors))
    text = _decode(data, sink)
    tokens = _tokenize(text, sink)
    _report_fences_closed_in_code(tokens, text.split("\n"), sink)
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    front = _read_front_matter(tokens, text, stem, entities, sink)
    walker = Walker(tokens, entities, sink, front.id if front else stem, path, lines=text.split("\n"))
    sections, elements, mentions, plain = walker.walk()
    if front is None and not sink.errors:
        # Never leave a brief out in silence: whatever made the front matter unusable must be named.
        sink.add(1, "the front matter could not be read: check its id, title and published")
    if front is None or sink.errors:
        return ParseResult(None, tuple(sorted(sink.errors, key=lambda e: e.line)))
    brief = Brief(
        **{name: getattr(front, name) for name in FrontMatter.__slots__},
        sections=sections,
        text=plain,
        word_count=len(WORD_RE.findall(plain)),
        mentions=mentions,
        source=BriefSource(path=path, sha256=hashlib.sha256(data).hexdigest()),
        elements=elements,
    )
    return ParseResult(brief, ())


def _decode(data: bytes, sink: ErrorSink) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        for number, line in enumerate(_LINE_ENDS.split(data), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                sink.add(number, f"invalid UTF-8 at byte {exc.start + 1} of the line; save the file as UTF-8")
        text = data.decode("utf-8", errors="replace")
    # markdown-it reads \r\n and \r as line ends too; so must the fence checks that split lines.
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _tokenize(text: str, sink: ErrorSink) -> list[Token]:
    """Tokens of the text; an unclosed fence is reported and read as a blank line,
    so that it does not swallow the rest of the file."""
    lines = text.split("\n")
    while True:
        tokens = _PARSER.parse(text)
        unclosed = _unclosed_divs(tokens, lines)
        if not unclosed:
            return tokens
        for first_line in unclosed:
            fence = lines[first_line].strip()
            marker = fence[: len(fence) - len(fence.lstrip(":"))]
            sink.add(first_line + 1, f"block '{fence}' is never closed: end it with a '{marker}' line")
            lines[first_line] = ""
        text = "\n".join(lines)


def _unclosed_divs(tokens: list[Token], lines: list[str]) -> list[int]:
    """0-based lines of div fences that are never closed.

    Authors nest blocks with a longer fence outside, so a bare fence closes the
    innermost open div of the same length (else the innermost shorter one);
    divs opened inside the one it closes were never closed. Code is skipped.
    """
    code = {line for t in tokens if t.type in ("fence", "code_block") and t.map for line in range(*t.map)}
    open_fences: list[tuple[int, int]] = []
    unclosed: list[int] = []
    for number, line in enumerate(lines):
        match = _FENCE.fullmatch(line) if number not in code else None
        if match is None:
            continue
        length = len(match.group(1))
        if match.group(2).strip(" \t:"):
            open_fences.append((number, length))
            continue
        lengths = [opened for _, opened in open_fences]
        target = next((i for i in reversed(range(len(lengths))) if lengths[i] == length), None)
        if target is None:
            target = next((i for i in reversed(range(len(lengths))) if lengths[i] < length), None)
        if target is not None:
            unclosed += [opened for opened, _ in open_fences[target + 1 :]]
            del open_fences[target:]
    unclosed += [number for number, _ in open_fences]
    # Only once the fences pair up can markdown-it's own reading blame a same-length nested fence.
    return sorted(unclosed) if unclosed else _closed_by_parent(tokens)


_CODE_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def _report_fences_closed_in_code(tokens: list[Token], lines: list[str], sink: ErrorSink) -> None:
    """markdown-it ends a div at a ':::' line even inside fenced code, where Pandoc would not:
    rather than serve a brief the two read differently, report it."""
    for token in tokens:
        if token.type != f"container_{DIV}_open" or not token.map:
            continue
        first, closer = token.map
        open_fence: str | None = None
        for line in lines[first + 1 : closer]:
            match = _CODE_FENCE.match(line)
            if match is None:
                continue
            marker = match.group(1)
            if open_fence is None:
                open_fence = marker
            elif marker[0] == open_fence[0] and len(marker) >= len(open_fence) and not line.strip(" `~"):
                open_fence = None
        if open_fence is not None and closer < len(lines):
            sink.add(
                closer + 1,
                f"this '{lines[closer].strip()}' stands inside a {open_fence} code block but ends the block opened "
                f"on line {first + 1}; close the code block first, or indent the line",
            )


def _closed_by_parent(tokens: list[Token]) -> list[int]:
    """Divs that markdown-it ended only because their parent ended (same-length nested fences)."""
    found: list[int] = []
    parents: list[int] = []
    for token in tokens:
        if token.type == f"container_{DIV}_open" and token.map:
            if parents and parents[-1] == token.map[1]:
                found.append(token.map[0])
            parents.append(token.map[1])
        elif token.type == f"container_{DIV}_close" and parents:
            parents.pop()
    return found


def _read_front_matter(
    tokens: list[Token], text: str, stem: str, entities: Entities, sink: ErrorSink
) -> FrontMatter | None:
    if tokens and tokens[0].type == "front_matter":
        return parse_front_matter(tokens[0].content, 2, stem, entities, sink)
    if text.startswith("---"):
        sink.add(1, "front matter is never closed: end it with a '---' line")
    else:
        sink.add(1, "a brief starts with YAML front matter between '---' lines (id, title, published)")
    return None
