"""Wire shapes shared by every resource: source lines, mentions, computed fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema, fields


def describe(text: str, example: object = None, **extra: object) -> dict[str, object]:
    """Field metadata for the OpenAPI document: a description and, if given, an example."""
    meta: dict[str, object] = {"description": text, **extra}
    if example is not None:
        meta["example"] = example
    return meta


class DirectList(fields.List):
    """A list documented as ``fields.List(inner)`` is, but dumped by ``dump`` in one call instead of a
    field call for each item: for long lists of plain values, where marshmallow's per-item work was
    most of the dump. The golden files and a facet test hold its uses to what ``inner`` would dump."""

    def __init__(self, inner: fields.Field, dump: Callable[[Any], list[Any]], **kwargs: Any) -> None:
        super().__init__(inner, **kwargs)
        self._dump = dump

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> list[Any] | None:
        return None if value is None else self._dump(value)


class Ids(DirectList):
    """A list of ids, strings already, dumped as they are (an event lists every brief about it or
    mentioning it: 10,000 ids at 10,000 briefs)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(fields.String(), list, **kwargs)


class SourceLinesSchema(Schema):
    """Where a section or block stands in its Markdown file."""

    path = fields.String(
        required=True, metadata=describe("File, relative to the content directory.", "briefs/sochi-summit-2021.md")
    )
    line_start = fields.Integer(required=True, metadata=describe("First line, 1-based.", 17))
    line_end = fields.Integer(required=True, metadata=describe("Last line, 1-based and inclusive.", 21))


class BriefSourceSchema(Schema):
    """The Markdown file a brief was read from."""

    path = fields.String(
        required=True, metadata=describe("File, relative to the content directory.", "briefs/sochi-summit-2021.md")
    )
    sha256 = fields.String(
        required=True,
        metadata=describe(
            "Hex SHA-256 of the file's bytes; pins citations to this text.", "9f86d08188...", pattern="^[0-9a-f]{64}$"
        ),
    )


class MentionsSchema(Schema):
    """Ids of the entities a text mentions, in order of first mention."""

    actors = fields.List(fields.String(), required=True, metadata=describe("Actor ids.", ["vladimir-putin", "russia"]))
    events = fields.List(fields.String(), required=True, metadata=describe("Event ids.", ["sochi-meeting-2021"]))


class _Computed:
    """A field whose value is computed from the whole object, documented with its real type."""

    def __init__(self, compute: Callable[[Any], Any], *args: Any, **kwargs: Any) -> None:
        self._compute = compute
        super().__init__(*args, **kwargs)

    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = None) -> Any:
        return self._compute(obj)


class ComputedString(_Computed, fields.String):
    """A string computed from the object, such as its ``url``."""


class ComputedInteger(_Computed, fields.Integer):
    """An integer computed from the object."""


class ComputedNested(_Computed, fields.Nested):
    """A nested object computed from the object."""
