"""Plain text and mentions out of one inline token.

A bracketed span ``[words]{.actor ref=id}`` or ``[words]{.event ref=id}``
ties its words to an entity. The brackets and braces go; the words stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from briefs.entities import unknown_id_hint
from briefs.errors import ErrorSink, line_span
from briefs.model import Entities

MENTION_KINDS = ("actor", "event")


@dataclass(frozen=True, slots=True)
class SpanHit:
    """A checked mention, with offsets into the inline's plain text."""

    kind: str
    """``actor`` or ``event``."""
    ref: str
    """The entity id."""
    start: int
    """Offset of the first character."""
    end: int
    """Offset past the last character."""
    line: int
    """1-based file line on which the span starts."""
    line_end: int
    """1-based file line on which the span ends."""


def read_inline(token: Token, entities: Entities, sink: ErrorSink) -> tuple[str, list[SpanHit]]:
    """The plain text of an inline token and the mentions in it.

    Soft line breaks become spaces and hard ones newlines. Spans are
    checked against the entities; each problem is reported at its line.
    Span tokens get clean HTML attributes (``class`` and ``data-ref``).
    """
    parts: list[str] = []
    length = 0
    line = line_span(token)[0]
    open_spans: list[tuple[Token, int, int]] = []
    hits: list[SpanHit] = []
    code_cursor = 0
    for child in token.children or ():
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(child.content)
            length += len(child.content)
        if kind == "text" and "]{" in child.content:
            _report_unread_spans(child.content, line, sink)
        if kind == "code_inline":
            newlines, code_cursor = _code_span_newlines(token.content, child, code_cursor)
            line += newlines
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" " if kind == "softbreak" else "\n")
            length += 1
            line += 1
        elif kind == "span_open":
            open_spans.append((child, length, line))
        elif kind == "span_close" and open_spans:
            span, start, start_line = open_spans.pop()
            hit = _check_span(span, start_line, entities, sink)
            if hit is not None:
                hits.append(SpanHit(hit[0], hit[1], start, length, start_line, line))
    text = "".join(parts)
    hits.sort(key=lambda hit: hit.start)
    return text, hits


_UNREAD_SPAN = re.compile(r"\]\{[^}\n]*\.(?:actor|event)\b[^}\n]*\}?")


def _report_unread_spans(text: str, line: int, sink: ErrorSink) -> None:
    """A mention whose braces could not be read stays text; say so rather than lose it quietly."""
    for match in _UNREAD_SPAN.finditer(text):
        sink.add(
            line, f"cannot read the mention's attributes '{match.group()[1:]}': write [words]{{.actor ref=some-id}}"
        )


def _code_span_newlines(source: str, code: Token, cursor: int) -> tuple[int, int]:
    """Line breaks inside a code span's source (markdown-it turns them into spaces), and where it ends."""
    words = (re.escape(part) for part in code.content.split(" "))
    pattern = re.escape(code.markup) + r"[ \n]?" + r"[ \n]".join(words)
    match = re.compile(pattern).search(source, cursor)
    if match is None:
        return 0, cursor
    return match.group().count("\n"), match.end()


def _check_span(span: Token, line: int, entities: Entities, sink: ErrorSink) -> tuple[str, str] | None:
    attrs = {str(k): str(v) for k, v in span.attrs.items()}
    attrs.update({str(k): str(v) for k, v in span.meta.get("insecure_attrs", {}).items()})
    classes = attrs.pop("class", "").split()
    ref = attrs.pop("ref", None)
    span.attrs = {}
    known = ", ".join(f".{kind}" for kind in MENTION_KINDS)
    if len(classes) != 1 or classes[0] not in MENTION_KINDS:
        shown = " ".join(f".{c}" for c in classes) or "no class"
        sink.add(line, f"a bracketed span needs exactly one class, {known}; found {shown}")
        return None
    kind = classes[0]
    for key in attrs:
        sink.add(line, f"unknown attribute '{key}' on an {kind} mention (known: ref)")
    if not ref:
        sink.add(line, f"{kind} mention has no ref: write [words]{{.{kind} ref=some-id}}")
        return None
    table = entities.actors if kind == "actor" else entities.events
    if ref not in table:
        hint = unknown_id_hint(table, ref, "ref={id}") or " (define it in content/entities/)"
        sink.add(line, f"unknown {kind} '{ref}' in a mention{hint}")
        return None
    span.attrs = {"class": kind, "data-ref": ref}
    return kind, ref
