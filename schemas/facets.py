"""Facets, and the envelope of a collection that can count them."""

from __future__ import annotations

import functools
from typing import Any

from marshmallow import Schema, fields

from briefs.facets import FACETS, MAX_VALUES
from schemas.common import DirectList, describe
from schemas.paging import PaginationSchema

_EXAMPLES = {
    "type": ("expectation", "Hit types (brief, section or a block type)"),
    "brief": ("sochi-summit-2021", "Brief ids"),
    "actor": ("azerbaijan", "Ids of the actors mentioned"),
    "event": ("sochi-meeting-2021", "Ids of the events mentioned (and, for a brief, the events it is about)"),
    "tag": ("diplomacy", "Tags of the brief"),
    "year": ("2021", "Years the brief was published"),
}


class FacetValueSchema(Schema):
    """One value of a facet, and how many of the matching items have it."""

    value = fields.String(required=True, metadata=describe("The value: an id, a tag, a type or a year.", "azerbaijan"))
    count = fields.Integer(required=True, metadata=describe("Matching items that have it.", 12))


class FacetValues(DirectList):
    """The values of one facet, dumped as :class:`FacetValueSchema` dumps each (a search with three facets
    dumped sixty values field by field, a tenth of the time outside the search itself)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(fields.Nested(FacetValueSchema), _dump_values, **kwargs)


def _dump_values(values: Any) -> list[dict[str, Any]]:
    return [{"value": str(item.value), "count": int(item.count)} for item in values]


def _values(name: str) -> fields.List:
    example, what = _EXAMPLES[name]
    return FacetValues(
        metadata=describe(
            f"{what}: the {MAX_VALUES} most frequent, most frequent first (ties in value order).",
            [{"value": example, "count": 12}],
        ),
    )


FacetsSchema = type(
    "FacetsSchema",
    (Schema,),
    {
        "__doc__": "How all the matching items (not only this page) spread over each facet asked for in `facets`; "
        "an item counts once under each value it has.",
        **{name: _values(name) for name in FACETS},
    },
)
FacetTotalsSchema = type(
    "FacetTotalsSchema",
    (Schema,),
    {
        "__doc__": f"For each facet asked for, how many distinct values it has (`facets` lists at most {MAX_VALUES}).",
        **{name: fields.Integer(metadata=describe(f"Distinct values of {name}.", 37)) for name in FACETS},
    },
)


def facet_fields() -> dict[str, fields.Field]:
    """The envelope fields that answer ``facets=``: present only when it is given."""
    return {
        "facets": fields.Nested(FacetsSchema, metadata=describe("Counts over every matching item; with facets= only.")),
        "facet_totals": fields.Nested(
            FacetTotalsSchema, metadata=describe("Distinct values of each facet; with facets= only.")
        ),
    }


@functools.cache
def faceted_page_schema(
    item_schema: type[Schema], query_schema: type[Schema] | None = None, *, query_required: bool = True
) -> type[Schema]:
    """An envelope schema for pages of ``item_schema`` that can count facets, named as
    :func:`schemas.paging.page_schema` names it (``SearchHitSchema`` gives ``SearchHitPage``).

    :param query_schema: if given, the envelope also says, in ``query``, how the query was read
    :param query_required: whether ``query`` is always there (a search), or only with ``q`` (a list)
    """
    name = item_schema.__name__.removesuffix("Schema")
    extra: dict[str, fields.Field] = {}
    if query_schema is not None:
        description = None if query_required else "How `q` was read, and a suggestion; only when `q` is given."
        extra["query"] = fields.Nested(
            query_schema, required=query_required, metadata={"description": description} if description else {}
        )
    return type(
        f"{name}PageSchema",
        (Schema,),
        {
            "__doc__": f"A page of {name} items, with its place in the collection, and facets when asked.",
            "items": fields.List(fields.Nested(item_schema), required=True),
            "pagination": fields.Nested(PaginationSchema, required=True),
            **extra,
            **facet_fields(),
        },
    )
