"""One pass over a brief's tokens: sections, typed blocks, plain text and mentions."""

from __future__ import annotations

import re
from typing import Any

from markdown_it.token import Token

from briefs.blockattrs import PendingElement, a, build_element, read_block
from briefs.blocks import SECTION
from briefs.drafts import NO_CHUNK, BlockDraft, SectionDraft, Span
from briefs.errors import ErrorSink, line_span
from briefs.fields import SLUG_RULE, is_slug
from briefs.mentions import SpanHit, read_inline
from briefs.model import Element, Entities, Mention, Section, SourceLines
from briefs.sections import LEAD, SectionIds
from briefs.syntax import DIV, create_parser

_STRAY_FENCE = re.compile(r"[ \t]*:{3,}[ \t]*")
_RENDERER = create_parser()
SEPARATOR = "\n\n"


class Walker:
    """Reads the body tokens of one brief, reporting problems to ``sink``."""

    def __init__(
        self, tokens: list[Token], entities: Entities, sink: ErrorSink, brief_id: str, path: str, *, lines: list[str]
    ) -> None:
        self.tokens, self.entities, self.sink = tokens, entities, sink
        self.brief_id, self.path, self.lines = brief_id, path, lines
        self.chunks: list[str] = []
        self.offsets: list[int] = []
        self.length = 0
        self.section: SectionDraft | None = None
        self.sections: list[Section] = []
        self.parent_section: str | None = None
        self.section_ids = SectionIds()
        self.blocks: list[BlockDraft] = []
        self.block_lines: dict[str, int] = {}
        self.ordinals: dict[str, int] = {}
        self.pending: list[PendingElement] = []
        self.mentions: list[Mention] = []

    def walk(self) -> tuple[tuple[Section, ...], tuple[Element, ...], tuple[Mention, ...], str]:
        """Read every token; returns sections, elements, mentions and the plain text."""
        index = 0
        while index < len(self.tokens):
            token = self.tokens[index]
            if token.type == "front_matter":
                index += 1
                continue
            if token.type == "heading_open" and self._is_section_heading(token):
                index = self._open_section(index)
                continue
            self._read_body_token(index, token)
            index += 1
        self._close_section(len(self.tokens))
        elements = sorted((p.element for p in self.pending if p.element), key=lambda e: e.source.line_start)
        return tuple(self.sections), tuple(elements), tuple(self.mentions), SEPARATOR.join(self.chunks)

    # -- text -----------------------------------------------------------------

    def _add_chunk(self, text: str) -> int:
        if self.chunks:
            self.length += len(SEPARATOR)
        self.offsets.append(self.length)
        self.chunks.append(text)
        self.length += len(text)
        return self.offsets[-1]

    def _add_body_text(self, text: str, hits: list[SpanHit]) -> None:
        start = self._add_chunk(text)
        number = len(self.chunks)
        for span in (self.section, *self.blocks):
            if span is not None:
                span.first_chunk = min(span.first_chunk, number - 1)
                span.last_chunk = number
        self._record_mentions(start, text, hits)

    def _record_mentions(self, start: int, text: str, hits: list[SpanHit]) -> None:
        assert self.section is not None
        element_id = self.blocks[-1].id if self.blocks else None
        for hit in hits:
            self.mentions.append(
                Mention(
                    kind=hit.kind, ref=hit.ref, exact=text[hit.start : hit.end], start=start + hit.start,
                    end=start + hit.end, line=hit.line, line_end=hit.line_end, section_id=self.section.id,
                    element_id=element_id,
                )
            )  # fmt: skip
            for span in (self.section, *self.blocks):
                (span.actors if hit.kind == "actor" else span.events)[hit.ref] = None

    def text_of(self, span: Span) -> tuple[str, int]:
        """The plain text inside a section or block, and its offset in the brief."""
        if span.last_chunk <= span.first_chunk:
            return "", self.length
        first = span.first_chunk
        return SEPARATOR.join(self.chunks[first : span.last_chunk]), self.offsets[first]

    def render(self, first: int, past_last: int) -> str:
        """Safe HTML of a run of tokens."""
        return _RENDERER.renderer.render(self.tokens[first:past_last], _RENDERER.options, {})

    # -- body -----------------------------------------------------------------

    def _read_body_token(self, index: int, token: Token) -> None:
        if self.section is None:
            self._start_section(LEAD, None, level=2, parent=None, line=line_span(token)[0], first_token=index)
        assert self.section is not None
        if token.map:
            fenced = token.type == f"container_{DIV}_open"
            self.section.line_end = max(self.section.line_end, line_span(token, fenced=fenced)[1])
        if token.type == "inline":
            if self.tokens[index - 1].type == "paragraph_open":
                self._report_stray_fences(token)
            self._add_body_text(*read_inline(token, self.entities, self.sink))
        elif token.type in ("fence", "code_block"):
            self._add_body_text(token.content.rstrip("\n"), [])
        elif token.type == f"container_{DIV}_open":
            self._open_block(index, token)
        elif token.type == f"container_{DIV}_close":
            self._close_block()

    def _report_stray_fences(self, token: Token) -> None:
        first = line_span(token)[0]
        for offset, line in enumerate(token.content.split("\n")):
            if _STRAY_FENCE.fullmatch(line):
                self.sink.add(
                    first + offset,
                    f"closing '{line.strip()}' matches no open block; when blocks are nested, "
                    "give the outer one a longer fence (':::: … ::::' around '::: … :::')",
                )

    # -- sections -------------------------------------------------------------

    def _is_section_heading(self, token: Token) -> bool:
        level = int(token.tag[1])
        line = line_span(token)[0]
        if level == 1:
            self.sink.add(line, "a '#' heading is not allowed in the body: the title belongs in the front matter")
        elif level <= 3 and self.blocks:
            self.sink.add(
                line, f"a '{'#' * level}' heading cannot stand inside {a(self.blocks[-1].type_name)} block: "
                "close the block first"
            )  # fmt: skip
        # A heading inside a block quote or a list item stays part of it.
        return level in (2, 3) and not self.blocks and token.level == 0

    def _open_section(self, index: int) -> int:
        heading, inline = self.tokens[index], self.tokens[index + 1]
        line = line_span(heading)[0]
        level = int(heading.tag[1])
        title, hits = read_inline(inline, self.entities, self.sink)
        section_id = self._section_id(heading.meta.get("attrs", {}), title, line)
        self._close_section(index)
        if level == 2:
            self.parent_section = section_id
        parent = self.parent_section if level == 3 else None
        self._start_section(section_id, title.strip(), level=level, parent=parent, line=line, first_token=index + 3)
        self._record_mentions(self._add_chunk(title), title, hits)
        return index + 3

    def _section_id(self, attrs: dict[str, Any], title: str, line: int) -> str:
        attrs = dict(attrs)
        explicit = attrs.pop("id", None)
        for key, value in attrs.items():
            if key == "class":
                shown = " ".join(f".{name}" for name in str(value).split())
                self.sink.add(line, f"unknown heading attribute 'class' ({shown}): a heading takes only {{#id}}")
            else:
                self.sink.add(line, f"unknown heading attribute '{key}': a heading takes only {{#id}}")
        if explicit is None:
            return self.section_ids.derive(title, line, taken=self.block_lines)
        if not is_slug(explicit):
            self.sink.add(line, f"section id '{explicit}' is not a slug ({SLUG_RULE})")
        first = self.section_ids.claim(explicit, line)
        if first is not None:
            self.sink.add(line, f"duplicate section id '{explicit}' (first used on line {first})")
        elif explicit in self.block_lines:
            self.sink.add(
                line,
                f"section id '{explicit}' is already the id of the block on line {self.block_lines[explicit]}: "
                "ids are unique across the sections and blocks of a brief",
            )
        return str(explicit)

    def _start_section(
        self, section_id: str, title: str | None, *, level: int, parent: str | None, line: int, first_token: int
    ) -> None:
        if section_id == LEAD:
            self.section_ids.claim(LEAD, line, chosen=False)
        self.section = SectionDraft(
            line_start=line, first_token=first_token, first_chunk=NO_CHUNK, last_chunk=0,
            id=section_id, title=title, level=level, parent_id=parent, line_end=line,
        )  # fmt: skip

    def _close_section(self, past_last: int) -> None:
        draft = self.section
        if draft is None:
            return
        text, start = self.text_of(draft)
        html = self.render(draft.first_token, past_last)
        # A list's map takes in the blank lines after it; a section ends on its last written line.
        while (
            draft.line_start < draft.line_end <= len(self.lines) and not self.lines[draft.line_end - 1].strip()
        ):  # fmt: skip
            draft.line_end -= 1
        self.sections.append(
            Section(
                id=draft.id, brief_id=self.brief_id, title=draft.title, level=draft.level,
                parent_id=draft.parent_id, ordinal=len(self.sections) + 1, text=text,
                html=html, elements=tuple(pending.make(html) for pending in draft.elements),
                mentions=draft.mentions(), source=SourceLines(self.path, draft.line_start, draft.line_end),
                start=start,
            )
        )  # fmt: skip
        self.section = None

    # -- typed blocks -----------------------------------------------------------

    def _open_block(self, index: int, token: Token) -> None:
        opened = read_block(
            token, index, parent=self.blocks[-1] if self.blocks else None, ordinals=self.ordinals,
            block_lines=self.block_lines, entities=self.entities, sink=self.sink,
        )  # fmt: skip
        if opened.counted is not None:
            self.ordinals[opened.counted] = opened.draft.ordinal
        if opened.claimed_id is not None:
            self.block_lines[opened.claimed_id] = opened.draft.line_start
            if opened.claimed_id in self.section_ids.chosen:
                # One id written twice, two anchors: the section's html_url would land on the block. (A heading's
                # slug that a later block's id repeats is no error: the author never wrote it, and the heading's
                # anchor comes first on the page.)
                section_line = self.section_ids.used[opened.claimed_id]
                self.sink.add(
                    opened.draft.line_start,
                    f"id '{opened.claimed_id}' is already the id of the section on line {section_line}: "
                    "ids are unique across the sections and blocks of a brief; give one of them another {#id}",
                )
                opened.draft.valid = False
        if opened.rendered is not None and opened.draft.valid:
            token.attrs = opened.rendered
        self.blocks.append(opened.draft)

    def _close_block(self) -> None:
        if not self.blocks:
            return
        draft = self.blocks.pop()
        if draft.type is None or not draft.valid or self.section is None:
            return
        parent = self.blocks[-1] if self.blocks else None
        text, start = self.text_of(draft)
        source = SourceLines(self.path, *line_span(self.tokens[draft.first_token], fenced=True))
        pending = build_element(
            draft, text, start, source=source, brief_id=self.brief_id, section_id=self.section.id, parent=parent
        )
        self.pending.append(pending)
        if draft.type.parent == SECTION:
            self.section.elements.append(pending)
        elif parent is not None:
            parent.scenarios.append(pending)
