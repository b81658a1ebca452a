"""Enumerations that become named OpenAPI components, so SDKs get one class per enum."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from briefs.blocks import BLOCK_TYPES
from briefs.entities import ACTOR_KINDS
from briefs.facets import FACETS
from briefs.query import SYNTAX_FTS5, SYNTAX_WORDS


class NamedEnum(fields.String):
    """A string restricted to ``values``, documented as ``#/components/schemas/<component>``."""

    component: str = ""
    values: tuple[str, ...] = ()
    doc: str = ""
    names: tuple[str, ...] = ()
    """Member names for generated SDKs (``x-enum-varnames``), where a value is not an identifier."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validate=validate.OneOf(self.values), **kwargs)


def named_enum(component: str, values: tuple[str, ...], doc: str, names: tuple[str, ...] = ()) -> type[NamedEnum]:
    """A :class:`NamedEnum` field class for one enumeration."""
    return type(
        f"{component}Field", (NamedEnum,), {"component": component, "values": values, "doc": doc, "names": names}
    )


ElementType = named_enum("ElementType", tuple(BLOCK_TYPES), "The type of a typed block.")
ActorKind = named_enum("ActorKind", ACTOR_KINDS, "What kind of actor it is.")
DatePrecision = named_enum("DatePrecision", ("year", "month", "day"), "How precisely an event's date is known.")
BriefSort = named_enum(
    "BriefSort",
    ("published", "-published", "title", "-title"),
    "Sort order of briefs; a leading '-' reverses it.",
    names=("PUBLISHED", "PUBLISHED_DESC", "TITLE", "TITLE_DESC"),
)
HitType = named_enum(
    "HitType", ("brief", "section", *BLOCK_TYPES), "What a search hit is: a brief, a section or a typed block."
)
ResponseFormat = named_enum("ResponseFormat", ("json", "csv"), "Representation of a collection.")
ChangeKind = named_enum("ChangeKind", ("created", "updated", "withdrawn"), "What happened to a brief in a commit.")
PartChangeKind = named_enum(
    "PartChangeKind", ("added", "removed", "changed", "moved"), "What happened to a section or block between versions."
)
TextOpKind = named_enum("TextOpKind", ("equal", "insert", "delete"), "What happened to a run of words.")
HistoryState = named_enum(
    "HistoryState",
    ("git", "shallow", "none"),
    "Where versions come from: git history, a shallow clone (none served), or none.",
)
FacetName = named_enum(
    "FacetName", FACETS, "What a facet counts items by: hit type, brief, actor or event mentioned, tag, year published."
)
EntityKind = named_enum("EntityKind", ("actor", "event"), "Whether an entity is an actor or an event.")
QuerySyntax = named_enum(
    "QuerySyntax",
    (SYNTAX_WORDS, SYNTAX_FTS5),
    "How a search query was read: as words (the documented search syntax), or as FTS5 syntax, as written.",
    names=("WORDS", "FTS5_SYNTAX"),
)
