"""A fenced div's attributes checked against the block-type table, and the
frozen element built when the div closes.

Its functions read explicit inputs (the error sink, the entities, the enclosing
block, the ordinals and ids seen so far) and return what they found; the walker
alone keeps and updates that state.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markdown_it.token import Token

from briefs.blocks import BLOCK_TYPES, KNOWN_TYPES, SECTION, BlockType
from briefs.drafts import NO_CHUNK, BlockDraft
from briefs.entities import unknown_id_hint
from briefs.errors import ErrorSink, line_span
from briefs.fields import SLUG_RULE, is_slug
from briefs.model import Element, Entities, Expectation, SourceLines
from briefs.syntax import parse_attributes

_TRAILING_COLONS = re.compile(r"\s*:+\s*$")
_EMPTY_ID = re.compile(r"""(?:^|[\s{])#(?=[\s}])""")
_QUOTED = re.compile(r""""(?:[^"\\]|\\.)*"|'[^']*'""")


@dataclass(frozen=True, slots=True)
class OpenedBlock:
    """A fenced div's opening fence, read: its draft, and what the walker records of it."""

    draft: BlockDraft
    """The block; ``valid`` only if its opening has no error."""
    counted: str | None
    """The section-level block type whose count becomes ``draft.ordinal``, if any."""
    claimed_id: str | None
    """The id the block takes, usable or not: a later block may not reuse it."""
    rendered: dict[str, str | int | float] | None
    """The div's attributes in the HTML (as markdown-it's ``Token.attrs``), if the block is
    usable: its class and id, so that it renders as ``<div class="<type>" id="<id>">``."""


def read_block(
    token: Token,
    index: int,
    *,
    parent: BlockDraft | None,
    ordinals: Mapping[str, int],
    block_lines: Mapping[str, int],
    entities: Entities,
    sink: ErrorSink,
) -> OpenedBlock:
    """Check the opening fence of a div, the ``index``-th token.

    :param parent: the innermost open block, if any
    :param ordinals: per section-level block type, how many were opened so far
    :param block_lines: the line of each block id taken so far
    """
    line = line_span(token)[0]
    draft = BlockDraft(line_start=line, first_token=index, first_chunk=NO_CHUNK, last_chunk=0)
    attrs = _read_fence_attributes(sink, token.info.strip(), line)
    if attrs is None:
        return OpenedBlock(draft, None, None, None)
    classes = attrs.pop("class", "").split()
    explicit_id = attrs.pop("id", None)
    draft.attrs = attrs
    draft.type_name = classes[0] if classes else "untyped"
    block_type = _read_type(sink, classes, line)
    if block_type is None:
        return OpenedBlock(draft, None, None, None)
    draft.type = block_type
    attributes_ok = _check_attributes(sink, entities, block_type, attrs, line)
    parent_ok = _check_parent(sink, block_type, parent, line)
    counted = None
    if block_type.parent == SECTION:
        counted = block_type.name
        draft.ordinal = ordinals.get(block_type.name, 0) + 1
        auto_id = f"{block_type.name}-{draft.ordinal}"
    else:
        draft.ordinal = len(parent.scenarios) + 1 if parent else 1
        auto_id = f"{parent.id if parent else block_type.parent}-{block_type.name}-{draft.ordinal}"
    draft.id = explicit_id if explicit_id is not None else auto_id
    # An id made from a broken parent's would only add a false error to the parent check's.
    id_ok = (parent_ok or explicit_id is not None) and _check_id(sink, block_lines, draft.id, line)
    claimed_id = draft.id if id_ok else None
    if not (attributes_ok and parent_ok and id_ok):
        return OpenedBlock(draft, counted, claimed_id, None)
    draft.valid = True
    return OpenedBlock(draft, counted, claimed_id, {"class": block_type.name, "id": draft.id})


def _read_fence_attributes(sink: ErrorSink, info: str, line: int) -> dict[str, str] | None:
    info = _TRAILING_COLONS.sub("", info)  # Pandoc allows '::: {.factor} :::'
    if info.startswith("{"):
        if _EMPTY_ID.search(_QUOTED.sub('""', info)):
            sink.add(line, "an empty id '#': write it as #some-id, or leave it out for an automatic one")
            return None
        attrs = parse_attributes(info)
        if attrs is None:
            sink.add(line, f'cannot read the attributes {info}: write them as {{.type #id key="value"}}')
        return attrs
    words = info.split()
    if len(words) != 1:
        sink.add(line, f"a fence is followed by one word or by {{...}} attributes, not '{info}'")
        return None
    return {"class": words[0]}


def _read_type(sink: ErrorSink, classes: list[str], line: int) -> BlockType | None:
    if not classes:
        sink.add(line, f"a fenced div needs its type as first class, e.g. '::: {{.factor}}' (known: {KNOWN_TYPES})")
        return None
    block_type = BLOCK_TYPES.get(classes[0])
    if block_type is None:
        sink.add(line, f"unknown block type '{classes[0]}' (known: {KNOWN_TYPES})")
        return None
    for extra in classes[1:]:
        sink.add(line, f"extra class '.{extra}' on {a(block_type.name)} block: a block has one class, its type")
    return block_type


def _check_attributes(
    sink: ErrorSink, entities: Entities, block_type: BlockType, attrs: dict[str, str], line: int
) -> bool:
    ok = True
    known = ", ".join(sorted({"id", *block_type.attributes}))
    for key, value in attrs.items():
        if key not in block_type.attributes:
            sink.add(line, f"unknown attribute '{key}' on {a(block_type.name)} block (known: {known})")
            ok = False
        elif key in ("priority-for", "actor"):
            for actor_id in value.split():
                if actor_id not in entities.actors:
                    hint = unknown_id_hint(entities.actors, actor_id, "{id}")
                    sink.add(line, f"'{key}' names unknown actor '{actor_id}'{hint}")
                    ok = False
    if "actor" in attrs and len(attrs["actor"].split()) != 1:
        sink.add(line, "'actor' names exactly one actor id")
        ok = False
    return ok


def _check_parent(sink: ErrorSink, block_type: BlockType, parent: BlockDraft | None, line: int) -> bool:
    if block_type.parent == SECTION and parent is not None:
        sink.add(
            line, f"{a(block_type.name)} block must stand directly in a section, not inside {a(parent.type_name)} block"
        )
        return False
    if block_type.parent != SECTION and (parent is None or parent.type_name != block_type.parent):
        where = f"inside {a(parent.type_name)} block" if parent else "directly in a section"
        sink.add(line, f"{a(block_type.name)} must stand directly inside {a(block_type.parent)} block, not {where}")
        return False
    return True


def a(noun: str) -> str:
    """The noun with its indefinite article: 'a factor', 'an expectation'."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _check_id(sink: ErrorSink, block_lines: Mapping[str, int], block_id: str, line: int) -> bool:
    if not is_slug(block_id):
        sink.add(line, f"block id '{block_id}' is not a slug ({SLUG_RULE})")
        return False
    first = block_lines.get(block_id)
    if first is not None:
        sink.add(line, f"duplicate id '{block_id}' (first used on line {first})")
        return False
    return True


@dataclass(slots=True)
class PendingElement:
    """A closed block, frozen once its section's HTML exists: the block's HTML is cut
    from there rather than rendered a second (or, for a scenario, a third) time."""

    model: type[Element]
    fields: dict[str, Any]
    opening_tag: str
    scenarios: list[PendingElement]
    element: Element | None = None

    def make(self, section_html: str) -> Element:
        """The element (made once, then reused)."""
        if self.element is None:
            if self.model is Expectation:
                self.fields["scenarios"] = tuple(pending.make(section_html) for pending in self.scenarios)
            self.element = self.model(html=inner_html(section_html, self.opening_tag), **self.fields)
        return self.element


def inner_html(html: str, opening_tag: str) -> str:
    """What stands between a div's opening tag and its matching ``</div>``.

    Raw HTML is escaped, so every ``<div`` and ``</div>`` in the output is a fenced div's.
    """
    start = html.find(opening_tag)
    if start < 0:
        return ""
    start += len(opening_tag)
    start += html.startswith("\n", start)
    depth, position = 1, start
    while True:
        close = html.find("</div>", position)
        opened = html.find("<div", position, close)
        if close < 0:
            return html[start:]
        if opened >= 0:
            depth, position = depth + 1, opened + 4
            continue
        depth -= 1
        if depth == 0:
            return html[start:close]
        position = close + 6


def build_element(
    draft: BlockDraft,
    text: str,
    start: int,
    *,
    source: SourceLines,
    brief_id: str,
    section_id: str,
    parent: BlockDraft | None,
) -> PendingElement:
    """Everything of a block whose closing fence was just read, but its HTML.

    :param text: the block's plain text, and ``start`` its offset in the brief
    :param source: the block's lines, its fences included
    :param parent: the innermost block still open around it, if any
    """
    assert draft.type is not None
    fields: dict[str, Any] = {
        "id": draft.id, "type": draft.type.name, "brief_id": brief_id,
        "section_id": section_id, "ordinal": draft.ordinal,
        "title": draft.attrs.get("title") or None, "text": text, "mentions": draft.mentions(),
        "source": source, "start": start,
    }  # fmt: skip
    if draft.type.name == "expectation":
        fields.update(
            horizon=draft.attrs.get("horizon") or None,
            priority_for=tuple(dict.fromkeys(draft.attrs.get("priority-for", "").split())),
        )
    elif draft.type.name == "scenario":
        fields["expectation_id"] = parent.id if parent else ""
    elif draft.type.name == "strategy-element":
        fields["actor"] = draft.attrs.get("actor") or None
    opening_tag = f'<div class="{draft.type.name}" id="{draft.id}">'
    return PendingElement(draft.type.model, fields, opening_tag, draft.scenarios)
