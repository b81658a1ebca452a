"""A semantic diff of two versions of a brief, in the brief's own terms.

Sections and typed blocks are matched by id: each is added, removed, changed
(its text or attributes differ; changed text comes as a word-level diff) or
moved (same content, another place). Front matter fields are compared one by one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from briefs.frontmatter import KEYS
from briefs.model import Brief, Element, Section

ADDED, REMOVED, CHANGED, MOVED = "added", "removed", "changed", "moved"
FRONT_MATTER = tuple(key for key in KEYS if key != "id")
"""The front matter fields compared, in the order a diff lists them (the id never changes)."""
_SECTION_FIELDS = ("title", "level", "parent_id")
_ELEMENT_FIELDS = ("title", "horizon", "priority_for", "actor", "expectation_id")
_TOKENS = re.compile(r"\S+\s*|\s+")
"""Words with the spaces after them: a changed run of words diffs as one run, not word by word."""


@dataclass(frozen=True, slots=True)
class TextOp:
    """One run of a word-level diff."""

    op: str
    """``equal``, ``insert`` or ``delete``."""
    text: str
    """The words (with the spaces between them)."""


@dataclass(frozen=True, slots=True)
class FieldChange:
    """A field whose value differs."""

    field: str
    """Its name, as the API spells it."""
    old: Any
    """The value before (JSON-ready)."""
    new: Any
    """The value after (JSON-ready)."""


@dataclass(frozen=True, slots=True)
class PartChange:
    """What happened to one section or typed block."""

    id: str
    """Its id."""
    type: str
    """``section``, or the block type."""
    change: str
    """``added``, ``removed``, ``changed`` or ``moved``."""
    title: str | None
    """Its title (the newer one when both exist)."""
    section_id: str | None
    """Blocks: the section that holds it (newer place); sections: the parent section, if any."""
    fields: tuple[FieldChange, ...] = ()
    """Attributes that differ (a move shows here as ``section_id`` or ``position``)."""
    text: tuple[TextOp, ...] = ()
    """Word-level diff of its text, when the text changed."""


@dataclass(frozen=True, slots=True)
class BriefDiff:
    """Everything that differs between two versions of one brief."""

    brief_id: str
    from_version: int | None
    """The older version; None when diffed against nothing (the first version)."""
    to_version: int
    front_matter: tuple[FieldChange, ...]
    sections: tuple[PartChange, ...]
    elements: tuple[PartChange, ...]

    def summary(self) -> dict[str, int]:
        """How many typed blocks were added, removed, changed and moved."""
        counts = {ADDED: 0, REMOVED: 0, CHANGED: 0, MOVED: 0}
        for part in self.elements:
            counts[part.change] += 1
        return counts


def diff_briefs(old: Brief | None, new: Brief, from_version: int | None, to_version: int) -> BriefDiff:
    """What changed from ``old`` (None: nothing, so everything is added) to ``new``."""
    front = () if old is None else tuple(_changed_fields(old, new, FRONT_MATTER))
    sections = _diff_parts(old.sections if old else (), new.sections, _SECTION_FIELDS, _section_place)
    elements = _diff_parts(old.elements if old else (), new.elements, _ELEMENT_FIELDS, _element_place)
    return BriefDiff(new.id, from_version, to_version, front, sections, elements)


def word_diff(old: str, new: str) -> tuple[TextOp, ...]:
    """``old`` turned into ``new``, a run of words at a time."""
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    ops: list[TextOp] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(ops, "equal", "".join(before[i1:i2]))
            continue
        _append(ops, "delete", "".join(before[i1:i2]))
        _append(ops, "insert", "".join(after[j1:j2]))
    return tuple(ops)


def _append(ops: list[TextOp], op: str, text: str) -> None:
    if not text:
        return
    if ops and ops[-1].op == op:
        ops[-1] = TextOp(op, ops[-1].text + text)
    else:
        ops.append(TextOp(op, text))


def _json_ready(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_json_ready(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _json_ready(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def _changed_fields(old: object, new: object, names: Sequence[str]) -> list[FieldChange]:
    changes = []
    for name in names:
        before, after = getattr(old, name, None), getattr(new, name, None)
        if before != after:
            changes.append(FieldChange(name, _json_ready(before), _json_ready(after)))
    return changes


def _section_place(part: Section | Element) -> str | None:
    return part.parent_id if isinstance(part, Section) else None


def _element_place(part: Section | Element) -> str | None:
    return part.section_id if isinstance(part, Element) else None


def _diff_parts(
    old: Sequence[Section | Element], new: Sequence[Section | Element], names: Sequence[str], place: Any
) -> tuple[PartChange, ...]:
    before = {part.id: part for part in old}
    after = {part.id: part for part in new}
    kept_old = [part.id for part in old if part.id in after]
    kept_new = [part.id for part in new if part.id in before]
    in_order = set()
    for block in difflib.SequenceMatcher(None, kept_old, kept_new, autojunk=False).get_matching_blocks():
        in_order.update(kept_new[block.b : block.b + block.size])
    changes = []
    for part in new:
        kind = part.type if isinstance(part, Element) else "section"
        previous = before.get(part.id)
        if previous is None:
            changes.append(PartChange(part.id, kind, ADDED, part.title, place(part)))
            continue
        fields = _changed_fields(previous, part, names)
        if place(previous) != place(part):
            fields.append(FieldChange("section_id" if kind != "section" else "parent_id", place(previous), place(part)))
        moved = part.id not in in_order
        if moved:
            fields.append(FieldChange("position", kept_old.index(part.id) + 1, kept_new.index(part.id) + 1))
        text = word_diff(previous.text, part.text) if previous.text != part.text else ()
        content_changed = bool(text) or any(f.field in names for f in fields)
        if content_changed or moved or place(previous) != place(part):
            change = CHANGED if content_changed else MOVED
            changes.append(PartChange(part.id, kind, change, part.title, place(part), tuple(fields), text))
    for part in old:
        if part.id not in after:
            kind = part.type if isinstance(part, Element) else "section"
            changes.append(PartChange(part.id, kind, REMOVED, part.title, place(part)))
    return tuple(changes)
