"""Facets: how the items of a filtered collection spread over types, briefs, actors, events,
tags and years, counted by SQLite over the artifact's tables.

Each facet counts every matching item, not only a page: how many items have each
value, most frequent first (ties in value order), at most :data:`MAX_VALUES`
values, and how many distinct values there are in all. An item may count under
several values of one facet (a passage that mentions three actors counts once
for each), and under none (a passage that mentions no event).

The items are given as SQL, so that the whole selection is counted in one
statement per collection and never loaded into Python.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from briefs.index import HIT_TYPES

FACETS = ("type", "brief", "actor", "event", "tag", "year")
"""Every facet, in the order responses list them."""
MAX_VALUES = 20
"""Values listed per facet, the most frequent."""


@dataclass(frozen=True, slots=True)
class FacetValue:
    """One value of a facet and how many items have it."""

    value: str
    count: int


@dataclass(frozen=True, slots=True)
class Facet:
    """The most frequent values of a facet, and how many distinct values it has."""

    values: tuple[FacetValue, ...]
    total: int


_TYPE_NAMES = " ".join(f"WHEN {code} THEN '{name}'" for code, name in enumerate(HIT_TYPES))
# For each collection and facet: the SQL that yields one ``value`` per (item, value), over ``sel``.
_HITS = {  # sel(doc): rows of the full-text index
    "type": f"SELECT CASE sel.doc % {len(HIT_TYPES)} {_TYPE_NAMES} END AS value FROM sel",
    "brief": "SELECT f.brief_id AS value FROM sel JOIN doc_facets f ON f.doc = sel.doc",
    # Integer keys, named only for the values listed (see _KEYED): grouping integers from narrow tables.
    "actor": "SELECT r.key AS value FROM sel JOIN doc_actors r ON r.doc = sel.doc",
    "event": "SELECT r.key AS value FROM sel JOIN doc_events r ON r.doc = sel.doc",
    "tag": "SELECT t.tag AS value FROM sel JOIN doc_facets f ON f.doc = sel.doc JOIN brief_tags t USING (brief_id)",
    "year": "SELECT y.year AS value FROM sel JOIN doc_years y ON y.doc = sel.doc",
}
BIT_ACTORS = 24
"""The actor facet of a search sums bits (``doc_actor_bits``) when the catalogue has at most this many actors.

Summing costs one addition per actor for each hit; grouping the (hit, actor) pairs costs a sorted row per pair,
about four times an addition. At 10,000 generated briefs (14 actors, about 11 pairs a hit: a brief's own row
counts every actor it mentions) the facet went from about 5 ms to 1.6 ms. With many actors and few mentioned
per hit, pairs cost less: past this many actors, the facet groups pairs."""
_KEYED = {("hits", "actor"), ("hits", "event")}
"""Facets whose values are keys of ``ref_keys``: listed by their entity id."""
_BRIEFS = {  # sel(brief_id, published): briefs; their mentions are those of their row in the index
    "type": "SELECT 'brief' AS value FROM sel",
    "brief": "SELECT sel.brief_id AS value FROM sel",
    "actor": (
        "SELECT r.entity_id AS value FROM sel JOIN doc_facets f ON f.brief_id = sel.brief_id AND f.position IS NULL "
        f"AND f.doc % {len(HIT_TYPES)} = 0 JOIN doc_refs r ON r.doc = f.doc AND r.kind = 'actor'"
    ),
    "event": (
        "SELECT r.entity_id AS value FROM sel JOIN doc_facets f ON f.brief_id = sel.brief_id AND f.position IS NULL "
        f"AND f.doc % {len(HIT_TYPES)} = 0 JOIN doc_refs r ON r.doc = f.doc AND r.kind = 'event'"
    ),
    "tag": "SELECT t.tag AS value FROM sel JOIN brief_tags t USING (brief_id)",
    "year": "SELECT substr(sel.published, 1, 4) AS value FROM sel",
}
_ELEMENTS = {  # sel(brief_id, position, type, published): typed blocks
    "type": "SELECT sel.type AS value FROM sel",
    "brief": "SELECT sel.brief_id AS value FROM sel",
    "actor": (
        "SELECT r.entity_id AS value FROM sel JOIN element_refs r "
        "ON r.kind = 'actor' AND r.brief_id = sel.brief_id AND r.position = sel.position"
    ),
    "event": (
        "SELECT r.entity_id AS value FROM sel JOIN element_refs r "
        "ON r.kind = 'event' AND r.brief_id = sel.brief_id AND r.position = sel.position"
    ),
    "tag": "SELECT t.tag AS value FROM sel JOIN brief_tags t USING (brief_id)",
    "year": "SELECT substr(sel.published, 1, 4) AS value FROM sel",
}
COLLECTIONS: Mapping[str, Mapping[str, str]] = {"hits": _HITS, "briefs": _BRIEFS, "elements": _ELEMENTS}
"""The facet queries of each kind of collection."""


def count_facets(
    conn: sqlite3.Connection, collection: str, selection: str, params: Mapping[str, Any], names: Iterable[str]
) -> dict[str, Facet]:
    """Count facets over the items that ``selection`` (a SELECT with the columns of ``collection``) yields.

    :param collection: ``hits``, ``briefs`` or ``elements``
    :param names: the facets to count, each a member of :data:`FACETS`
    """
    wanted = facet_names(names)
    if not wanted:
        return {}
    # One statement: the selection is run once, into a materialised table every facet reads.
    ctes, counted = facet_sql(collection, wanted)
    sql = f"WITH sel AS MATERIALIZED ({selection}), {ctes} {counted}"
    return read_facets(wanted, conn.execute(sql, dict(params)))


def facet_names(names: Iterable[str]) -> list[str]:
    """The members of :data:`FACETS` among ``names``, in the order of :data:`FACETS`."""
    asked = set(names)
    return [name for name in FACETS if name in asked]


def facet_sql(collection: str, wanted: Sequence[str], actor_bits: Sequence[int] = ()) -> tuple[str, str]:
    """The common table expressions, and the ``UNION ALL`` of rows (facet, value, count, distinct values),
    that count the facets ``wanted`` over the items of a table ``sel`` (which the caller defines first, with
    the columns of ``collection``): for :func:`count_facets`, and for a search that counts its hits in the
    same statement (:meth:`briefs.search.Selection.tally`).

    :param actor_bits: for hits, the key of every actor, each at most :data:`briefs.index.MAX_BIT_KEY`: the
        actor facet then sums the bits of ``doc_actor_bits`` (see :data:`BIT_ACTORS`); if empty, it groups pairs
    """
    queries = COLLECTIONS[collection]
    ctes, parts = [], []
    for number, name in enumerate(wanted):
        if collection == "hits" and name == "actor" and actor_bits:
            # One row of sums, one column per actor, turned into a (key, count) row per actor that has hits.
            sums = ", ".join(f"sum((x.bits >> {key}) & 1) AS k{key}" for key in actor_bits)
            ctes.append(f"b{number} AS MATERIALIZED (SELECT {sums} FROM sel JOIN doc_actor_bits x ON x.doc = sel.doc)")
            rows = " UNION ALL ".join(f"SELECT {key} AS value, k{key} AS n FROM b{number} WHERE k{key} > 0"
                                      for key in actor_bits)  # fmt: skip
            ctes.append(f"c{number} AS MATERIALIZED ({rows})")
        else:
            ctes.append(
                f"c{number} AS MATERIALIZED (SELECT value, count(*) AS n FROM ({queries[name]}) GROUP BY value)"
            )
        if (collection, name) in _KEYED:
            # Ties go by entity id, as with the ids themselves: the keys are named before the sort.
            ranked = (f"SELECT k.entity_id AS value, c.n AS n FROM c{number} c JOIN ref_keys k ON k.key = c.value "
                      f"ORDER BY n DESC, value LIMIT {MAX_VALUES}")  # fmt: skip
        else:
            ranked = f"SELECT value, n FROM c{number} ORDER BY n DESC, value LIMIT {MAX_VALUES}"
        parts.append(f"SELECT * FROM (SELECT '{name}', value, n, (SELECT count(*) FROM c{number}) FROM ({ranked}))")
    return ", ".join(ctes), " UNION ALL ".join(parts)


def read_facets(wanted: Sequence[str], rows: Iterable[Sequence[Any]]) -> dict[str, Facet]:
    """The facets ``wanted`` from the rows of :func:`facet_sql`'s statement."""
    values: dict[str, list[FacetValue]] = {name: [] for name in wanted}
    totals = dict.fromkeys(wanted, 0)
    for name, value, count, total in rows:
        values[name].append(FacetValue(str(value), int(count)))
        totals[name] = int(total)
    return {name: Facet(tuple(values[name]), totals[name]) for name in wanted}
